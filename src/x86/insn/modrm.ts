/**
 * Bytes that follow a ModRM byte (SIB + displacement) when the address size is 16 bits
 * (SDM Vol. 2 Table 2-1): mod 00 rm 110 → disp16; mod 01 → disp8; mod 10 → disp16; no SIB.
 * Indexed by ModRM; mod 11 entries are 0 (register operand).
 */
export const X86_MODRM16_TAIL: Uint8Array = build((mod, rm) => {
  if (mod === 0) return rm === 6 ? 2 : 0;
  return mod === 1 ? 1 : mod === 2 ? 2 : 0;
});

/**
 * Bytes that follow a ModRM byte when the address size is 32 or 64 bits (SDM Vol. 2 Table 2-2),
 * counting the SIB byte (rm 100) but not the disp32 a SIB with base 101 adds under mod 00:
 * mod 00 rm 101 → disp32 (RIP/EIP-relative in 64-bit mode); mod 01 → disp8; mod 10 → disp32.
 */
export const X86_MODRM32_TAIL: Uint8Array = build((mod, rm) => {
  if (mod === 3) return 0;
  const sib = rm === 4 ? 1 : 0;
  if (mod === 0) return sib + (rm === 5 ? 4 : 0);
  return sib + (mod === 1 ? 1 : 4);
});

function build(tail: (mod: number, rm: number) => number): Uint8Array {
  const out = new Uint8Array(256);
  for (let m = 0; m < 256; m++) out[m] = tail(m >> 6, m & 7);
  return out;
}
