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
  type InsnForm,
  insnForm,
  instruction,
  type RiscvInstruction,
  type RiscvInstructionSource,
  UNKNOWN_FORM,
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

/* @__NO_SIDE_EFFECTS__ */
function intLoad(mnemonic: string, width: AccessWidth, signedExt: boolean, rv64 = false): InsnForm {
  return insnForm(mnemonic, "load", width, { signedExt, integer: true, rv64 });
}
/* @__NO_SIDE_EFFECTS__ */
function intStore(mnemonic: string, width: AccessWidth, rv64 = false): InsnForm {
  return insnForm(mnemonic, "store", width, { integer: true, rv64 });
}

/**
 * The load and store forms indexed by `memoryKind(opcode) * 8 + funct3`: integer loads (LOAD),
 * FP loads (LOAD-FP; FLQ is 16 bytes: no access width), integer stores (STORE), FP stores
 * (STORE-FP). `undefined` where funct3 names no instruction.
 */
const MEMORY_FORMS: readonly (InsnForm | undefined)[] = [
  /* @__PURE__ */ intLoad("lb", 1, true),
  /* @__PURE__ */ intLoad("lh", 2, true),
  /* @__PURE__ */ intLoad("lw", 4, true),
  /* @__PURE__ */ intLoad("ld", 8, true, true),
  /* @__PURE__ */ intLoad("lbu", 1, false),
  /* @__PURE__ */ intLoad("lhu", 2, false),
  /* @__PURE__ */ intLoad("lwu", 4, false, true),
  undefined,
  undefined,
  /* @__PURE__ */ insnForm("flh", "load", 2),
  /* @__PURE__ */ insnForm("flw", "load", 4),
  /* @__PURE__ */ insnForm("fld", "load", 8),
  /* @__PURE__ */ insnForm("flq", "load"),
  undefined,
  undefined,
  undefined,
  /* @__PURE__ */ intStore("sb", 1),
  /* @__PURE__ */ intStore("sh", 2),
  /* @__PURE__ */ intStore("sw", 4),
  /* @__PURE__ */ intStore("sd", 8, true),
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
  /* @__PURE__ */ insnForm("fsh", "store", 2),
  /* @__PURE__ */ insnForm("fsw", "store", 4),
  /* @__PURE__ */ insnForm("fsd", "store", 8),
  /* @__PURE__ */ insnForm("fsq", "store"),
  undefined,
  undefined,
  undefined,
];

/**
 * The integer LOAD and STORE forms as numbers, read from `MEMORY_FORMS` for the MMIO fast path of
 * transformed htinst values: at `integerAccessIndex(store, funct3, xlen)`, the access width with
 * bit 4 set for a sign-extending load, or 0 where funct3 names no integer access at that XLEN.
 */
export const INTEGER_ACCESS: readonly number[] = /* @__PURE__ */ integerAccessTable();

/** Index into `INTEGER_ACCESS`: RV64 above RV32, stores above loads, then funct3. */
export function integerAccessIndex(store: boolean, funct3: number, xlen: RiscvXlen): number {
  return (xlen === 64 ? 16 : 0) + (store ? 8 : 0) + funct3;
}

/* @__NO_SIDE_EFFECTS__ */
function integerAccessTable(): number[] {
  const table: number[] = [];
  for (const xlen of [32, 64] as const) {
    for (const opcode of [OPCODE.LOAD, OPCODE.STORE]) {
      for (let funct3 = 0; funct3 < 8; funct3++) {
        const form = MEMORY_FORMS[memoryKind(opcode) * 8 + funct3];
        const usable = form?.integer === true && !(form.rv64 && xlen === 32);
        table.push(usable ? (form.width as number) | (form.signedExt ? 16 : 0) : 0);
      }
    }
  }
  return table;
}

/** Bit 5 of a load/store opcode: set for STORE and STORE-FP. */
const STORE_BIT = 0x20;

