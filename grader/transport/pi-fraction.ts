// The hexadecimal digits of pi's fractional part, computed: Blowfish's initial P-array and S-boxes
// are its first 1,042 32-bit words (Schneier, "Description of a New Variable-Length Key, 64-Bit
// Block Cipher (Blowfish)", 1993). Machin's formula, pi = 16·atan(1/5) − 4·atan(1/239), in
// fixed point with 64 guard bits. Used by scripts/write-blowfish-pi.ts and its test, not at run time.
export function piFractionWords(count: number): Uint32Array {
  const bits = BigInt(count * 32 + 64);
  const one = 1n << bits;
  const pi = 16n * arctanOfInverse(5n, one) - 4n * arctanOfInverse(239n, one);
  let fraction = (pi & (one - 1n)) >> 64n;
  const words = new Uint32Array(count);
  for (let i = count - 1; i >= 0; i--) {
    words[i] = Number(fraction & 0xffffffffn);
    fraction >>= 32n;
  }
  return words;
}

// atan(1/x) · one, by its Taylor series.
function arctanOfInverse(x: bigint, one: bigint): bigint {
  const xSquared = x * x;
  let power = one / x;
  let sum = power;
  for (let k = 1n, sign = -1n; power !== 0n; k++, sign = -sign) {
    power /= xSquared;
    sum += (sign * power) / (2n * k + 1n);
  }
  return sum;
}
