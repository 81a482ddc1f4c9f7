/**
 * The AST walk: emits every simple command (nested ones included) in source order, with its
 * pipeline, parent, cwd and peeled wrappers, and recurses into substitutions, `sh -c`/`eval`
 * code and `find -exec`. Pure; bounded by MAX_DEPTH.
 */
import { forEachChild } from 'unbash';
import type { AndOr, Command, CompoundList, PipelineNode, Statement, SyntaxNode } from 'unbash';
import { applyDirCommand, copyCwd, type CwdState, mergeBranches } from './cwd.js';
import { parseSource } from './parse.js';
import { type Ctx, type Emitted, MAX_DEPTH, Recorder, type Wrap } from './record.js';
import { findExecs, shellCode } from './targets.js';
import { isZshCommand, isZshPart } from './zsh.js';
import { type ArgWord, argOfAssignment, argOfWord, assignmentValue, mayHoldSubstitution, toRedirect } from './words.js';

export { MAX_DEPTH } from './record.js';

export class Walker extends Recorder {
  /** Parses and walks `source` (a whole line, or `sh -c` / `eval` code). */
  source(source: string, depth: number, parent: number, via: string, cwd: string, where: string): void {
    const parsed = parseSource(source);
    for (const e of parsed.errors) this.error(`${e.message} at ${e.pos}${where}`);
    for (const chunk of parsed.chunks) {
      const ctx: Ctx = {
        depth, parent, via, source: chunk.source, offset: chunk.offset, where, cwd: { cwd, stack: [] }, inherited: [],
        slot: undefined,
      };
      this.statements(chunk.script.commands, ctx);
      cwd = ctx.cwd.cwd;
    }
  }

  private statements(list: readonly Statement[], ctx: Ctx): void {
    for (const st of list) this.node(st.command, st.background ? { ...ctx, cwd: copyCwd(ctx.cwd) } : ctx);
  }

  private branch(list: CompoundList, ctx: Ctx, from: CwdState = ctx.cwd): CwdState {
    const cwd = copyCwd(from);
    this.statements(list.commands, { ...ctx, cwd });
    return cwd;
  }

  private node(n: PipelineNode | AndOr | CompoundList, ctx: Ctx, wrap?: Wrap): void {
    switch (n.type) {
      case 'Command':
        return this.simple(n, ctx, wrap);
      case 'AndOr':
        for (const c of n.commands) this.node(c, ctx);
        return;
      case 'Pipeline': {
        const time = n.prefixes.find((p) => p.type === 'Time');
        const w = time ? { wrappers: ['time'], args: time.posix ? ['-p'] : [] } : undefined;
        if (n.commands.length === 0 && time !== undefined) {
          // A bare `time` (or `time -p`) stays a command named time.
          const words = [{ value: 'time', node: undefined }, ...(w?.args ?? []).map((value) => ({ value, node: undefined }))];
          this.emit(words, [], [...ctx.inherited], ctx.source.slice(n.pos, n.end), ctx);
          return;
        }
        if (n.commands.length === 1) return this.node(n.commands[0]!, ctx, w);
        const ref = { id: -1 };
        n.commands.forEach((c, stage) =>
          this.node(c, { ...ctx, cwd: copyCwd(ctx.cwd), slot: { ref, stage } }, stage === 0 ? w : undefined));
        return;
      }
      case 'Redirected': {
        const inherited = [...n.redirects.map(toRedirect), ...ctx.inherited];
        this.node(n.command, { ...ctx, inherited });
        for (const r of n.redirects) this.scan(r, ctx, ctx.parent);
        return;
      }
      case 'Subshell':
        this.branch(n.body, ctx);
        return;
      case 'BraceGroup':
        return this.statements(n.body.commands, ctx);
      case 'CompoundList':
        return this.statements(n.commands, ctx);
      case 'If': {
        this.statements(n.clause.commands, ctx);
        const ends = [this.branch(n.then, ctx)];
        for (const e of n.elif) ends.push(this.branch(e.then, ctx, this.branch(e.clause, ctx)));
        ends.push(n.else ? this.branch(n.else, ctx) : copyCwd(ctx.cwd));
        mergeBranches(ctx.cwd, ends);
        return;
      }
      case 'While':
        this.statements(n.clause.commands, ctx);
        this.branch(n.body, ctx);
        return;
      case 'For':
      case 'Select':
        for (const w of n.wordlist ?? []) this.scan(w, ctx, ctx.parent);
        this.branch(n.body, ctx);
        return;
      case 'ArithmeticFor':
        for (const e of [n.initialize, n.test, n.update]) if (e) this.scan(e, ctx, ctx.parent);
        this.branch(n.body, ctx);
        return;
      case 'Case':
        this.scan(n.word, ctx, ctx.parent);
        for (const item of n.items) {
          for (const p of item.pattern) this.scan(p, ctx, ctx.parent);
          this.branch(item.body, ctx);
        }
        return;
      case 'TestCommand':
      case 'ArithmeticCommand':
        return this.scan(n, ctx, ctx.parent);
      case 'Function':
      case 'Coproc':
        return this.node(n.body, { ...ctx, cwd: copyCwd(ctx.cwd), slot: undefined });
      default:
        return;
    }
  }

