import { bits } from "../../core/layout";
import type { AccessWidth } from "../../core/scalars/access-width";
import type { RiscvXlen } from "../snapshot";
import { cachedInstruction, instructionCache, rememberInstruction } from "./cache";
import { decodeRaw32, OPCODE } from "./decode";
import {
  C_FUNCT3,
  C_OP,
  C_RD,
  C_RDP,
  C_RS1P,
  C_RS2,
  C_RS2P,
  C_ZCB_BIT6,
  C_ZCB_OP,
  CI_SP_TYPE,
  CL_TYPE,
  CLB_TYPE,
  CS_TYPE,
  CSB_TYPE,
  CSS_TYPE,
  type ImmPiece,
  type InsnFormat,
  isCompressed,
  scatteredImm,
} from "./format";
import {
  type InsnForm,
  insnForm,
  instruction,
  type RiscvInstruction,
  type RiscvInstructionSource,
  UNKNOWN_FORM,
} from "./instruction";

/** One compressed load/store: its form, format, expanded opcode and funct3, and offset pieces. */
interface CRow {
  readonly form: InsnForm;
  readonly format: InsnFormat;
  readonly opcode: number;
  readonly funct3: number;
  readonly imm: readonly ImmPiece[];
}

// Offsets (RVC spec, "Load and Store Instructions"; Zcb): instruction bits hi:lo → offset bit.
/** C.LW / C.SW / C.FLW / C.FSW: uimm[5:3] = 12:10, uimm[2] = 6, uimm[6] = 5. */
const IMM_CL_W = /* @__PURE__ */ scatteredImm([12, 10, 3], [6, 6, 2], [5, 5, 6]);
/** C.LD / C.SD / C.FLD / C.FSD: uimm[5:3] = 12:10, uimm[7:6] = 6:5. */
const IMM_CL_D = /* @__PURE__ */ scatteredImm([12, 10, 3], [6, 5, 6]);
/** C.LWSP / C.FLWSP: uimm[5] = 12, uimm[4:2] = 6:4, uimm[7:6] = 3:2. */
const IMM_LWSP = /* @__PURE__ */ scatteredImm([12, 12, 5], [6, 4, 2], [3, 2, 6]);
/** C.LDSP / C.FLDSP: uimm[5] = 12, uimm[4:3] = 6:5, uimm[8:6] = 4:2. */
const IMM_LDSP = /* @__PURE__ */ scatteredImm([12, 12, 5], [6, 5, 3], [4, 2, 6]);
/** C.SWSP / C.FSWSP: uimm[5:2] = 12:9, uimm[7:6] = 8:7. */
const IMM_SWSP = /* @__PURE__ */ scatteredImm([12, 9, 2], [8, 7, 6]);
/** C.SDSP / C.FSDSP: uimm[5:3] = 12:10, uimm[8:6] = 9:7. */
const IMM_SDSP = /* @__PURE__ */ scatteredImm([12, 10, 3], [9, 7, 6]);
/** Zcb C.LBU / C.SB: uimm[0] = 6, uimm[1] = 5. */
const IMM_ZCB_B = /* @__PURE__ */ scatteredImm([6, 6, 0], [5, 5, 1]);
/** Zcb C.LH / C.LHU / C.SH: uimm[1] = 5. */
const IMM_ZCB_H = /* @__PURE__ */ scatteredImm([5, 5, 1]);

/* @__NO_SIDE_EFFECTS__ */
function row(
  mnemonic: string,
  format: InsnFormat,
  opcode: number,
  funct3: number,
  width: AccessWidth,
  signedExt: boolean,
  imm: readonly ImmPiece[],
): CRow {
  const access = opcode === OPCODE.LOAD || opcode === OPCODE.LOAD_FP ? "load" : "store";
  const integer = opcode === OPCODE.LOAD || opcode === OPCODE.STORE;
  return {
    form: insnForm(mnemonic, access, width, { signedExt, integer }),
    format,
    opcode,
    funct3,
    imm,
  };
}

