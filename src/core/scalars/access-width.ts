import { show, VmExitError } from "../error";

/** Width of an access in bytes: 1, 2, 4 or 8. */
export type AccessWidth = 1 | 2 | 4 | 8;

/** The access widths under their axvcpu names. */
export const AccessWidth = {
  /** 1 byte. */
  Byte: 1,
  /** 2 bytes. */
  Word: 2,
  /** 4 bytes. */
  Dword: 4,
  /** 8 bytes. */
  Qword: 8,
} as const;

/**
 * Bits 31:0 of a value as wide as an access of 1, 2 or 4 bytes, indexed by the width (the data an
 * access of that width moves: mask bits 31:0 of a register with it; 8 bytes take the whole value).
 */
export const ACCESS_WIDTH_LOW_MASKS: readonly number[] = [0, 0xff, 0xffff, 0, 0xffff_ffff];

/** True when `v` is 1, 2, 4 or 8. */
export function isAccessWidth(v: unknown): v is AccessWidth {
  return v === 1 || v === 2 || v === 4 || v === 8;
}

/** Validates an access width in bytes (1, 2, 4 or 8). */
/* @__NO_SIDE_EFFECTS__ */
export function accessWidth(v: number, field = "width"): AccessWidth {
  if (isAccessWidth(v)) return v;
  throw new VmExitError(
    typeof v === "number" ? "out-of-range" : "invalid-argument",
    `${field} must be 1, 2, 4 or 8 bytes, got ${show(v)}`,
    field,
  );
}