  private simple(cmd: Command, ctx: Ctx, wrap: Wrap | undefined): void {
    const assigns: { name: string; value: string }[] = [];
    for (const p of cmd.prefix) if (p.type === 'Assignment') assigns.push({ name: p.name, value: assignmentValue(p) });
    const words: ArgWord[] = [];
    if (cmd.name) {
      words.push(argOfWord(cmd.name));
      for (const s of cmd.suffix) {
        if (s.type === 'Word') words.push(argOfWord(s));
        else if (s.type === 'Assignment') words.push(argOfAssignment(s));
      }
    }
    const redirects = [...cmd.redirects.map(toRedirect), ...ctx.inherited];
    const text = ctx.source.slice(cmd.pos, cmd.end);
    const e = this.emit(words, assigns, redirects, text, ctx, wrap);
    if (isZshCommand(e.name, this.commands[e.idx]!.word)) this.uncertain = true;
    forEachChild(cmd, (child) => this.scan(child, ctx, e.idx));
    this.nested(e, ctx);
    // `cd` changes this shell's directory only when run directly (not through xargs, sudo…).
    if (this.commands[e.idx]!.wrappers.every((w) => w === 'builtin' || w === 'command')) {
      applyDirCommand(e.name, e.args, ctx.cwd, this.home);
    }
  }

  /** Recurses into the code a command runs: `sh -c`, `eval`, `su -c`, `watch`, `find -exec`. */
  private nested(e: Emitted, ctx: Ctx): void {
    const code = shellCode(e.name, e.args);
    const execs = e.name === 'find' ? findExecs(e.args) : [];
    if ((code === undefined || !code.literal) && execs.length === 0) return;
    const depth = ctx.depth + 1;
    if (depth > MAX_DEPTH) {
      this.uncertain = true;
      return;
    }
    if (code?.literal) this.source(code.code, depth, e.idx, code.via, e.cwd, ` in ${code.via} code of command ${e.idx}`);
    for (const words of execs) {
      const sub: Ctx = {
        ...ctx, depth, parent: e.idx, via: 'find-exec', cwd: { cwd: e.cwd, stack: [] }, inherited: [], slot: undefined,
      };
      const a = words[0]!.node;
      const b = words[words.length - 1]!.node;
      const text = a && b ? ctx.source.slice(a.pos, b.end) : words.map((w) => w.value).join(' ');
      this.nested(this.emit(words, [], [], text, sub), sub);
    }
  }

  /** Finds substitutions in words, redirects and expressions; walks their code as nested commands. */
  private scan(node: SyntaxNode, ctx: Ctx, parent: number): void {
    const visit = (n: SyntaxNode): void => {
      if (n.type === 'CommandExpansion' || n.type === 'ArithmeticCommandExpansion' || n.type === 'ProcessSubstitution') {
        const depth = ctx.depth + 1;
        if (depth > MAX_DEPTH) {
          this.uncertain = true;
          return;
        }
        const script = n.script;
        if (script === undefined) return;
        for (const err of script.errors ?? []) this.error(`${err.message} at ${err.pos + ctx.offset}${ctx.where}`);
        const via = n.type === 'ProcessSubstitution' ? 'process-substitution' : 'substitution';
        this.statements(script.commands, {
          ...ctx, depth, parent, via, source: script.source ?? ctx.source, cwd: copyCwd(ctx.cwd), inherited: [],
          slot: undefined,
        });
        return;
      }
      if (n.type === 'Script' || !mayHoldSubstitution(n)) return;
      if (isZshPart(n)) this.uncertain = true;
      forEachChild(n, visit);
    };
    visit(node);
  }
}
