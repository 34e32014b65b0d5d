// The A64 instructions that load or store exactly one general-purpose register, as the
// encoding classes of the Arm ARM (C4.1, "Loads and Stores") lay them out: a pattern of fixed
// bits that names the class, and the fields of the word. Read by the ISV = 0 instruction decoder
// and by the explainer of the `instruction` word.
//
//   class                      fixed bits                                      fields
//   unsigned immediate         [29:24] 111001                                  size opc imm12 Rn Rt
//   register offset            [29:24] 111000, [21] 1, [14] 1, [11:10] 10      size opc Rm option S Rn Rt
//   unscaled immediate (LDUR)  [29:24] 111000, [21] 0, [11:10] 00              size opc imm9 Rn Rt
//   post-index                 [29:24] 111000, [21] 0, [11:10] 01              size opc imm9 Rn Rt
//   unprivileged (LDTR)        [29:24] 111000, [21] 0, [11:10] 10              size opc imm9 Rn Rt
//   pre-index                  [29:24] 111000, [21] 0, [11:10] 11              size opc imm9 Rn Rt
//   RCpc unscaled (LDAPUR)     [29:24] 011001, [21] 0, [11:10] 00 (FEAT_LRCPC2) size opc imm9 Rn Rt
//   LDAPR (FEAT_LRCPC)         [29:10] 111000 1 0 1 11111 1 100 00             size Rn Rt
//   literal                    [29:24] 011000                                  opc imm19 Rt
//
// Bit 26 (V) is part of every pattern, 0: the SIMD&FP forms are not general-register accesses.
// Option[1] (bit 14) = 0 is unallocated in the register-offset class. Pairs (LDP/STP),
// exclusives (LDXR/STXR), LDAR/STLR and atomics are other classes and match no pattern.
import { type BitField, bits, field, flag, type Halves } from "../../core/layout";
import { baseReg, hexNum } from "./common";

/** The addressing form of an A64 single-register load or store. */
export type Aarch64LoadStoreForm =
  | "unsigned-immediate"
  | "register"
  | "unscaled"
  | "pre-index"
  | "post-index"
  | "unprivileged"
  | "no-offset"
  | "literal";

/** size [31:30]: the access is 1 << size bytes. */
export const SIZE: BitField = field("size", 31, 30, [
  "Byte (1 byte)",
  "Halfword (2 bytes)",
  "Word (4 bytes)",
  "Doubleword (8 bytes)",
]);

/** V [26]: SIMD&FP (1) or general-purpose (0) register. */
export const V: BitField = flag("V", 26, "General-purpose register", "SIMD&FP register");

/** opc [23:22] of the register classes: store, load, or sign-extending load into X or W. */
export const OPC: BitField = field("opc", 23, 22, [
  "Store",
  "Load, zero-extended",
  "Load, sign-extended into a 64-bit register (or unallocated)",
  "Load, sign-extended into a 32-bit register (or unallocated)",
]);

/** opc [31:30] of the literal class. */
export const LITERAL_OPC: BitField = field("opc", 31, 30, [
  "LDR (32-bit)",
  "LDR (64-bit)",
  "LDRSW",
  "PRFM (a prefetch, not a load)",
]);

/** Rn [9:5]: the base register (31 = SP). */
export const RN: BitField = field("Rn", 9, 5, (v) => `${baseReg(v)}: base register`);

/** Rt [4:0]: the register transferred (31 = the zero register). */
export const RT: BitField = field(
  "Rt",
  4,
  0,
  (v) => `Register ${v}: the register transferred${v === 31 ? " (the zero register)" : ""}`,
);

function signed(value: number, width: number): number {
  return value >= 2 ** (width - 1) ? value - 2 ** width : value;
}

function offset(n: number): string {
  return n < 0 ? `#-${hexNum(-n)}` : `#${hexNum(n)}`;
}

const IMM12 = field(
  "imm12",
  21,
  10,
  (v, reg: Halves) =>
    `Unsigned offset ${offset(v << bits(SIZE, reg.lo))} (imm12 scaled by the size)`,
);
const IMM9 = field("imm9", 20, 12, (v) => `Signed offset ${offset(signed(v, 9))}`);
const IMM19 = field("imm19", 23, 5, (v) => `PC-relative offset ${offset(signed(v, 19) * 4)}`);
const RM = field(
  "Rm",
  20,
  16,
  (v) => `Index register ${v}${v === 31 ? " (the zero register)" : ""}`,
);
const OPTION = field("option", 15, 13, [
  undefined,
  undefined,
  "UXTW: zero-extend Wm",
  "LSL: Xm unextended",
  undefined,
  undefined,
  "SXTW: sign-extend Wm",
  "SXTX: Xm",
]);
const S = flag("S", 12, "Index not shifted", "Index shifted left by the size");

/** What each size << 2 | opc index does: store?, register width, sign-extending? */
type Access = readonly [isWrite: boolean, regWidth: 4 | 8, signedExt: boolean];

/** The access of the register classes, indexed by size << 2 | opc (PRFM and unallocated: none). */
export const ACCESS: readonly (Access | undefined)[] = [
  [true, 4, false],
  [false, 4, false],
  [false, 8, true],
  [false, 4, true],
  [true, 4, false],
  [false, 4, false],
  [false, 8, true],
  [false, 4, true],
  [true, 4, false],
  [false, 4, false],
  [false, 8, true],
  undefined,
  [true, 8, false],
  [false, 8, false],
  undefined,
  undefined,
];

type Names = readonly (string | undefined)[];

