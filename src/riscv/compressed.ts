import type { AccessWidth } from "../core/scalars/access-width";
import { blankInstruction, OPCODE } from "./instruction";
import type { RiscvInstruction, RiscvInstructionSource, RiscvXlen } from "./types";

/** Register/immediate layout of a compressed load/store. */
type Form = "cl" | "cs" | "clsp" | "cssp";

/** One compressed load/store: mnemonic, layout, expanded opcode and funct3, width, sign extension, offset decoder. */
interface CRow {
  readonly mnemonic: string;
  readonly form: Form;
  readonly opcode: number;
  readonly funct3: number;
  readonly width: AccessWidth;
  readonly signedExt: boolean;
  readonly imm: (r: number) => number;
}

/** C.LW / C.SW offset: uimm[5:3] = 12:10, uimm[2] = 6, uimm[6] = 5. */
const immClW = (r: number): number =>
  (((r >>> 10) & 7) << 3) | (((r >>> 6) & 1) << 2) | (((r >>> 5) & 1) << 6);
/** C.LD / C.SD / C.FLD / C.FSD offset: uimm[5:3] = 12:10, uimm[7:6] = 6:5. */
const immClD = (r: number): number => (((r >>> 10) & 7) << 3) | (((r >>> 5) & 3) << 6);
/** C.LWSP offset: uimm[5] = 12, uimm[4:2] = 6:4, uimm[7:6] = 3:2. */
const immLwsp = (r: number): number =>
  (((r >>> 12) & 1) << 5) | (((r >>> 4) & 7) << 2) | (((r >>> 2) & 3) << 6);
/** C.LDSP offset: uimm[5] = 12, uimm[4:3] = 6:5, uimm[8:6] = 4:2. */
const immLdsp = (r: number): number =>
  (((r >>> 12) & 1) << 5) | (((r >>> 5) & 3) << 3) | (((r >>> 2) & 7) << 6);
/** C.SWSP offset: uimm[5:2] = 12:9, uimm[7:6] = 8:7. */
const immSwsp = (r: number): number => (((r >>> 9) & 15) << 2) | (((r >>> 7) & 3) << 6);
/** C.SDSP offset: uimm[5:3] = 12:10, uimm[8:6] = 9:7. */
const immSdsp = (r: number): number => (((r >>> 10) & 7) << 3) | (((r >>> 7) & 7) << 6);
/** Zcb C.LBU / C.SB offset: uimm[0] = 6, uimm[1] = 5. */
const immZcbB = (r: number): number => ((r >>> 6) & 1) | (((r >>> 5) & 1) << 1);
/** Zcb C.LH / C.LHU / C.SH offset: uimm[1] = 5. */
const immZcbH = (r: number): number => ((r >>> 5) & 1) << 1;

function row(
  mnemonic: string,
  form: Form,
  opcode: number,
  funct3: number,
  width: AccessWidth,
  signedExt: boolean,
  imm: (r: number) => number,
): CRow {
  return { mnemonic, form, opcode, funct3, width, signedExt, imm };
}

const { LOAD, STORE, LOAD_FP, STORE_FP } = OPCODE;

/** Quadrants 0 and 2 indexed by funct3 (bits 15:13), RV64 meaning. */
const Q0_RV64: readonly (CRow | undefined)[] = [
  undefined, // c.addi4spn
  row("c.fld", "cl", LOAD_FP, 3, 8, false, immClD),
  row("c.lw", "cl", LOAD, 2, 4, true, immClW),
  row("c.ld", "cl", LOAD, 3, 8, true, immClD),
  undefined, // Zcb, decoded separately
  row("c.fsd", "cs", STORE_FP, 3, 8, false, immClD),
  row("c.sw", "cs", STORE, 2, 4, false, immClW),
  row("c.sd", "cs", STORE, 3, 8, false, immClD),
];
const Q2_RV64: readonly (CRow | undefined)[] = [
  undefined, // c.slli
  row("c.fldsp", "clsp", LOAD_FP, 3, 8, false, immLdsp),
  row("c.lwsp", "clsp", LOAD, 2, 4, true, immLwsp),
  row("c.ldsp", "clsp", LOAD, 3, 8, true, immLdsp),
  undefined, // c.jr / c.mv / c.ebreak / c.jalr / c.add
  row("c.fsdsp", "cssp", STORE_FP, 3, 8, false, immSdsp),
  row("c.swsp", "cssp", STORE, 2, 4, false, immSwsp),
  row("c.sdsp", "cssp", STORE, 3, 8, false, immSdsp),
];
/** On RV32, funct3 011 and 111 are the single-precision FP forms. */
const Q0_RV32: readonly (CRow | undefined)[] = Q0_RV64.map((r, f3) =>
  f3 === 3
    ? row("c.flw", "cl", LOAD_FP, 2, 4, false, immClW)
    : f3 === 7
      ? row("c.fsw", "cs", STORE_FP, 2, 4, false, immClW)
      : r,
);
const Q2_RV32: readonly (CRow | undefined)[] = Q2_RV64.map((r, f3) =>
  f3 === 3
    ? row("c.flwsp", "clsp", LOAD_FP, 2, 4, false, immLwsp)
    : f3 === 7
      ? row("c.fswsp", "cssp", STORE_FP, 2, 4, false, immSwsp)
      : r,
);

