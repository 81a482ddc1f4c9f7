/** Globs over free text (commands, URLs, evidence), as custom rules and allow entries write them. */

/** Longest text a user-written pattern reads (the shell parser reads as much): bounds any pattern's cost. */
export const MAX_TEXT = 64 * 1024;

/**
 * `*` matches any run of characters, `?` one. Matched greedily piece by piece with indexOf, which is
 * linear in the text: a regex `^.*a.*b.*$` would backtrack polynomially on a hostile 1 MB command.
 */
export function wildcard(glob: string): (text: string) => boolean {
  if (!/[*?]/.test(glob)) return (s) => s === glob;
  const pieces = glob.split('*');
  const matchesAt = (s: string, piece: string, at: number) => {
    if (at + piece.length > s.length) return false;
    for (let i = 0; i < piece.length; i++) if (piece[i] !== '?' && piece[i] !== s[at + i]) return false;
    return true;
  };
  const find = (s: string, piece: string, from: number, last: boolean): number => {
    if (last) {
      const at = s.length - piece.length;
      return at >= from && matchesAt(s, piece, at) ? at : -1;
    }
    if (!piece.includes('?')) return s.indexOf(piece, from);
    for (let at = from; at + piece.length <= s.length; at++) if (matchesAt(s, piece, at)) return at;
    return -1;
  };
  return (text) => {
    const s = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
    const first = pieces[0]!;
    if (!matchesAt(s, first, 0)) return false;
    if (pieces.length === 1) return s.length === first.length;
    let pos = first.length;
    for (let i = 1; i < pieces.length; i++) {
      const at = find(s, pieces[i]!, pos, i === pieces.length - 1);
      if (at < 0) return false;
      pos = at + pieces[i]!.length;
    }
    return true;
  };
}
