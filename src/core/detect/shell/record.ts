/**
 * The analysis being built: commands, pipelines, errors, and how one command is recorded once its
 * words are known (wrappers peeled, cwd and pipeline assigned). Pure.
 */
import type { ShellCommand, ShellRedirect } from '../types.js';
import { type CwdState, resolveDir } from './cwd.js';
import { unwrap } from './unwrap.js';
import { type ArgWord, commandName, wordInfo } from './words.js';

/** Deepest nesting analysed; deeper code is left opaque and the analysis marked uncertain. */
export const MAX_DEPTH = 4;

/** A pipeline being filled (created on its first command) and the stage within it. */
export interface Slot {
  readonly ref: { id: number };
  readonly stage: number;
}

/** Where the walk stands: nesting, the command it is nested in, cwd, inherited redirects. */
export interface Ctx {
  readonly depth: number;
  readonly parent: number;
  readonly via: string;
  /** The string node positions index. */
  readonly source: string;
  /** For error messages: where `source` starts in its code, and which code that is. */
  readonly offset: number;
  readonly where: string;
  readonly cwd: CwdState;
  /** Redirects of enclosing compound commands (`{ …; } > f`), applied to every command inside. */
  readonly inherited: readonly ShellRedirect[];
  /** The pipeline stage a compound command stands in (`… | while read l; do …; done`). */
  readonly slot: Slot | undefined;
}

/** Wrappers known from the syntax rather than the words (the `time` keyword). */
export interface Wrap {
  readonly wrappers: readonly string[];
  readonly args: readonly string[];
}

/** A recorded command's index and effective name, arguments and cwd. */
export interface Emitted {
  readonly idx: number;
  readonly name: string;
  readonly args: readonly ArgWord[];
  readonly cwd: string;
}

export class Recorder {
  readonly commands: ShellCommand[] = [];
  readonly pipelines: number[][] = [];
  readonly errors: string[] = [];
  uncertain = false;

  constructor(protected readonly home: string) {}

  protected error(message: string): void {
    if (!this.errors.includes(message)) this.errors.push(message);
  }

  /** Unwraps and records one command; returns its index and effective name/args/cwd. */
  protected emit(
    words: readonly ArgWord[], assigns: readonly { name: string; value: string }[],
    redirects: readonly ShellRedirect[], text: string, ctx: Ctx, wrap?: Wrap,
  ): Emitted {
    const u = unwrap(words);
    let cwd = ctx.cwd.cwd;
    for (const d of u.chdirs) cwd = resolveDir({ value: d, node: undefined }, cwd, this.home) ?? cwd;
    const first = u.words[0];
    const dynamicName = first !== undefined && wordInfo(first).dynamic;
    const name = first === undefined || dynamicName ? '' : commandName(first.value);
    let pipeline: number;
    if (ctx.slot === undefined) pipeline = this.pipelines.push([]) - 1;
    else if (ctx.slot.ref.id < 0) pipeline = ctx.slot.ref.id = this.pipelines.push([]) - 1;
    else pipeline = ctx.slot.ref.id;
    const idx = this.commands.length;
    this.pipelines[pipeline]!.push(idx);
    const args = u.words.slice(1);
    this.commands.push({
      name,
      word: first?.value ?? '',
      args: args.map((a) => a.value),
      wrappers: [...(wrap?.wrappers ?? []), ...u.wrappers],
      wrapperArgs: [...(wrap?.args ?? []), ...u.wrapperArgs],
      assigns: [...assigns, ...u.assigns],
      redirects,
      dynamicName,
      pipeline,
      stage: ctx.slot?.stage ?? 0,
      parent: ctx.parent,
      via: u.via ?? ctx.via,
      depth: ctx.depth,
      cwd,
      text,
    });
    return { idx, name, args, cwd };
  }
}
