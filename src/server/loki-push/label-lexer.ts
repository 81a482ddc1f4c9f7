/**
 * The part of Prometheus' PromQL lexer (promql/parser/lex.go) that a series like `{a="b"}` goes
 * through, with its error texts; Loki parses every stream's labels with it (loki.md §1.3).
 */
import { goQuoteRune, goUnicode } from './go-format.js';

/** Token kinds of a series description. */
export type TokenKind =
  | 'LBRACE' | 'RBRACE' | 'COMMA' | 'EQL' | 'EQL_REGEX' | 'NEQ' | 'NEQ_REGEX'
  | 'IDENT' | 'METRIC_IDENT' | 'STRING' | 'NUMBER' | 'EOF' | 'ERROR';

/** One token: its kind, its start (UTF-16 index into the input) and its text (the message for ERROR). */
export interface Token {
  readonly kind: TokenKind;
  readonly pos: number;
  readonly val: string;
}

const EOF = -1;
const SIMPLE_ESCAPES = new Set([...'abfnrtv\\'].map((ch) => ch.charCodeAt(0)));
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isAlpha = (c: number): boolean => c === 0x5f || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const digitVal = (c: number): number =>
  isDigit(c) ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x61 + 10 : c >= 0x41 && c <= 0x46 ? c - 0x41 + 10 : 16;

/** A lexer over one label string; `next()` returns tokens until EOF or the first ERROR. */
export class LabelLexer {
  private pos = 0;
  private start = 0;
  private braceOpen = false;

  constructor(private readonly input: string) {}

  private peek(): number {
    return this.pos < this.input.length ? (this.input.codePointAt(this.pos) ?? EOF) : EOF;
  }

  private read(): number {
    const c = this.peek();
    if (c !== EOF) this.pos += c > 0xffff ? 2 : 1;
    return c;
  }

  private emit(kind: TokenKind): Token {
    const token = { kind, pos: this.start, val: this.input.slice(this.start, this.pos) };
    this.start = this.pos;
    return token;
  }

  private error(message: string): Token {
    return { kind: 'ERROR', pos: this.start, val: message };
  }

  /** Returns the next token. */
  next(): Token {
    for (;;) {
      if (this.input.startsWith('#', this.pos)) {
        while (this.pos < this.input.length && this.input[this.pos] !== '\n' && this.input[this.pos] !== '\r') this.pos++;
        this.start = this.pos;
        continue;
      }
      const c = this.read();
      if (c !== EOF && isSpace(c)) {
        while (isSpace(this.peek())) this.read();
        this.start = this.pos;
        continue;
      }
      return this.braceOpen ? this.insideBraces(c) : this.outsideBraces(c);
    }
  }

  private outsideBraces(c: number): Token {
    if (c === EOF) return this.emit('EOF');
    if (c === 0x7b) {
      this.braceOpen = true;
      return this.emit('LBRACE');
    }
    if (c === 0x2c) return this.emit('COMMA');
    if (c === 0x3d) return this.emit('EQL');
    if (c === 0x22 || c === 0x27) return this.string(c);
    if (c === 0x60) return this.rawString();
    if (isAlpha(c) || c === 0x3a) {
      while (isAlpha(this.peek()) || isDigit(this.peek()) || this.peek() === 0x3a) this.read();
      return this.emit(this.input.slice(this.start, this.pos).includes(':') ? 'METRIC_IDENT' : 'IDENT');
    }
    if (isDigit(c)) {
      while (isDigit(this.peek()) || isAlpha(this.peek()) || this.peek() === 0x2e) this.read();
      return this.emit('NUMBER');
    }
    return this.error(`unexpected character: ${goQuoteRune(c)}`);
  }

  private insideBraces(c: number): Token {
    if (c === EOF) return this.error('unexpected end of input inside braces');
    if (isAlpha(c)) {
      while (isAlpha(this.peek()) || isDigit(this.peek())) this.read();
      return this.emit('IDENT');
    }
    switch (c) {
      case 0x2c:
        return this.emit('COMMA');
      case 0x22:
      case 0x27:
        return this.string(c);
      case 0x60:
        return this.rawString();
      case 0x3d:
        if (this.peek() === 0x7e) {
          this.read();
          return this.emit('EQL_REGEX');
        }
        return this.emit('EQL');
      case 0x21: {
        const n = this.read();
        if (n === 0x7e) return this.emit('NEQ_REGEX');
        if (n === 0x3d) return this.emit('NEQ');
        return this.error(`unexpected character after '!' inside braces: ${goQuoteRune(n === EOF ? 0xfffd : n)}`);
      }
      case 0x7b:
        return this.error(`unexpected left brace ${goQuoteRune(c)}`);
      case 0x7d:
        this.braceOpen = false;
        return this.emit('RBRACE');
      default:
        return this.error(`unexpected character inside braces: ${goQuoteRune(c)}`);
    }
  }

  private string(quote: number): Token {
    for (;;) {
      const c = this.read();
      if (c === quote) return this.emit('STRING');
      if (c === EOF || c === 0x0a) return this.error('unterminated quoted string');
      if (c === 0x5c) {
        const problem = this.escape(quote);
        if (problem) return this.error(problem);
      }
    }
  }

  private escape(quote: number): string | undefined {
    let c = this.read();
    let n: number;
    let base: number;
    let max: number;
    if (SIMPLE_ESCAPES.has(c) || c === quote) return undefined;
    if (c >= 0x30 && c <= 0x37) [n, base, max] = [3, 8, 255];
    else if (c === 0x78) [c, n, base, max] = [this.read(), 2, 16, 255];
    else if (c === 0x75) [c, n, base, max] = [this.read(), 4, 16, 0x10ffff];
    else if (c === 0x55) [c, n, base, max] = [this.read(), 8, 16, 0x10ffff];
    else if (c === EOF) return 'escape sequence not terminated';
    else return `unknown escape sequence ${goUnicode(c)}`;
    let x = 0;
    while (n > 0) {
      const d = digitVal(c);
      if (d >= base) return c === EOF ? 'escape sequence not terminated' : `illegal character ${goUnicode(c)} in escape sequence`;
      x = x * base + d;
      if (--n > 0) c = this.read();
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) return 'escape sequence is an invalid Unicode code point';
    return undefined;
  }

  private rawString(): Token {
    for (;;) {
      const c = this.read();
      if (c === 0x60) return this.emit('STRING');
      if (c === EOF) return this.error('unterminated raw string');
    }
  }
}
