import type { AccessWidth } from "../core/scalars/access-width";
import type {
  RiscvInstruction,
  RiscvInstructionSource,
  RiscvMemoryAccess,
  RiscvXlen,
} from "./types";

/** Major opcodes (bits 6:0) the decoder knows. */
export const OPCODE = {
  /** LOAD. */
  LOAD: 0x03,
  /** LOAD-FP. */
  LOAD_FP: 0x07,
  /** STORE. */
  STORE: 0x23,
  /** STORE-FP. */
  STORE_FP: 0x27,
  /** AMO. */
  AMO: 0x2f,
  /** SYSTEM. */
  SYSTEM: 0x73,
} as const;

/** One row of a load/store table indexed by funct3: mnemonic, width, sign extension, RV64-only. */
type MemRow = readonly [
  mnemonic: string,
  width: AccessWidth | undefined,
  signedExt: boolean,
  rv64: boolean,
];

/** Integer loads (opcode LOAD) indexed by funct3. */
export const LOADS: readonly (MemRow | undefined)[] = [
  ["lb", 1, true, false],
  ["lh", 2, true, false],
  ["lw", 4, true, false],
  ["ld", 8, true, true],
  ["lbu", 1, false, false],
  ["lhu", 2, false, false],
  ["lwu", 4, false, true],
  undefined,
];

/** Integer stores (opcode STORE) indexed by funct3. */
export const STORES: readonly (MemRow | undefined)[] = [
  ["sb", 1, false, false],
  ["sh", 2, false, false],
  ["sw", 4, false, false],
  ["sd", 8, false, true],
  undefined,
  undefined,
  undefined,
  undefined,
];

/** Scalar FP loads (opcode LOAD-FP) indexed by funct3; FLQ is 16 bytes (no access width). */
const FP_LOADS: readonly (MemRow | undefined)[] = [
  undefined,
  ["flh", 2, false, false],
  ["flw", 4, false, false],
  ["fld", 8, false, false],
  ["flq", undefined, false, false],
  undefined,
  undefined,
  undefined,
];

/** Scalar FP stores (opcode STORE-FP) indexed by funct3. */
const FP_STORES: readonly (MemRow | undefined)[] = [
  undefined,
  ["fsh", 2, false, false],
  ["fsw", 4, false, false],
  ["fsd", 8, false, false],
  ["fsq", undefined, false, false],
  undefined,
  undefined,
  undefined,
];

/** AMO operation names indexed by funct5 (bits 31:27). */
const AMO_OPS: readonly (string | undefined)[] = (() => {
  const ops: (string | undefined)[] = new Array<string | undefined>(32).fill(undefined);
  const rows: readonly (readonly [number, string])[] = [
    [0x00, "amoadd"],
    [0x01, "amoswap"],
    [0x02, "lr"],
    [0x03, "sc"],
    [0x04, "amoxor"],
    [0x05, "amocas"],
    [0x08, "amoor"],
    [0x0c, "amoand"],
    [0x10, "amomin"],
    [0x14, "amomax"],
    [0x18, "amominu"],
    [0x1c, "amomaxu"],
  ];
  for (const [f5, name] of rows) ops[f5] = name;
  return ops;
})();

/** Exact SYSTEM encodings with funct3 = 0 and no operands. */
const SYSTEM_EXACT: ReadonlyMap<number, string> = new Map([
  [0x00000073, "ecall"],
  [0x00100073, "ebreak"],
  [0x10200073, "sret"],
  [0x30200073, "mret"],
  [0x10500073, "wfi"],
  [0x00d00073, "wrs.nto"],
  [0x01d00073, "wrs.sto"],
]);

/** SYSTEM funct3 = 0 fences indexed by funct7 (rd = 0). */
const SYSTEM_FENCES: ReadonlyMap<number, string> = new Map([
  [0x09, "sfence.vma"],
  [0x0b, "sinval.vma"],
  [0x11, "hfence.vvma"],
  [0x13, "hinval.vvma"],
  [0x31, "hfence.gvma"],
  [0x33, "hinval.gvma"],
]);

/** CSR instruction mnemonics indexed by funct3. */
export const CSR_OPS: readonly (string | undefined)[] = [
  undefined,
  "csrrw",
  "csrrs",
  "csrrc",
  undefined,
  "csrrwi",
  "csrrsi",
  "csrrci",
];

const SIZE_SUFFIX = ["b", "h", "w", "d"] as const;
const SIZE_WIDTH: readonly AccessWidth[] = [1, 2, 4, 8];

/** Mutable builder with every field of `RiscvInstruction`, so all instances share one shape. */
type Draft = { -readonly [K in keyof RiscvInstruction]: RiscvInstruction[K] };

/** A fresh instruction record with every field set (unknown mnemonic, no operands). */
export function blankInstruction(
  raw: number,
  source: RiscvInstructionSource,
  transformed: boolean,
  length: 2 | 4,
): Draft {
  return {
    raw,
    source,
    transformed,
    length,
    mnemonic: "unknown",
    opcode: 0,
    funct3: 0,
    rd: undefined,
    rs1: undefined,
    rs2: undefined,
    imm: undefined,
    csr: undefined,
    addrOffset: undefined,
    access: undefined,
    width: undefined,
    signedExt: false,
    integer: false,
  };
}

function setMemory(
  d: Draft,
  row: MemRow,
  access: RiscvMemoryAccess,
  integer: boolean,
  xlen: RiscvXlen,
): boolean {
  if (row[3] && xlen === 32) return false;
  d.mnemonic = row[0];
  d.access = access;
  d.width = row[1];
  d.signedExt = access === "load" && row[2];
  d.integer = integer;
  return true;
}

