/**
 * Shannon entropy, the randomness gate of the secret detectors (gitleaks' `entropy` field): a
 * detector drops a candidate whose value carries fewer bits per character than it asks for.
 */

const asciiCounts = new Int32Array(128);

/** Shannon entropy of `text` in bits per character (code point); 0 for ''. */
export function shannonEntropy(text: string): number {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (!ascii) return entropyOfCounts(countCodePoints(text));
  let bits = 0;
  for (let i = 0; i < text.length; i++) asciiCounts[text.charCodeAt(i)]!++;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const count = asciiCounts[c]!;
    if (count === 0) continue; // already counted
    const p = count / text.length;
    bits -= p * Math.log2(p);
    asciiCounts[c] = 0;
  }
  return bits;
}

function countCodePoints(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return counts;
}

function entropyOfCounts(counts: Map<number, number>): number {
  let n = 0;
  for (const count of counts.values()) n += count;
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / n;
    bits -= p * Math.log2(p);
  }
  return bits;
}
