import type { AccessWidth } from "../core/scalars/access-width";

// A64 "Load/store register" encodings with V = 0 (general-purpose registers), Arm ARM C4.1.94:
//   size[31:30] 111[29:27] V[26]=0 …[25:24] opc[23:22] …
//   unsigned immediate: bits 29:24 = 0b111001, imm12[21:10], Rn[9:5], Rt[4:0]
//   register offset:    bits 29:24 = 0b111000, bit 21 = 1, option[15:13], S[12], bits 11:10 = 0b10
//   unscaled immediate: bits 29:24 = 0b111000, bit 21 = 0, imm9[20:12], bits 11:10 = 0b00
//   post-index:         … bits 11:10 = 0b01;  pre-index: … bits 11:10 = 0b11
// (bits 11:10 = 0b10 with bit 21 = 0 is LDTR/STTR, the unprivileged form, not decoded here.)

/** The addressing form of an A64 single-register load or store. */
export type Aarch64LoadStoreForm =
  | "unsigned-immediate"
  | "register"
  | "unscaled"
  | "pre-index"
  | "post-index";

/** A decoded A64 integer load or store (LDR/STR/LDRB/STRB/LDRH/STRH/LDRSB/LDRSH/LDRSW and their LDUR forms). */
export interface Aarch64LoadStore {
  /** The mnemonic, e.g. `LDRSH`, `STURB`. */
  readonly mnemonic: string;
  /** The addressing form. */
  readonly form: Aarch64LoadStoreForm;
  /** True for stores. */
  readonly isWrite: boolean;
  /** Bytes accessed: 1 << size. */
  readonly width: AccessWidth;
  /** Width of the register Rt: 4 (Wt) or 8 (Xt). */
  readonly regWidth: 4 | 8;
  /** True for the sign-extending loads (LDRSB, LDRSH, LDRSW). */
  readonly signedExt: boolean;
  /** The transfer register Rt (31 = WZR/XZR). */
  readonly rt: number;
  /** The base register Rn (31 = SP). */
  readonly rn: number;
  /** True for the pre/post-index forms, which also update Rn. */
  readonly writeback: boolean;
}

type OpRow = readonly [mnemonic: string, isWrite: boolean, regWidth: 4 | 8, signedExt: boolean];

// Indexed by size << 2 | opc. PRFM (size 3, opc 2) and the unallocated rows are undefined.
const OPS: readonly (OpRow | undefined)[] = [
  ["STRB", true, 4, false],
  ["LDRB", false, 4, false],
  ["LDRSB", false, 8, true],
  ["LDRSB", false, 4, true],
  ["STRH", true, 4, false],
  ["LDRH", false, 4, false],
  ["LDRSH", false, 8, true],
  ["LDRSH", false, 4, true],
  ["STR", true, 4, false],
  ["LDR", false, 4, false],
  ["LDRSW", false, 8, true],
  undefined,
  ["STR", true, 8, false],
  ["LDR", false, 8, false],
  undefined,
  undefined,
];

// Indexed by bits 11:10 of the 0b111000 / bit 21 = 0 group.
const IMM9_FORMS: readonly (Aarch64LoadStoreForm | undefined)[] = [
  "unscaled",
  "post-index",
  undefined,
  "pre-index",
];

const WIDTHS: readonly AccessWidth[] = [1, 2, 4, 8];

/** Decodes an A64 integer load/store single register; `undefined` for any other instruction. */
export function decodeA64LoadStore(word: number): Aarch64LoadStore | undefined {
  const group = (word >>> 24) & 0x3f;
  let form: Aarch64LoadStoreForm | undefined;
  if (group === 0x39) form = "unsigned-immediate";
  else if (group === 0x38) {
    if ((word >>> 21) & 1) {
      // Register offset: bits 11:10 = 0b10 and option<1> = 1 (UXTW, LSL, SXTW, SXTX).
      if (((word >>> 10) & 3) === 2 && ((word >>> 14) & 1) === 1) form = "register";
    } else form = IMM9_FORMS[(word >>> 10) & 3];
  }
  if (form === undefined) return undefined;
  const size = word >>> 30;
  const op = OPS[(size << 2) | ((word >>> 22) & 3)];
  if (op === undefined) return undefined;
  const [base, isWrite, regWidth, signedExt] = op;
  return {
    mnemonic: form === "unscaled" ? `${base.slice(0, 2)}U${base.slice(2)}` : base,
    form,
    isWrite,
    width: WIDTHS[size] as AccessWidth,
    regWidth,
    signedExt,
    rt: word & 31,
    rn: (word >>> 5) & 31,
    writeback: form === "pre-index" || form === "post-index",
  };
}