const { LOAD, STORE, LOAD_FP, STORE_FP } = OPCODE;

/** Quadrant 0 indexed by funct3 (bits 15:13), RV64 meaning. */
const Q0_RV64: readonly (CRow | undefined)[] = [
  undefined, // c.addi4spn
  /* @__PURE__ */ row("c.fld", CL_TYPE, LOAD_FP, 3, 8, false, IMM_CL_D),
  /* @__PURE__ */ row("c.lw", CL_TYPE, LOAD, 2, 4, true, IMM_CL_W),
  /* @__PURE__ */ row("c.ld", CL_TYPE, LOAD, 3, 8, true, IMM_CL_D),
  undefined, // Zcb, decoded separately
  /* @__PURE__ */ row("c.fsd", CS_TYPE, STORE_FP, 3, 8, false, IMM_CL_D),
  /* @__PURE__ */ row("c.sw", CS_TYPE, STORE, 2, 4, false, IMM_CL_W),
  /* @__PURE__ */ row("c.sd", CS_TYPE, STORE, 3, 8, false, IMM_CL_D),
];
/** Quadrant 2 indexed by funct3, RV64 meaning. */
const Q2_RV64: readonly (CRow | undefined)[] = [
  undefined, // c.slli
  /* @__PURE__ */ row("c.fldsp", CI_SP_TYPE, LOAD_FP, 3, 8, false, IMM_LDSP),
  /* @__PURE__ */ row("c.lwsp", CI_SP_TYPE, LOAD, 2, 4, true, IMM_LWSP),
  /* @__PURE__ */ row("c.ldsp", CI_SP_TYPE, LOAD, 3, 8, true, IMM_LDSP),
  undefined, // c.jr / c.mv / c.ebreak / c.jalr / c.add
  /* @__PURE__ */ row("c.fsdsp", CSS_TYPE, STORE_FP, 3, 8, false, IMM_SDSP),
  /* @__PURE__ */ row("c.swsp", CSS_TYPE, STORE, 2, 4, false, IMM_SWSP),
  /* @__PURE__ */ row("c.sdsp", CSS_TYPE, STORE, 3, 8, false, IMM_SDSP),
];
/** On RV32, funct3 011 and 111 are the single-precision FP forms. */
const Q0_RV32: readonly (CRow | undefined)[] = /* @__PURE__ */ Q0_RV64.map((r, f3) =>
  f3 === 3
    ? row("c.flw", CL_TYPE, LOAD_FP, 2, 4, false, IMM_CL_W)
    : f3 === 7
      ? row("c.fsw", CS_TYPE, STORE_FP, 2, 4, false, IMM_CL_W)
      : r,
);
const Q2_RV32: readonly (CRow | undefined)[] = /* @__PURE__ */ Q2_RV64.map((r, f3) =>
  f3 === 3
    ? row("c.flwsp", CI_SP_TYPE, LOAD_FP, 2, 4, false, IMM_LWSP)
    : f3 === 7
      ? row("c.fswsp", CSS_TYPE, STORE_FP, 2, 4, false, IMM_SWSP)
      : r,
);

/** Zcb loads/stores (quadrant 0, funct3 100) indexed by bits 12:10 * 2 + bit 6. */
const ZCB: readonly (CRow | undefined)[] = [
  /* @__PURE__ */ row("c.lbu", CLB_TYPE, LOAD, 4, 1, false, IMM_ZCB_B),
  /* @__PURE__ */ row("c.lbu", CLB_TYPE, LOAD, 4, 1, false, IMM_ZCB_B),
  /* @__PURE__ */ row("c.lhu", CLB_TYPE, LOAD, 5, 2, false, IMM_ZCB_H),
  /* @__PURE__ */ row("c.lh", CLB_TYPE, LOAD, 1, 2, true, IMM_ZCB_H),
  /* @__PURE__ */ row("c.sb", CSB_TYPE, STORE, 0, 1, false, IMM_ZCB_B),
  /* @__PURE__ */ row("c.sb", CSB_TYPE, STORE, 0, 1, false, IMM_ZCB_B),
  /* @__PURE__ */ row("c.sh", CSB_TYPE, STORE, 1, 2, false, IMM_ZCB_H),
  undefined, // 100011 with bit 6 set: reserved
];