// Mnemonics by size << 2 | opc (Arm ARM C6.2: STRB, LDRB, LDRSB (64), LDRSB (32), … LDR (64)).
const PLAIN: Names = [
  "STRB",
  "LDRB",
  "LDRSB",
  "LDRSB",
  "STRH",
  "LDRH",
  "LDRSH",
  "LDRSH",
  "STR",
  "LDR",
  "LDRSW",
  undefined,
  "STR",
  "LDR",
  undefined,
  undefined,
];

/** Renames every mnemonic of `PLAIN` (LDRB → LDURB, STR → STTR, …) by inserting `infix` after LD/ST. */
function renamed(infix: string): Names {
  return PLAIN.map((m) => (m === undefined ? undefined : `${m.slice(0, 2)}${infix}${m.slice(2)}`));
}

// LDAPUR/STLUR (RCpc, unscaled): STLURB, LDAPURB, LDAPURSB, …, STLUR, LDAPUR.
const RCPC: Names = PLAIN.map((m) =>
  m === undefined ? undefined : m.startsWith("ST") ? `STLUR${m.slice(3)}` : `LDAPUR${m.slice(3)}`,
);

// LDAPR: a load of 1 << size bytes, zero-extended (index size << 2 | 1).
const LDAPR: Names = [
  undefined,
  "LDAPRB",
  undefined,
  undefined,
  undefined,
  "LDAPRH",
  undefined,
  undefined,
  undefined,
  "LDAPR",
  undefined,
  undefined,
  undefined,
  "LDAPR",
  undefined,
  undefined,
];

// LDR (literal): opc 0 → LDR (32-bit), 1 → LDR (64-bit), 2 → LDRSW; as size << 2 | opc indexes.
const LITERAL_INDEX: readonly (number | undefined)[] = [9, 13, 10, undefined];
const LITERAL: Names = Array.from({ length: 16 }, (_, i) =>
  i === 9 || i === 13 ? "LDR" : i === 10 ? "LDRSW" : undefined,
);

/** One encoding class: the bits that name it, its form, its mnemonics and its fields. */
export interface LoadStoreClass {
  /** The addressing form. */
  readonly form: Aarch64LoadStoreForm;
  /** The bits of the pattern. */
  readonly mask: number;
  /** Their values. */
  readonly match: number;
  /** Mnemonics by the access index (size << 2 | opc); `undefined` where nothing is allocated. */
  readonly names: Names;
  /** Whether the form writes the address back to Rn. */
  readonly writeback: boolean;
  /** How the word names its access index. */
  readonly index: "size-opc" | "size" | "literal-opc";
  /** The word's fields, high to low. */
  readonly fields: readonly BitField[];
}

const REG_CLASS = 0x3f00_0000; // [29:24]
const IMM9_CLASS = 0x3f20_0c00; // [29:24], [21], [11:10]
const IMM9_FIELDS: readonly BitField[] = [SIZE, V, OPC, IMM9, RN, RT];

function imm9Class(form: Aarch64LoadStoreForm, op: number, names: Names): LoadStoreClass {
  return {
    form,
    mask: IMM9_CLASS,
    match: 0x3800_0000 | (op << 10),
    names,
    writeback: form === "pre-index" || form === "post-index",
    index: "size-opc",
    fields: IMM9_FIELDS,
  };
}

/** Every encoding class the ISV = 0 decoder knows, in no particular order (they are disjoint). */
export const LOAD_STORE_CLASSES: readonly LoadStoreClass[] = [
  {
    form: "unsigned-immediate",
    mask: REG_CLASS,
    match: 0x3900_0000,
    names: PLAIN,
    writeback: false,
    index: "size-opc",
    fields: [SIZE, V, OPC, IMM12, RN, RT],
  },
  {
    form: "register",
    mask: IMM9_CLASS | 0x4000,
    match: 0x3820_4800,
    names: PLAIN,
    writeback: false,
    index: "size-opc",
    fields: [SIZE, V, OPC, RM, OPTION, S, RN, RT],
  },
  imm9Class("unscaled", 0, renamed("U")),
  imm9Class("post-index", 1, PLAIN),
  imm9Class("unprivileged", 2, renamed("T")),
  imm9Class("pre-index", 3, PLAIN),
  {
    form: "unscaled",
    mask: IMM9_CLASS,
    match: 0x1900_0000,
    names: RCPC,
    writeback: false,
    index: "size-opc",
    fields: IMM9_FIELDS,
  },
  {
    form: "no-offset",
    mask: 0x3fff_fc00,
    match: 0x38bf_c000,
    names: LDAPR,
    writeback: false,
    index: "size",
    fields: [SIZE, V, RN, RT],
  },
  {
    form: "literal",
    mask: REG_CLASS,
    match: 0x1800_0000,
    names: LITERAL,
    writeback: false,
    index: "literal-opc",
    fields: [LITERAL_OPC, V, IMM19, RT],
  },
];

/** The class of an instruction word, or `undefined` when it is none of the classes above. */
export function loadStoreClass(word: number): LoadStoreClass | undefined {
  for (const c of LOAD_STORE_CLASSES) if ((word & c.mask) === c.match) return c;
  return undefined;
}

/** The access index (size << 2 | opc) of `word` in class `c`; `undefined` for PRFM (literal). */
export function accessIndex(c: LoadStoreClass, word: number): number | undefined {
  if (c.index === "size-opc") return (bits(SIZE, word) << 2) | bits(OPC, word);
  if (c.index === "size") return (bits(SIZE, word) << 2) | 1;
  return LITERAL_INDEX[bits(LITERAL_OPC, word)];
}