/** Zcb loads/stores (quadrant 0, funct3 100) indexed by bits 12:10 * 2 + bit 6. */
const ZCB: readonly (CRow | undefined)[] = [
  row("c.lbu", "cl", LOAD, 4, 1, false, immZcbB),
  row("c.lbu", "cl", LOAD, 4, 1, false, immZcbB),
  row("c.lhu", "cl", LOAD, 5, 2, false, immZcbH),
  row("c.lh", "cl", LOAD, 1, 2, true, immZcbH),
  row("c.sb", "cs", STORE, 0, 1, false, immZcbB),
  row("c.sb", "cs", STORE, 0, 1, false, immZcbB),
  row("c.sh", "cs", STORE, 1, 2, false, immZcbH),
  undefined, // 100011 with bit 6 set: reserved
];

function lookup(r: number, xlen: RiscvXlen): CRow | undefined {
  const op = r & 3;
  const funct3 = r >>> 13;
  if (op === 0) {
    if (funct3 === 4) return ZCB[(((r >>> 10) & 7) << 1) | ((r >>> 6) & 1)];
    return (xlen === 64 ? Q0_RV64 : Q0_RV32)[funct3];
  }
  if (op === 2) return (xlen === 64 ? Q2_RV64 : Q2_RV32)[funct3];
  return undefined;
}

/**
 * Decodes a 16-bit compressed instruction (bits 1:0 ≠ 11) as its 32-bit expansion: loads and
 * stores of the C extension and Zcb; anything else is returned with mnemonic `unknown`, op
 * (bits 1:0) as `opcode` and bits 15:13 as `funct3`.
 */
export function decodeCompressed(
  r: number,
  source: RiscvInstructionSource,
  xlen: RiscvXlen,
): RiscvInstruction {
  const d = blankInstruction(r, source, false, 2);
  const entry = lookup(r, xlen);
  const integer = entry !== undefined && (entry.opcode === LOAD || entry.opcode === STORE);
  // C.LWSP / C.LDSP with rd = x0 are reserved encodings.
  if (entry === undefined || (integer && entry.form === "clsp" && ((r >>> 7) & 31) === 0)) {
    d.opcode = r & 3;
    d.funct3 = r >>> 13;
    return d;
  }
  const isLoad = entry.opcode === LOAD || entry.opcode === LOAD_FP;
  d.mnemonic = entry.mnemonic;
  d.opcode = entry.opcode;
  d.funct3 = entry.funct3;
  d.access = isLoad ? "load" : "store";
  d.width = entry.width;
  d.signedExt = entry.signedExt;
  d.integer = integer;
  d.imm = entry.imm(r);
  switch (entry.form) {
    case "cl":
      d.rd = 8 + ((r >>> 2) & 7);
      d.rs1 = 8 + ((r >>> 7) & 7);
      break;
    case "cs":
      d.rs2 = 8 + ((r >>> 2) & 7);
      d.rs1 = 8 + ((r >>> 7) & 7);
      break;
    case "clsp":
      d.rd = (r >>> 7) & 31;
      d.rs1 = 2;
      break;
    case "cssp":
      d.rs2 = (r >>> 2) & 31;
      d.rs1 = 2;
      break;
  }
  return d;
}
