import { describe, expect, it } from 'vitest';
import { shannonEntropy } from './entropy.js';

describe('shannonEntropy', () => {
  it.each([
    ['', 0],
    ['aaaaaaaa', 0],
    ['ab', 1],
    ['abab', 1],
    ['abcd', 2],
    ['0123456789abcdef', 4],
    ['aab', 0.9182958340544896],
  ])('gives %j %d bits per character', (text, bits) => {
    expect(shannonEntropy(text)).toBeCloseTo(bits, 10);
  });

  it('counts code points, not UTF-16 halves', () => {
    expect(shannonEntropy('😀😀')).toBe(0);
    expect(shannonEntropy('a😀')).toBeCloseTo(1, 10);
  });

  it('does not throw on lone surrogates', () => {
    expect(shannonEntropy('\ud800a\udc00')).toBeCloseTo(Math.log2(3), 10);
  });

  it('puts a random-looking key above the 3.5 generic gate and a word below it', () => {
    expect(shannonEntropy('q8Zt3LmV9x' + 'R2pK7wN4sJ')).toBeGreaterThan(3.5);
    expect(shannonEntropy('development')).toBeLessThan(3.5);
  });
});
