// The bit layouts of the instruction formats the decoder reads (RISC-V unprivileged ISA, "Base
// Instruction Formats" and "Compressed Instruction Formats"; the privileged ISA, "Transformed
// Instruction or Pseudoinstruction for htinst"), written once as data. The decoders cut fields with
// `bits(F, word)` and the explainers turn the same formats into field trees.
import { type BitField, field, flag, isSet } from "../../core/layout";
import { RISCV_ABI_NAMES } from "../registers";
import { RISCV_CSR_NAMES } from "./csr";

/** `x10 (a0)`: names of x0…x31 indexed by register number. */
const X_NAMES: readonly string[] = /* @__PURE__ */ RISCV_ABI_NAMES.map((n, i) => `x${i} (${n})`);
/** The registers x8…x15 a 3-bit compressed register field (rd', rs1', rs2') names. */
const X_PRIME_NAMES: readonly string[] = /* @__PURE__ */ X_NAMES.slice(8, 16);

/** Major opcode names indexed by bits 6:2 (the base opcode map). */
const MAJOR_OPCODES: readonly string[] = [
  "LOAD",
  "LOAD-FP",
  "custom-0",
  "MISC-MEM",
  "OP-IMM",
  "AUIPC",
  "OP-IMM-32",
  "48-bit",
  "STORE",
  "STORE-FP",
  "custom-1",
  "AMO",
  "OP",
  "LUI",
  "OP-32",
  "64-bit",
  "MADD",
  "MSUB",
  "NMSUB",
  "NMADD",
  "OP-FP",
  "OP-V",
  "custom-2",
  "48-bit",
  "BRANCH",
  "JALR",
  "reserved",
  "JAL",
  "SYSTEM",
  "OP-VE",
  "custom-3",
  "≥80-bit",
];

/** An instruction format: its fields from the top bit down, and the fields that name the operation. */
export interface InsnFormat {
  /** Every field, highest bits first. */
  readonly fields: readonly BitField[];
  /** The fields whose explanation is the instruction's mnemonic (funct3, funct5, funct6, funct7). */
  readonly named: readonly BitField[];
}

// ---- 32-bit base formats --------------------------------------------------------------------

/** opcode [6:0]: the major opcode (bits 1:0 = 11 for a 32-bit instruction). */
export const OPCODE: BitField = /* @__PURE__ */ field(
  "opcode",
  6,
  0,
  (v) => MAJOR_OPCODES[v >>> 2],
);
/** rd [11:7]. */
export const RD: BitField = /* @__PURE__ */ field("rd", 11, 7, X_NAMES);
/** funct3 [14:12]. */
export const FUNCT3: BitField = /* @__PURE__ */ field("funct3", 14, 12);
/** rs1 [19:15]. */
export const RS1: BitField = /* @__PURE__ */ field("rs1", 19, 15, X_NAMES);
/** rs2 [24:20]. */
export const RS2: BitField = /* @__PURE__ */ field("rs2", 24, 20, X_NAMES);
/** funct7 [31:25] (R-type). */
export const FUNCT7: BitField = /* @__PURE__ */ field("funct7", 31, 25);
/** I-type imm[11:0] [31:20] (loads). */
export const IMM_I: BitField = /* @__PURE__ */ field("imm[11:0]", 31, 20);
/** S-type imm[11:5] [31:25] (stores). */
export const IMM_S_HI: BitField = /* @__PURE__ */ field("imm[11:5]", 31, 25);
/** S-type imm[4:0] [11:7] (stores). */
export const IMM_S_LO: BitField = /* @__PURE__ */ field("imm[4:0]", 11, 7);
/** Zicsr csr [31:20]: the CSR number. */
export const CSR: BitField = /* @__PURE__ */ field(
  "csr",
  31,
  20,
  (v) => RISCV_CSR_NAMES[v] ?? "unnamed CSR",
);
/** Zicsr uimm [19:15] of CSRRWI / CSRRSI / CSRRCI (where rs1 sits in the register forms). */
export const UIMM: BitField = /* @__PURE__ */ field("uimm", 19, 15);
/** A funct5 [31:27]: the AMO operation. */
export const FUNCT5: BitField = /* @__PURE__ */ field("funct5", 31, 27);
/** A aq [26]. */
const AQ: BitField = /* @__PURE__ */ field("aq", 26, 26);
/** A rl [25]. */
const RL: BitField = /* @__PURE__ */ field("rl", 25, 25);