function signExtend12(v: number): number {
  return (v << 20) >> 20;
}

function decodeLoadStore(d: Draft, w: number, xlen: RiscvXlen): void {
  const opcode = d.opcode;
  const funct3 = d.funct3;
  const isLoad = opcode === OPCODE.LOAD || opcode === OPCODE.LOAD_FP;
  const integer = opcode === OPCODE.LOAD || opcode === OPCODE.STORE;
  const table = isLoad ? (integer ? LOADS : FP_LOADS) : integer ? STORES : FP_STORES;
  const row = table[funct3];
  if (row === undefined || !setMemory(d, row, isLoad ? "load" : "store", integer, xlen)) return;
  if (isLoad) d.rd = (w >>> 7) & 31;
  else d.rs2 = (w >>> 20) & 31;
  if (d.transformed) {
    d.addrOffset = (w >>> 15) & 31;
    return;
  }
  d.rs1 = (w >>> 15) & 31;
  d.imm = isLoad ? signExtend12(w >>> 20) : signExtend12(((w >>> 25) << 5) | ((w >>> 7) & 31));
}

function decodeAmo(d: Draft, w: number, xlen: RiscvXlen): void {
  const op = AMO_OPS[w >>> 27];
  const size: number = d.funct3 === 2 ? 2 : d.funct3 === 3 && xlen === 64 ? 3 : -1;
  if (op === undefined || size < 0) return;
  d.mnemonic = `${op}.${SIZE_SUFFIX[size]}`;
  d.access = "amo";
  d.width = SIZE_WIDTH[size];
  d.rd = (w >>> 7) & 31;
  d.rs2 = (w >>> 20) & 31;
  if (d.transformed) d.addrOffset = (w >>> 15) & 31;
  else d.rs1 = (w >>> 15) & 31;
}

/** HLV/HLVX/HSV (SYSTEM funct3 = 4): funct7 = 0110 ss s?; rs2 picks unsigned / execute variants. */
function decodeHypervisorLoadStore(d: Draft, w: number): void {
  const funct7 = w >>> 25;
  if (funct7 >>> 3 !== 0b0110) return;
  const size = (funct7 >>> 1) & 3;
  const store = (funct7 & 1) === 1;
  const rs2 = (w >>> 20) & 31;
  const suffix = SIZE_SUFFIX[size] as string;
  if (store) {
    if (((w >>> 7) & 31) !== 0) return;
    d.mnemonic = `hsv.${suffix}`;
    d.rs2 = rs2;
  } else {
    const variant = rs2 === 0 ? "hlv" : rs2 === 1 ? "hlv" : rs2 === 3 ? "hlvx" : undefined;
    if (variant === undefined || (rs2 !== 0 && size === 3) || (rs2 === 3 && size === 0)) return;
    d.mnemonic = `${variant}.${suffix}${rs2 === 0 ? "" : "u"}`;
    d.rd = (w >>> 7) & 31;
  }
  d.access = store ? "store" : "load";
  d.width = SIZE_WIDTH[size];
  if (d.transformed) d.addrOffset = (w >>> 15) & 31;
  else d.rs1 = (w >>> 15) & 31;
}

function decodeSystem(d: Draft, w: number): void {
  const funct3 = d.funct3;
  const csrOp = CSR_OPS[funct3];
  if (csrOp !== undefined) {
    d.mnemonic = csrOp;
    d.rd = (w >>> 7) & 31;
    d.csr = w >>> 20;
    if (funct3 >= 5) d.imm = (w >>> 15) & 31;
    else d.rs1 = (w >>> 15) & 31;
    return;
  }
  if (funct3 === 4) {
    decodeHypervisorLoadStore(d, w);
    return;
  }
  const exact = SYSTEM_EXACT.get(w >>> 0);
  if (exact !== undefined) {
    d.mnemonic = exact;
    return;
  }
  const fence = ((w >>> 7) & 31) === 0 ? SYSTEM_FENCES.get(w >>> 25) : undefined;
  if (fence !== undefined) {
    d.mnemonic = fence;
    d.rs1 = (w >>> 15) & 31;
    d.rs2 = (w >>> 20) & 31;
  }
}

/**
 * Decodes a 32-bit instruction word (bits 1:0 = 11). With `transformed`, the word is an htinst
 * transformed instruction with bit 1 already set: its immediate fields must be zero and its rs1
 * field is the address offset; a word that breaks those rules returns `undefined` (a custom value).
 */
export function decode32(
  w: number,
  raw: number,
  source: RiscvInstructionSource,
  transformed: boolean,
  length: 2 | 4,
  xlen: RiscvXlen,
): RiscvInstruction | undefined {
  const d = blankInstruction(raw, source, transformed, length);
  const opcode = w & 0x7f;
  d.opcode = opcode;
  d.funct3 = (w >>> 12) & 7;
  switch (opcode) {
    case OPCODE.LOAD:
    case OPCODE.LOAD_FP:
      if (transformed && w >>> 20 !== 0) return undefined;
      decodeLoadStore(d, w, xlen);
      break;
    case OPCODE.STORE:
    case OPCODE.STORE_FP:
      if (transformed && (w >>> 25 !== 0 || ((w >>> 7) & 31) !== 0)) return undefined;
      decodeLoadStore(d, w, xlen);
      break;
    case OPCODE.AMO:
      decodeAmo(d, w, xlen);
      break;
    case OPCODE.SYSTEM:
      if (transformed && d.funct3 !== 4) return undefined;
      decodeSystem(d, w);
      break;
    default:
      if (transformed) return undefined;
  }
  if (transformed && d.access === undefined) return undefined;
  return d;
}
