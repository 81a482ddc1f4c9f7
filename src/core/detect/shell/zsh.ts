/**
 * A small heuristic for zsh-only syntax, which the bash parser misreads: zsh builtins, `=cmd`
 * command words, glob qualifiers (`*(.)`, `*(/om[1,3])`) and parameter flags (`${(f)x}`).
 * Checked on AST nodes, so quoted text (`python -c "f[0](x)"`) does not count. `=(…)` is a
 * bash syntax error and is reported as such.
 */
import type { SyntaxNode } from 'unbash';

const ZSH_COMMANDS: ReadonlySet<string> = new Set([
  'setopt', 'unsetopt', 'zmodload', 'autoload', 'zstyle', 'bindkey', 'compdef', 'zparseopts', 'zle',
]);

/** A glob qualifier list: file types, permissions, sorting, subscripts (not bash extglob text). */
const QUALIFIER = /^(?:[./@=*%^NDrwxXRWUsStpF:-]|[oO][nLmacd]|\[\d+(?:,\d+)?\])+$/;

/** Whether a command (unwrapped name, word as written) is a zsh-only builtin or `=cmd`. */
export function isZshCommand(name: string, word: string): boolean {
  return ZSH_COMMANDS.has(name) || (word.startsWith('=') && word.length > 1);
}

/** Whether a word part is zsh-only syntax. */
export function isZshPart(n: SyntaxNode): boolean {
  if (n.type === 'ExtendedGlob') return (n.operator === '*' || n.operator === '?') && QUALIFIER.test(n.pattern);
  return n.type === 'ParameterExpansion' && n.text.startsWith('${(');
}