/** HLV / HLVX / HSV: funct7 bits 31:28 are 0110. */
export const HLSV_GROUP: BitField = /* @__PURE__ */ field("funct7[6:3]", 31, 28);
/** HLV / HLVX / HSV: the access size (b, h, w, d) in bits 27:26. */
export const HLSV_SIZE: BitField = /* @__PURE__ */ field("size", 27, 26);
/** HLV / HLVX / HSV: bit 25 set for the store HSV. */
export const HLSV_STORE: BitField = /* @__PURE__ */ field("store", 25, 25);

/** I-type (loads): imm[11:0] rs1 funct3 rd opcode. */
export const I_TYPE: InsnFormat = { fields: [IMM_I, RS1, FUNCT3, RD, OPCODE], named: [FUNCT3] };
/** S-type (stores): imm[11:5] rs2 rs1 funct3 imm[4:0] opcode. */
export const S_TYPE: InsnFormat = {
  fields: [IMM_S_HI, RS2, RS1, FUNCT3, IMM_S_LO, OPCODE],
  named: [FUNCT3],
};
/** AMO: funct5 aq rl rs2 rs1 funct3 rd opcode. */
export const AMO_TYPE: InsnFormat = {
  fields: [FUNCT5, AQ, RL, RS2, RS1, FUNCT3, RD, OPCODE],
  named: [FUNCT5, FUNCT3],
};
/** CSRRW / CSRRS / CSRRC: csr rs1 funct3 rd opcode. */
export const CSR_TYPE: InsnFormat = { fields: [CSR, RS1, FUNCT3, RD, OPCODE], named: [FUNCT3] };
/** CSRRWI / CSRRSI / CSRRCI: csr uimm funct3 rd opcode. */
export const CSRI_TYPE: InsnFormat = { fields: [CSR, UIMM, FUNCT3, RD, OPCODE], named: [FUNCT3] };
/** R-type (and every other SYSTEM form): funct7 rs2 rs1 funct3 rd opcode. */
export const R_TYPE: InsnFormat = {
  fields: [FUNCT7, RS2, RS1, FUNCT3, RD, OPCODE],
  named: [FUNCT7, FUNCT3],
};

// ---- htinst --------------------------------------------------------------------------------

/** htinst bit 0: set for a transformed instruction (bit 0 of every standard instruction is 1). */
export const HTINST_TRANSFORMED: BitField = /* @__PURE__ */ flag(
  "transformed",
  0,
  "not a transformed instruction",
  "transformed instruction",
);
/** htinst bit 1 of a transformed instruction: 1 for a 32-bit original, 0 for a compressed one. */
export const HTINST_LONG: BitField = /* @__PURE__ */ flag(
  "length",
  1,
  "compressed instruction",
  "32-bit instruction",
);
/** The opcode of a transformed instruction: bit 1 cleared says the original was compressed. */
const T_OPCODE: BitField = /* @__PURE__ */ field("opcode", 6, 0, (v) => {
  const name = MAJOR_OPCODES[v >>> 2] as string;
  return isSet(HTINST_LONG, v) ? name : `${name} (bit 1 cleared: compressed)`;
});
const zeroed = (): string => "zeroed in htinst";
/** A transformed instruction's rs1 field: the faulting address minus the original address. */
export const ADDR_OFFSET: BitField = /* @__PURE__ */ field(
  "Addr. Offset",
  19,
  15,
  () => "faulting address − original address",
);
const T_IMM_I: BitField = /* @__PURE__ */ field("imm[11:0]", 31, 20, zeroed);
const T_IMM_S_HI: BitField = /* @__PURE__ */ field("imm[11:5]", 31, 25, zeroed);
const T_IMM_S_LO: BitField = /* @__PURE__ */ field("imm[4:0]", 11, 7, zeroed);