/** Quadrant 0, funct3 100: the Zcb loads and stores. */
export const ZCB_FUNCT3 = 4;

function lookup(r: number, xlen: RiscvXlen): CRow | undefined {
  const op = bits(C_OP, r);
  const funct3 = bits(C_FUNCT3, r);
  if (op === 0) {
    // Zcb: funct6 bits 12:10 pick the operation, bit 6 the c.lh / c.lhu variant
    if (funct3 === ZCB_FUNCT3) return ZCB[(bits(C_ZCB_OP, r) << 1) | bits(C_ZCB_BIT6, r)];
    return (xlen === 64 ? Q0_RV64 : Q0_RV32)[funct3];
  }
  if (op === 2) return (xlen === 64 ? Q2_RV64 : Q2_RV32)[funct3];
  return undefined;
}

function immediate(pieces: readonly ImmPiece[], r: number): number {
  let imm = 0;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i] as ImmPiece;
    imm |= bits(p.bits, r) << p.at;
  }
  return imm;
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
  const entry = lookup(r, xlen);
  // C.LWSP / C.LDSP with rd = x0 are reserved encodings.
  if (
    entry === undefined ||
    (entry.form.integer && entry.format === CI_SP_TYPE && bits(C_RD, r) === 0)
  ) {
    return instruction(
      r,
      source,
      false,
      2,
      UNKNOWN_FORM,
      bits(C_OP, r),
      bits(C_FUNCT3, r),
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    );
  }
  const { form, opcode, funct3 } = entry;
  const imm = immediate(entry.imm, r);
  switch (entry.format) {
    case CL_TYPE:
    case CLB_TYPE:
      return instruction(
        r,
        source,
        false,
        2,
        form,
        opcode,
        funct3,
        8 + bits(C_RDP, r),
        8 + bits(C_RS1P, r),
        undefined,
        imm,
        undefined,
        undefined,
      );
    case CS_TYPE:
    case CSB_TYPE:
      return instruction(
        r,
        source,
        false,
        2,
        form,
        opcode,
        funct3,
        undefined,
        8 + bits(C_RS1P, r),
        8 + bits(C_RS2P, r),
        imm,
        undefined,
        undefined,
      );
    case CI_SP_TYPE:
      return instruction(
        r,
        source,
        false,
        2,
        form,
        opcode,
        funct3,
        bits(C_RD, r),
        2,
        undefined,
        imm,
        undefined,
        undefined,
      );
    default: // CSS
      return instruction(
        r,
        source,
        false,
        2,
        form,
        opcode,
        funct3,
        undefined,
        2,
        bits(C_RS2, r),
        imm,
        undefined,
        undefined,
      );
  }
}

/** The records of raw words decoded so far, from stval and from `snapshot.instruction`. */
const STVAL_CACHE = /* @__PURE__ */ instructionCache();
const SNAPSHOT_CACHE = /* @__PURE__ */ instructionCache();

/**
 * Decodes a raw instruction word: 32-bit when bits 1:0 are 11, else the compressed one in bits
 * 15:0. The record is frozen and shared by every decode of the same word from the same source.
 */
export function decodeInstructionWord(
  word: number,
  source: "stval" | "snapshot",
  xlen: RiscvXlen,
): RiscvInstruction {
  const cache = source === "stval" ? STVAL_CACHE : SNAPSHOT_CACHE;
  const cached = cachedInstruction(cache, word, xlen);
  if (cached !== undefined) return cached;
  const insn = isCompressed(word)
    ? decodeCompressed(word & 0xffff, source, xlen)
    : decodeRaw32(word, source, xlen);
  return rememberInstruction(cache, word, xlen, insn);
}