/** LOAD 0x03 → 0, LOAD-FP 0x07 → 1, STORE 0x23 → 2, STORE-FP 0x27 → 3 (bit 5 = store, bit 2 = FP). */
function memoryKind(opcode: number): number {
  return ((opcode >>> 4) & 2) | ((opcode >>> 2) & 1);
}

const SIZE_SUFFIX = ["b", "h", "w", "d"] as const;
const SIZE_WIDTH: readonly AccessWidth[] = [1, 2, 4, 8];

/** An array of `size` entries with the rows' values at their indexes (undefined elsewhere). */
/* @__NO_SIDE_EFFECTS__ */
function indexed<T>(
  size: number,
  rows: readonly (readonly [number, T])[],
): readonly (T | undefined)[] {
  const out = new Array<T | undefined>(size).fill(undefined);
  for (const [i, value] of rows) out[i] = value;
  return out;
}

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

/** AMO forms indexed by funct5 * 2 + (1 for the doubleword form `.d`, 0 for `.w`). */
const AMO_FORMS: readonly (InsnForm | undefined)[] = /* @__PURE__ */ AMO_OPS.flatMap((op) =>
  op === undefined
    ? [undefined, undefined]
    : [insnForm(`${op}.w`, "amo", 4), insnForm(`${op}.d`, "amo", 8, { rv64: true })],
);

/** HSV.B/H/W/D indexed by the size field (bits 27:26). */
const HSV_FORMS: readonly InsnForm[] = /* @__PURE__ */ SIZE_SUFFIX.map((s, size) =>
  insnForm(`hsv.${s}`, "store", SIZE_WIDTH[size]),
);

/**
 * HLV / HLVX indexed by rs2 * 4 + size: rs2 0 is HLV (signed), 1 HLV…U, 3 HLVX…U (execute
 * permission); there is no HLV.DU, HLVX.B or HLVX.D, and rs2 2 names nothing.
 */
const HLV_FORMS: readonly (InsnForm | undefined)[] = /* @__PURE__ */ [0, 1, 2, 3].flatMap((rs2) =>
  SIZE_SUFFIX.map((s, size) => {
    const variant = rs2 === 0 || rs2 === 1 ? "hlv" : rs2 === 3 ? "hlvx" : undefined;
    if (variant === undefined || (rs2 !== 0 && size === 3) || (rs2 === 3 && size === 0)) {
      return undefined;
    }
    return insnForm(`${variant}.${s}${rs2 === 0 ? "" : "u"}`, "load", SIZE_WIDTH[size]);
  }),
);

/** SYSTEM funct3 = 0 fences indexed by funct7 (rd = 0). */
const SYSTEM_FENCES: readonly (InsnForm | undefined)[] = /* @__PURE__ */ indexed(128, [
  [0x09, insnForm("sfence.vma")],
  [0x0b, insnForm("sinval.vma")],
  [0x11, insnForm("hfence.vvma")],
  [0x13, insnForm("hinval.vvma")],
  [0x31, insnForm("hfence.gvma")],
  [0x33, insnForm("hinval.gvma")],
]);