/** Transformed load: imm zeroed, rs1 replaced by the address offset. */
export const T_I_TYPE: InsnFormat = {
  fields: [T_IMM_I, ADDR_OFFSET, FUNCT3, RD, T_OPCODE],
  named: [FUNCT3],
};
/** Transformed store. */
export const T_S_TYPE: InsnFormat = {
  fields: [T_IMM_S_HI, RS2, ADDR_OFFSET, FUNCT3, T_IMM_S_LO, T_OPCODE],
  named: [FUNCT3],
};
/** Transformed AMO. */
export const T_AMO_TYPE: InsnFormat = {
  fields: [FUNCT5, AQ, RL, RS2, ADDR_OFFSET, FUNCT3, RD, T_OPCODE],
  named: [FUNCT5, FUNCT3],
};
/** Transformed HLV / HLVX / HSV. */
export const T_R_TYPE: InsnFormat = {
  fields: [FUNCT7, RS2, ADDR_OFFSET, FUNCT3, RD, T_OPCODE],
  named: [FUNCT7, FUNCT3],
};

/** The standard pseudo-instructions htinst reports for implicit VS-stage page-table accesses. */
export const PSEUDO_INSTRUCTIONS = {
  /** 0x2000: a 32-bit read (`lw x0, 0(x0)` with bits 1:0 cleared). */
  8192: "read32",
  /** 0x2020: a 32-bit write (`sw x0, 0(x0)`). */
  8224: "write32",
  /** 0x3000: a 64-bit read (`ld x0, 0(x0)`). */
  12288: "read64",
  /** 0x3020: a 64-bit write (`sd x0, 0(x0)`). */
  12320: "write64",
} as const;

/** What a pseudo-instruction in htinst stands for. */
export type RiscvPseudoInstruction = (typeof PSEUDO_INSTRUCTIONS)[keyof typeof PSEUDO_INSTRUCTIONS];

// ---- compressed formats (bits 1:0 ≠ 11) ----------------------------------------------------

/** op [1:0]: the quadrant. */
export const C_OP: BitField = /* @__PURE__ */ field("op", 1, 0, (v) => `quadrant ${v}`);
/** funct3 [15:13]. */
export const C_FUNCT3: BitField = /* @__PURE__ */ field("funct3", 15, 13);
/** Zcb funct6 [15:10]. */
export const C_FUNCT6: BitField = /* @__PURE__ */ field("funct6", 15, 10);
/** rs1' [9:7] (x8…x15). */
export const C_RS1P: BitField = /* @__PURE__ */ field("rs1'", 9, 7, X_PRIME_NAMES);
/** rd' [4:2] (x8…x15). */
export const C_RDP: BitField = /* @__PURE__ */ field("rd'", 4, 2, X_PRIME_NAMES);
/** rs2' [4:2] (x8…x15). */
export const C_RS2P: BitField = /* @__PURE__ */ field("rs2'", 4, 2, X_PRIME_NAMES);
/** CI / CSS rd [11:7]. */
export const C_RD: BitField = /* @__PURE__ */ field("rd", 11, 7, X_NAMES);
/** CSS rs2 [6:2]. */
export const C_RS2: BitField = /* @__PURE__ */ field("rs2", 6, 2, X_NAMES);
const C_IMM_12_10: BitField = /* @__PURE__ */ field("imm", 12, 10);
const C_IMM_6_5: BitField = /* @__PURE__ */ field("imm", 6, 5);
const C_IMM_12: BitField = /* @__PURE__ */ field("imm[5]", 12, 12);
const C_IMM_6_2: BitField = /* @__PURE__ */ field("imm", 6, 2);
const C_IMM_12_7: BitField = /* @__PURE__ */ field("imm", 12, 7);
/** Zcb funct6[2:0] (bits 12:10): which load or store. */
export const C_ZCB_OP: BitField = /* @__PURE__ */ field("funct6[2:0]", 12, 10);
/** Zcb bit 6: uimm[0] of C.LBU / C.SB, funct1 (C.LHU 0, C.LH 1) of the halfword forms. */
export const C_ZCB_BIT6: BitField = /* @__PURE__ */ field("funct1", 6, 6);
const C_UIMM_6_5: BitField = /* @__PURE__ */ field("uimm", 6, 5);
const C_OPERANDS: BitField = /* @__PURE__ */ field("operands", 12, 2);

