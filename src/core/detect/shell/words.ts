/**
 * Word-level helpers over unbash nodes: dequoted values, whether a word is dynamic (expansions,
 * globs) or runs code (substitutions), and the basename of a command word. Pure.
 */
import { posix } from 'node:path';
import type { Assignment, Redirection, SyntaxNode, Word, WordPart } from 'unbash';
import type { ShellRedirect } from '../types.js';

/** One word of a command line: a parsed Word, a suffix Assignment, or a synthetic word (env -S). */
export interface ArgWord {
  /** Dequoted value; expansions are left as written (`"$HOME/x"` → `$HOME/x`). */
  readonly value: string;
  /** The node it came from; undefined for synthetic words (always static). */
  readonly node: Word | Assignment | undefined;
}

export interface WordInfo {
  /** Contains an expansion, substitution, glob or brace expansion: its runtime value is unknown. */
  readonly dynamic: boolean;
  /** Contains a command, process or arithmetic substitution (code runs while expanding it). */
  readonly subst: boolean;
  /** The whole word is one parameter expansion (`$X`, `"${X}"`, `"$@"`). */
  readonly pure: boolean;
}

const STATIC: WordInfo = { dynamic: false, subst: false, pure: false };

export function argOfWord(word: Word): ArgWord {
  return { value: word.value, node: word };
}

export function argOfAssignment(a: Assignment): ArgWord {
  return { value: assignmentText(a), node: a };
}

/** `NAME=value`, `NAME+=value`, `NAME[i]=value` or `NAME=(a b)`, dequoted. */
export function assignmentText(a: Assignment): string {
  const index = a.index ? `[${a.index.value}]` : '';
  return `${a.name}${index}${a.append ? '+=' : '='}${assignmentValue(a)}`;
}

export function assignmentValue(a: Assignment): string {
  const v = a.value;
  if (v.type === 'ArrayValue') return `(${v.elements.map((e) => e.value).join(' ')})`;
  return v.value;
}

function isExpansion(p: WordPart | undefined): boolean {
  return p !== undefined && (p.type === 'SimpleExpansion' || p.type === 'ParameterExpansion');
}

/** Classifies a word (or an assignment's value) without resolving substitution scripts. */
export function wordInfo(arg: ArgWord): WordInfo {
  const node = arg.node;
  if (node === undefined) return syntheticInfo(arg.value);
  let word: Word;
  if (node.type === 'Assignment') {
    if (node.value.type === 'ArrayValue') return scanInfo(node.value.elements);
    word = node.value;
  } else word = node;
  const parts = word.parts;
  if (parts === undefined || parts.length === 0) return STATIC;
  const info = scanInfo(parts);
  const only = parts.length === 1 ? parts[0] : undefined;
  const pure =
    isExpansion(only) || (only?.type === 'DoubleQuoted' && only.parts.length === 1 && isExpansion(only.parts[0]));
  return { ...info, pure };
}

/** Words split out of a string (`env -S`, which expands `${NAME}` itself). */
function syntheticInfo(value: string): WordInfo {
  if (!/[$`]/.test(value)) return STATIC;
  return { dynamic: true, subst: /\$\(|`/.test(value), pure: /^\$(?:\w+|\{\w+\})$/.test(value) };
}

function scanInfo(parts: readonly (WordPart | Word)[]): WordInfo {
  let dynamic = false;
  let subst = false;
  const visit = (n: WordPart | Word): void => {
    switch (n.type) {
      case 'Literal':
      case 'SingleQuoted':
      case 'AnsiCQuoted':
        return;
      case 'Word':
        for (const p of n.parts ?? []) visit(p);
        return;
      case 'DoubleQuoted':
      case 'LocaleString':
        for (const p of n.parts) visit(p);
        return;
      case 'CommandExpansion':
      case 'ProcessSubstitution':
      case 'ArithmeticExpansion':
        dynamic = true;
        subst = true;
        return;
      case 'ParameterExpansion':
        dynamic = true;
        // ${x:-$(cmd)}: the operand may hold a substitution.
        if (/\$\(|`/.test(n.text)) subst = true;
        return;
      default:
        // SimpleExpansion, Glob, ExtendedGlob, BraceExpansion
        dynamic = true;
    }
  };
  for (const p of parts) visit(p);
  return { dynamic, subst, pure: false };
}

/** Basename of a command word (`/usr/bin/curl` → `curl`, `./x` → `x`). */
export function commandName(value: string): string {
  if (value === '' || !value.includes('/')) return value;
  return posix.basename(value);
}

/** Cheap pre-check: could this node's text hold a substitution (or a zsh glob qualifier)? */
export function mayHoldSubstitution(node: SyntaxNode): boolean {
  const text = (node as { text?: unknown }).text;
  return typeof text !== 'string' || /[$`(]/.test(text);
}

/** A redirection as ShellRedirect: op as written, dequoted target, heredoc/herestring body. */
export function toRedirect(r: Redirection): ShellRedirect {
  const fd = r.descriptor?.type === 'FileDescriptor' ? r.descriptor.value : undefined;
  const base = fd === undefined ? {} : { fd };
  if (r.type === 'HereDoc') {
    const text = r.body.text;
    const body = r.operator === '<<-' ? text.replace(/^\t+/gm, '') : text;
    return { op: r.operator, target: '', ...base, body };
  }
  if (r.type === 'HereString') return { op: '<<<', target: '', ...base, body: r.target?.value ?? '' };
  return { op: r.operator, target: r.target?.value ?? '', ...base };
}