/** Exact SYSTEM encodings with funct3 = 0 and no operands. */
const SYSTEM_EXACT: ReadonlyMap<number, InsnForm> = /* @__PURE__ */ new Map([
  [0x00000073, insnForm("ecall")],
  [0x00100073, insnForm("ebreak")],
  [0x10200073, insnForm("sret")],
  [0x30200073, insnForm("mret")],
  [WFI, insnForm("wfi")],
  [0x00d00073, insnForm("wrs.nto")],
  [0x01d00073, insnForm("wrs.sto")],
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

/** CSR instruction forms indexed by funct3. */
const CSR_FORMS: readonly (InsnForm | undefined)[] = /* @__PURE__ */ CSR_OPS.map((op) =>
  op === undefined ? undefined : insnForm(op),
);

/** funct3 of the immediate CSR forms (CSRRWI, CSRRSI, CSRRCI) starts here. */
export const CSR_IMMEDIATE_FUNCT3 = 5;
/** funct3 of HLV / HLVX / HSV (SYSTEM). */
const HYPERVISOR_LOAD_STORE_FUNCT3 = 4;

function signExtend12(v: number): number {
  return (v << 20) >> 20;
}

/** A word no table names: mnemonic `unknown`, its opcode and funct3 as read. */
function unknown(
  raw: number,
  source: RiscvInstructionSource,
  transformed: boolean,
  length: 2 | 4,
  opcode: number,
  funct3: number,
): RiscvInstruction {
  const u = undefined;
  return instruction(
    raw,
    source,
    transformed,
    length,
    UNKNOWN_FORM,
    opcode,
    funct3,
    u,
    u,
    u,
    u,
    u,
    u,
  );
}

/**
 * A load or store (LOAD, LOAD-FP, STORE, STORE-FP). Transformed, the immediate fields must be
 * zero (else `undefined`: a custom value) and the rs1 field is the address offset; else rs1 is the
 * base register and `imm` the offset.
 */
function decodeLoadStore(
  w: number,
  raw: number,
  source: RiscvInstructionSource,
  transformed: boolean,
  length: 2 | 4,
  opcode: number,
  funct3: number,
  xlen: RiscvXlen,
): RiscvInstruction | undefined {
  const store = (opcode & STORE_BIT) !== 0;
  // I-type imm[11:0]; S-type imm[11:5] sits above the five bits of imm[4:0]
  const immBits = store ? (bits(IMM_S_HI, w) << 5) | bits(IMM_S_LO, w) : bits(IMM_I, w);
  if (transformed && immBits !== 0) return undefined;
  const form = MEMORY_FORMS[memoryKind(opcode) * 8 + funct3];
  // none, or RV64-only on RV32
  if (form === undefined || (form.rv64 && xlen === 32)) {
    return unknown(raw, source, transformed, length, opcode, funct3);
  }
  return instruction(
    raw,
    source,
    transformed,
    length,
    form,
    opcode,
    funct3,
    store ? undefined : bits(RD, w),
    transformed ? undefined : bits(RS1, w),
    store ? bits(RS2, w) : undefined,
    transformed ? undefined : signExtend12(immBits),
    undefined,
    transformed ? bits(ADDR_OFFSET, w) : undefined,
  );
}

/** A memory instruction of another opcode (AMO, HLV/HSV): `form` with destination `rd` and source `rs2`. */
function memory(
  w: number,
  raw: number,
  source: RiscvInstructionSource,
  transformed: boolean,
  length: 2 | 4,
  form: InsnForm,
  opcode: number,
  funct3: number,
  rd: number | undefined,
  rs2: number | undefined,
): RiscvInstruction {
  const rs1 = transformed ? undefined : bits(RS1, w);
  const addrOffset = transformed ? bits(ADDR_OFFSET, w) : undefined;
  const u = undefined;
  return instruction(
    raw,
    source,
    transformed,
    length,
    form,
    opcode,
    funct3,
    rd,
    rs1,
    rs2,
    u,
    u,
    addrOffset,
  );
}

function decodeAmo(
  w: number,
  raw: number,
  source: RiscvInstructionSource,
  transformed: boolean,
  length: 2 | 4,
  funct3: number,
  xlen: RiscvXlen,
): RiscvInstruction {
  const doubleword = funct3 === 3 && xlen === 64;
  const form =
    funct3 === 2 || doubleword ? AMO_FORMS[bits(FUNCT5, w) * 2 + (doubleword ? 1 : 0)] : undefined;
  if (form === undefined) return unknown(raw, source, transformed, length, OPCODE.AMO, funct3);
  return memory(
    w,
    raw,
    source,
    transformed,
    length,
    form,
    OPCODE.AMO,
    funct3,
    bits(RD, w),
    bits(RS2, w),
  );
}

/** HLV/HLVX/HSV (SYSTEM funct3 = 4): funct7 = 0110 ss s?; rs2 picks unsigned / execute variants. */
function decodeHypervisorLoadStore(
  w: number,
  raw: number,
  source: RiscvInstructionSource,
  transformed: boolean,
  length: 2 | 4,
): RiscvInstruction {
  const funct3 = HYPERVISOR_LOAD_STORE_FUNCT3;
  const size = bits(HLSV_SIZE, w);
  const store = isSet(HLSV_STORE, w);
  let form: InsnForm | undefined;
  if (bits(HLSV_GROUP, w) === 0b0110) {
    form = store
      ? bits(RD, w) === 0
        ? HSV_FORMS[size]
        : undefined
      : HLV_FORMS[bits(RS2, w) * 4 + size];
  }
  if (form === undefined) return unknown(raw, source, transformed, length, OPCODE.SYSTEM, funct3);
  const rd = store ? undefined : bits(RD, w);
  const rs2 = store ? bits(RS2, w) : undefined;
  return memory(w, raw, source, transformed, length, form, OPCODE.SYSTEM, funct3, rd, rs2);
}

/** The other SYSTEM forms (never transformed): CSR accesses, the exact encodings, fences. */
function decodeSystem(
  w: number,
  raw: number,
  source: RiscvInstructionSource,
  length: 2 | 4,
  funct3: number,
): RiscvInstruction {
  const u = undefined;
  const csrForm = CSR_FORMS[funct3];
  if (csrForm !== undefined) {
    const immediate = funct3 >= CSR_IMMEDIATE_FUNCT3;
    const rs1 = immediate ? u : bits(RS1, w);
    const imm = immediate ? bits(UIMM, w) : u;
    const csr = bits(CSR, w);
    return instruction(
      raw,
      source,
      false,
      length,
      csrForm,
      OPCODE.SYSTEM,
      funct3,
      bits(RD, w),
      rs1,
      u,
      imm,
      csr,
      u,
    );
  }
  const exact = SYSTEM_EXACT.get(w >>> 0);
  if (exact !== undefined) {
    return instruction(raw, source, false, length, exact, OPCODE.SYSTEM, funct3, u, u, u, u, u, u);
  }
  const fence = bits(RD, w) === 0 ? SYSTEM_FENCES[bits(FUNCT7, w)] : u;
  if (fence === undefined) return unknown(raw, source, false, length, OPCODE.SYSTEM, funct3);
  const rs1 = bits(RS1, w);
  return instruction(
    raw,
    source,
    false,
    length,
    fence,
    OPCODE.SYSTEM,
    funct3,
    u,
    rs1,
    bits(RS2, w),
    u,
    u,
    u,
  );
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
  const opcode = bits(OPCODE_FIELD, w);
  const funct3 = bits(FUNCT3, w);
  let insn: RiscvInstruction;
  switch (opcode) {
    case OPCODE.LOAD:
    case OPCODE.LOAD_FP:
    case OPCODE.STORE:
    case OPCODE.STORE_FP: {
      const memory = decodeLoadStore(w, raw, source, transformed, length, opcode, funct3, xlen);
      if (memory === undefined) return undefined;
      insn = memory;
      break;
    }
    case OPCODE.AMO:
      insn = decodeAmo(w, raw, source, transformed, length, funct3, xlen);
      break;
    case OPCODE.SYSTEM:
      if (funct3 === HYPERVISOR_LOAD_STORE_FUNCT3) {
        insn = decodeHypervisorLoadStore(w, raw, source, transformed, length);
      } else if (transformed) return undefined;
      else insn = decodeSystem(w, raw, source, length, funct3);
      break;
    default:
      if (transformed) return undefined;
      insn = unknown(raw, source, false, length, opcode, funct3);
  }
  return transformed && insn.access === undefined ? undefined : insn;
}

/** Decodes a raw 32-bit instruction word (never `undefined`: an unknown word has mnemonic `unknown`). */
export function decodeRaw32(
  w: number,
  source: RiscvInstructionSource,
  xlen: RiscvXlen,
): RiscvInstruction {
  return decode32(w, w, source, false, 4, xlen) as RiscvInstruction;
}