/** CL (C.LW, C.LD, C.FLD, C.FLW): funct3 imm rs1' imm rd' op. */
export const CL_TYPE: InsnFormat = {
  fields: [C_FUNCT3, C_IMM_12_10, C_RS1P, C_IMM_6_5, C_RDP, C_OP],
  named: [C_FUNCT3],
};
/** CS (C.SW, C.SD, C.FSD, C.FSW): funct3 imm rs1' imm rs2' op. */
export const CS_TYPE: InsnFormat = {
  fields: [C_FUNCT3, C_IMM_12_10, C_RS1P, C_IMM_6_5, C_RS2P, C_OP],
  named: [C_FUNCT3],
};
/** CI with sp (C.LWSP, C.LDSP, …): funct3 imm[5] rd imm op. */
export const CI_SP_TYPE: InsnFormat = {
  fields: [C_FUNCT3, C_IMM_12, C_RD, C_IMM_6_2, C_OP],
  named: [C_FUNCT3],
};
/** CSS (C.SWSP, C.SDSP, …): funct3 imm rs2 op. */
export const CSS_TYPE: InsnFormat = {
  fields: [C_FUNCT3, C_IMM_12_7, C_RS2, C_OP],
  named: [C_FUNCT3],
};
/** Zcb CLB / CLH: funct6 rs1' uimm rd' op. */
export const CLB_TYPE: InsnFormat = {
  fields: [C_FUNCT6, C_RS1P, C_UIMM_6_5, C_RDP, C_OP],
  named: [C_FUNCT6],
};
/** Zcb CSB / CSH: funct6 rs1' uimm rs2' op. */
export const CSB_TYPE: InsnFormat = {
  fields: [C_FUNCT6, C_RS1P, C_UIMM_6_5, C_RS2P, C_OP],
  named: [C_FUNCT6],
};
/** Any other compressed instruction: funct3, the operand bits, op. */
export const C_OTHER_TYPE: InsnFormat = { fields: [C_FUNCT3, C_OPERANDS, C_OP], named: [C_FUNCT3] };

/** True for a 16-bit (compressed) instruction: bits 1:0 of a 32-bit one are 11. */
export function isCompressed(word: number): boolean {
  return (word & 3) !== 3;
}

/** One piece of a scattered compressed immediate: the instruction bits and where they land. */
export interface ImmPiece {
  /** The bits in the instruction. */
  readonly bits: BitField;
  /** The immediate bit the piece's lowest bit becomes. */
  readonly at: number;
}

/** A compressed immediate as its pieces: `[hi, lo, at]` = instruction bits hi:lo are imm[at + hi − lo : at]. */
/* @__NO_SIDE_EFFECTS__ */
export function scatteredImm(
  ...pieces: readonly (readonly [hi: number, lo: number, at: number])[]
): readonly ImmPiece[] {
  return pieces.map(([hi, lo, at]) => ({ bits: field(`imm[${at + hi - lo}:${at}]`, hi, lo), at }));
}
