import { bits, isSet } from "../../core/layout";
import type { AccessWidth } from "../../core/scalars/access-width";
import type { RiscvXlen } from "../snapshot";
import {
  ADDR_OFFSET,
  CSR,
  FUNCT3,
  FUNCT5,
  FUNCT7,
  HLSV_GROUP,
  HLSV_SIZE,
  HLSV_STORE,
  IMM_I,
  IMM_S_HI,
  IMM_S_LO,
  OPCODE as OPCODE_FIELD,
  RD,
  RS1,
  RS2,
  UIMM,
} from "./format";
import {
  blankInstruction,
  type InstructionDraft,
  type RiscvInstruction,
  type RiscvInstructionSource,
} from "./instruction";

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

/** The WFI encoding. */
export const WFI = 0x10500073;

/** One row of a load/store table indexed by funct3: mnemonic, width, sign extension, RV64-only. */
type MemRow = readonly [
  mnemonic: string,
  width: AccessWidth | undefined,
  signedExt: boolean,
  rv64: boolean,
];

/** Integer loads (opcode LOAD) indexed by funct3. */
const LOADS: readonly (MemRow | undefined)[] = [
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
const STORES: readonly (MemRow | undefined)[] = [
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
const AMO_OPS: readonly (string | undefined)[] = /* @__PURE__ */ indexed(32, [
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
]);

/** SYSTEM funct3 = 0 fences indexed by funct7 (rd = 0). */
const SYSTEM_FENCES: readonly (string | undefined)[] = /* @__PURE__ */ indexed(128, [
  [0x09, "sfence.vma"],
  [0x0b, "sinval.vma"],
  [0x11, "hfence.vvma"],
  [0x13, "hinval.vvma"],
  [0x31, "hfence.gvma"],
  [0x33, "hinval.gvma"],
]);

/** Exact SYSTEM encodings with funct3 = 0 and no operands. */
const SYSTEM_EXACT: ReadonlyMap<number, string> = /* @__PURE__ */ new Map([
  [0x00000073, "ecall"],
  [0x00100073, "ebreak"],
  [0x10200073, "sret"],
  [0x30200073, "mret"],
  [WFI, "wfi"],
  [0x00d00073, "wrs.nto"],
  [0x01d00073, "wrs.sto"],
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

/** funct3 of the immediate CSR forms (CSRRWI, CSRRSI, CSRRCI) starts here. */
export const CSR_IMMEDIATE_FUNCT3 = 5;
/** funct3 of HLV / HLVX / HSV (SYSTEM). */
const HYPERVISOR_LOAD_STORE_FUNCT3 = 4;

const SIZE_SUFFIX = ["b", "h", "w", "d"] as const;
const SIZE_WIDTH: readonly AccessWidth[] = [1, 2, 4, 8];

/** An array of `size` entries with the rows' names at their indexes (undefined elsewhere). */
function indexed(
  size: number,
  rows: readonly (readonly [number, string])[],
): readonly (string | undefined)[] {
  const out = new Array<string | undefined>(size).fill(undefined);
  for (const [i, name] of rows) out[i] = name;
  return out;
}

function signExtend12(v: number): number {
  return (v << 20) >> 20;
}

function decodeLoadStore(d: InstructionDraft, w: number, xlen: RiscvXlen): void {
  const opcode = d.opcode;
  const isLoad = opcode === OPCODE.LOAD || opcode === OPCODE.LOAD_FP;
  const integer = opcode === OPCODE.LOAD || opcode === OPCODE.STORE;
  const table = isLoad ? (integer ? LOADS : FP_LOADS) : integer ? STORES : FP_STORES;
  const row = table[d.funct3];
  if (row === undefined || (row[3] && xlen === 32)) return; // none, or RV64-only on RV32
  d.mnemonic = row[0];
  d.access = isLoad ? "load" : "store";
  d.width = row[1];
  d.signedExt = isLoad && row[2];
  d.integer = integer;
  if (isLoad) d.rd = bits(RD, w);
  else d.rs2 = bits(RS2, w);
  if (d.transformed) {
    d.addrOffset = bits(ADDR_OFFSET, w);
    return;
  }
  d.rs1 = bits(RS1, w);
  // S-type: imm[11:5] sits above the five bits of imm[4:0]
  d.imm = signExtend12(isLoad ? bits(IMM_I, w) : (bits(IMM_S_HI, w) << 5) | bits(IMM_S_LO, w));
}

function decodeAmo(d: InstructionDraft, w: number, xlen: RiscvXlen): void {
  const op = AMO_OPS[bits(FUNCT5, w)];
  const size: number = d.funct3 === 2 ? 2 : d.funct3 === 3 && xlen === 64 ? 3 : -1;
  if (op === undefined || size < 0) return;
  d.mnemonic = `${op}.${SIZE_SUFFIX[size]}`;
  d.access = "amo";
  d.width = SIZE_WIDTH[size];
  d.rd = bits(RD, w);
  d.rs2 = bits(RS2, w);
  if (d.transformed) d.addrOffset = bits(ADDR_OFFSET, w);
  else d.rs1 = bits(RS1, w);
}

/** HLV/HLVX/HSV (SYSTEM funct3 = 4): funct7 = 0110 ss s?; rs2 picks unsigned / execute variants. */
function decodeHypervisorLoadStore(d: InstructionDraft, w: number): void {
  if (bits(HLSV_GROUP, w) !== 0b0110) return;
  const size = bits(HLSV_SIZE, w);
  const store = isSet(HLSV_STORE, w);
  const rs2 = bits(RS2, w);
  const suffix = SIZE_SUFFIX[size] as string;
  if (store) {
    if (bits(RD, w) !== 0) return;
    d.mnemonic = `hsv.${suffix}`;
    d.rs2 = rs2;
  } else {
    const variant = rs2 === 0 ? "hlv" : rs2 === 1 ? "hlv" : rs2 === 3 ? "hlvx" : undefined;
    if (variant === undefined || (rs2 !== 0 && size === 3) || (rs2 === 3 && size === 0)) return;
    d.mnemonic = `${variant}.${suffix}${rs2 === 0 ? "" : "u"}`;
    d.rd = bits(RD, w);
  }
  d.access = store ? "store" : "load";
  d.width = SIZE_WIDTH[size];
  if (d.transformed) d.addrOffset = bits(ADDR_OFFSET, w);
  else d.rs1 = bits(RS1, w);
}

function decodeSystem(d: InstructionDraft, w: number): void {
  const funct3 = d.funct3;
  const csrOp = CSR_OPS[funct3];
  if (csrOp !== undefined) {
    d.mnemonic = csrOp;
    d.rd = bits(RD, w);
    d.csr = bits(CSR, w);
    if (funct3 >= CSR_IMMEDIATE_FUNCT3) d.imm = bits(UIMM, w);
    else d.rs1 = bits(RS1, w);
    return;
  }
  if (funct3 === HYPERVISOR_LOAD_STORE_FUNCT3) {
    decodeHypervisorLoadStore(d, w);
    return;
  }
  const exact = SYSTEM_EXACT.get(w >>> 0);
  if (exact !== undefined) {
    d.mnemonic = exact;
    return;
  }
  const fence = bits(RD, w) === 0 ? SYSTEM_FENCES[bits(FUNCT7, w)] : undefined;
  if (fence !== undefined) {
    d.mnemonic = fence;
    d.rs1 = bits(RS1, w);
    d.rs2 = bits(RS2, w);
  }
}

/**
 * Decodes a 32-bit instruction word (bits 1:0 = 11) into `d` (blank, from `instructionDraft`).
 * When `d.transformed`, the word is an htinst transformed instruction with bit 1 already set: its
 * immediate fields must be zero and its rs1 field is the address offset; a word that breaks those
 * rules gives false (a custom value).
 */
export function decode32Into(d: InstructionDraft, w: number, xlen: RiscvXlen): boolean {
  const transformed = d.transformed;
  const opcode = bits(OPCODE_FIELD, w);
  d.opcode = opcode;
  d.funct3 = bits(FUNCT3, w);
  switch (opcode) {
    case OPCODE.LOAD:
    case OPCODE.LOAD_FP:
      if (transformed && bits(IMM_I, w) !== 0) return false;
      decodeLoadStore(d, w, xlen);
      break;
    case OPCODE.STORE:
    case OPCODE.STORE_FP:
      if (transformed && (bits(IMM_S_HI, w) !== 0 || bits(IMM_S_LO, w) !== 0)) return false;
      decodeLoadStore(d, w, xlen);
      break;
    case OPCODE.AMO:
      decodeAmo(d, w, xlen);
      break;
    case OPCODE.SYSTEM:
      if (transformed && d.funct3 !== HYPERVISOR_LOAD_STORE_FUNCT3) return false;
      decodeSystem(d, w);
      break;
    default:
      if (transformed) return false;
  }
  return !transformed || d.access !== undefined;
}

/** Decodes a raw 32-bit instruction word (never `undefined`: an unknown word has mnemonic `unknown`). */
export function decodeRaw32(
  w: number,
  source: RiscvInstructionSource,
  xlen: RiscvXlen,
): RiscvInstruction {
  const d = blankInstruction(w, source, false, 4);
  decode32Into(d, w, xlen);
  return d;
}
