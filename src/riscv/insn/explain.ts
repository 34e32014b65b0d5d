import { type ExplainNode, explainNode } from "../../core/explain";
import { bits, explainFields } from "../../core/layout";
import type { RiscvXlen } from "../snapshot";
import { decodeCompressed, ZCB_FUNCT3 } from "./compressed";
import { CSR_IMMEDIATE_FUNCT3, CSR_OPS, decodeRaw32, OPCODE } from "./decode";
import {
  AMO_TYPE,
  C_FUNCT3,
  C_OP,
  C_OTHER_TYPE,
  CI_SP_TYPE,
  CL_TYPE,
  CLB_TYPE,
  CS_TYPE,
  CSB_TYPE,
  CSR_TYPE,
  CSRI_TYPE,
  CSS_TYPE,
  FUNCT3,
  I_TYPE,
  type InsnFormat,
  isCompressed,
  OPCODE as OPCODE_FIELD,
  R_TYPE,
  S_TYPE,
  T_AMO_TYPE,
  T_I_TYPE,
  T_R_TYPE,
  T_S_TYPE,
} from "./format";
import { isTransformed, pseudoInstruction, pseudoWrites, transformedInstruction } from "./htinst";
import type { RiscvInstruction } from "./instruction";

/** Explains `word` field by field in `format`, the fields that name the operation saying `mnemonic`. */
function explainFormat(word: number, format: InsnFormat, mnemonic: string): ExplainNode[] {
  const nodes = explainFields({ lo: word >>> 0, hi: 0 }, format.fields);
  return nodes.map((node, i) =>
    format.named.includes(format.fields[i] as InsnFormat["fields"][number])
      ? explainNode(node.name, node.bits[0], node.bits[1], node.value, mnemonic, node.children)
      : node,
  );
}

/** The format of a 32-bit (or transformed) instruction word, chosen by its opcode. */
function format32(w: number, transformed: boolean): InsnFormat {
  // bit 1 of a transformed compressed instruction is cleared: the opcode is read with it set
  switch (bits(OPCODE_FIELD, w) | 2) {
    case OPCODE.LOAD:
    case OPCODE.LOAD_FP:
      return transformed ? T_I_TYPE : I_TYPE;
    case OPCODE.STORE:
    case OPCODE.STORE_FP:
      return transformed ? T_S_TYPE : S_TYPE;
    case OPCODE.AMO:
      return transformed ? T_AMO_TYPE : AMO_TYPE;
    case OPCODE.SYSTEM:
      if (!transformed && CSR_OPS[bits(FUNCT3, w)] !== undefined) {
        return bits(FUNCT3, w) >= CSR_IMMEDIATE_FUNCT3 ? CSRI_TYPE : CSR_TYPE;
      }
      return transformed ? T_R_TYPE : R_TYPE;
    default:
      return transformed ? T_R_TYPE : R_TYPE;
  }
}

/** The format of a compressed instruction, chosen by its quadrant, funct3 and what it decoded to. */
function format16(r: number, insn: RiscvInstruction): InsnFormat {
  const quadrant = bits(C_OP, r);
  const store = insn.access === "store";
  if (quadrant === 0) {
    if (bits(C_FUNCT3, r) === ZCB_FUNCT3) return store ? CSB_TYPE : CLB_TYPE;
    return store ? CS_TYPE : CL_TYPE;
  }
  if (quadrant === 2 && insn.access === "load") return CI_SP_TYPE;
  if (quadrant === 2 && store) return CSS_TYPE;
  return C_OTHER_TYPE;
}

/** Dissects a raw 16- or 32-bit instruction word into its fields (compressed when bits 1:0 ≠ 11). */
export function explainInstructionWord(w: number, xlen: RiscvXlen): ExplainNode[] {
  if (isCompressed(w)) {
    const r = w & 0xffff;
    const insn = decodeCompressed(r, "snapshot", xlen);
    return explainFormat(r, format16(r, insn), insn.mnemonic);
  }
  return explainFormat(w, format32(w, false), decodeRaw32(w, "snapshot", xlen).mnemonic);
}

/** What htinst holds, in words, and its fields when it is a transformed instruction. */
export function explainHtinst(
  lo: number,
  hi: number,
  xlen: RiscvXlen,
): { meaning: string; children: ExplainNode[] } {
  if (hi !== 0) return { meaning: "custom value (bits 63:32 set)", children: [] };
  if (lo === 0) return { meaning: "no information", children: [] };
  if (isTransformed(lo)) {
    const insn = transformedInstruction(lo, xlen);
    return {
      meaning:
        insn === undefined
          ? "custom value"
          : `transformed ${insn.mnemonic} (${insn.length === 4 ? "32-bit" : "compressed"} instruction)`,
      children: explainFormat(lo, format32(lo, true), insn?.mnemonic ?? "unknown"),
    };
  }
  const pseudo = pseudoInstruction(lo);
  if (pseudo === undefined) return { meaning: "custom value", children: [] };
  const size = pseudo.endsWith("32") ? 32 : 64;
  return {
    meaning: `pseudo-instruction: implicit VS-stage page-table ${pseudoWrites(pseudo) ? "write" : "read"} (${size}-bit)`,
    children: [],
  };
}
