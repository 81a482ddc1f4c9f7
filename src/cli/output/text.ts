import pc from 'picocolors';

/**
 * Makes untrusted text safe for a terminal: control characters (ANSI escapes, carriage returns,
 * newlines) written by an agent are shown escaped, never interpreted.
 */
export function safeText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\t') return '\\t';
    if (ch === '\r') return '\\r';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** Shortens text to `width` display columns with an ellipsis. */
export function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

export interface Column {
  readonly header: string;
  readonly width?: number;
  readonly color?: (s: string) => string;
}

/** Renders rows as an aligned table; colours only when `color` is true. Cells are made terminal-safe. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[], color: boolean): string {
  const cells = rows.map((r) => r.map((c, i) => fit(safeText(c), columns[i]?.width ?? 60)));
  const widths = columns.map((col, i) => Math.max(col.header.length, ...cells.map((r) => [...(r[i] ?? '')].length)));
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - [...s].length));
  const line = (r: readonly string[], paint: (i: number, s: string) => string) =>
    r.map((c, i) => paint(i, i === r.length - 1 ? c : pad(c, widths[i] ?? 0))).join('  ').trimEnd();
  const head = line(columns.map((c) => c.header), (_, s) => (color ? pc.bold(s) : s));
  const body = cells.map((r) => line(r, (i, s) => (color && columns[i]?.color ? columns[i]!.color!(s) : s)));
  return [head, ...body].join('\n');
}
