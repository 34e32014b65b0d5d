import { hexByte } from "./names";

/** What a legacy prefix byte does (SDM Vol. 2 §2.1.1); 0 = not a legacy prefix. */
export const X86_PREFIX_NONE = 0;
/** 66: operand-size override. */
export const X86_PREFIX_OPERAND_SIZE = 1;
/** 67: address-size override. */
export const X86_PREFIX_ADDRESS_SIZE = 2;
/** 26/2E/36/3E/64/65: segment override (or branch hint); no effect on the access itself. */
export const X86_PREFIX_SEGMENT = 3;
/** F0: LOCK (#UD on MOV). */
export const X86_PREFIX_LOCK = 4;
/** F2/F3: REPNE/REP (or XACQUIRE/XRELEASE). */
export const X86_PREFIX_REP = 5;

function kinds(): Uint8Array {
  const out = new Uint8Array(256);
  out[0x66] = X86_PREFIX_OPERAND_SIZE;
  out[0x67] = X86_PREFIX_ADDRESS_SIZE;
  for (const b of [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]) out[b] = X86_PREFIX_SEGMENT;
  out[0xf0] = X86_PREFIX_LOCK;
  out[0xf2] = X86_PREFIX_REP;
  out[0xf3] = X86_PREFIX_REP;
  return out;
}

/** Legacy-prefix kind of every byte value. */
export const X86_PREFIX_KINDS: Uint8Array = kinds();

/** The name of every legacy prefix byte ("66", "2E", …), indexed by byte. */
export const X86_PREFIX_NAMES: readonly string[] = Array.from({ length: 256 }, (_, b) =>
  hexByte(b),
);

/** "REX", "REX.W", "REX.WRXB", … indexed by the REX byte's low nibble (W R X B = bits 3…0). */
export const X86_REX_NAMES: readonly string[] = Array.from({ length: 16 }, (_, n) => {
  const bits = (n & 8 ? "W" : "") + (n & 4 ? "R" : "") + (n & 2 ? "X" : "") + (n & 1 ? "B" : "");
  return bits === "" ? "REX" : `REX.${bits}`;
});
