import type { RegValue } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import { type ExplainNode, explainNode } from "../core/explain";
import { hex, joinU64, type U64Halves } from "../core/u64";
import { decodeCompressed } from "./compressed";
import { RISCV_CSR_NAMES } from "./csr";
import { PSEUDO_INSTRUCTIONS } from "./guest-page-fault";
import { CSR_OPS, decode32, OPCODE } from "./instruction";
import { checkInstructionWord, checkXlen, RISCV_ABI_NAMES, regToBig, splitReg } from "./registers";
import { SBI_EID, sbiId32, sbiNames } from "./sbi";
import {
  exceptionAllocation,
  interruptAllocation,
  SCAUSE_EXCEPTION_DESCRIPTIONS,
  SCAUSE_EXCEPTION_NAMES,
  SCAUSE_INTERRUPT_DESCRIPTIONS,
  SCAUSE_INTERRUPT_NAMES,
} from "./scause";
import type { RiscvInstruction, RiscvSnapshot, RiscvXlen } from "./types";

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

const halves: U64Halves = { lo: 0, hi: 0 };

function codeMeaning(interrupt: boolean, code: bigint): string {
  const small = code < 64n ? Number(code) : 64;
  if (interrupt) {
    if (interruptAllocation(small) === "platform") return "Designated for platform use";
    if (interruptAllocation(small) === "reserved") return "Reserved";
    return `${SCAUSE_INTERRUPT_NAMES[small]}: ${SCAUSE_INTERRUPT_DESCRIPTIONS[small]}`;
  }
  const allocation = exceptionAllocation(small);
  if (allocation === "reserved") return "Reserved";
  if (allocation === "custom") return "Designated for custom use";
  return `${SCAUSE_EXCEPTION_NAMES[small]}: ${SCAUSE_EXCEPTION_DESCRIPTIONS[small]}`;
}

/** Dissects scause into the Interrupt bit (XLEN−1) and the Exception Code (XLEN−2…0). */
export function explainScause(scause: RegValue, xlen: RiscvXlen = 64): ExplainNode[] {
  const width = checkXlen(xlen);
  splitReg(scause, "scause", width, halves);
  const top = width === 64 ? halves.hi : halves.lo;
  const interrupt = top >>> 31 === 1;
  const code =
    width === 64 ? joinU64(halves.lo, halves.hi & 0x7fff_ffff) : BigInt(halves.lo & 0x7fff_ffff);
  return [
    explainNode(
      "Interrupt",
      width - 1,
      width - 1,
      interrupt ? 1 : 0,
      interrupt ? "interrupt" : "exception",
    ),
    explainNode("Exception Code", width - 2, 0, code, codeMeaning(interrupt, code)),
  ];
}

function reg(i: number): string {
  return `x${i} (${RISCV_ABI_NAMES[i]})`;
}

function opcodeNode(w: number, transformed: boolean): ExplainNode {
  const name = MAJOR_OPCODES[(w >>> 2) & 31] as string;
  return explainNode(
    "opcode",
    6,
    0,
    w & 0x7f,
    transformed && (w & 2) === 0 ? `${name} (bit 1 cleared: compressed)` : name,
  );
}

function fields32(
  w: number,
  insn: RiscvInstruction | undefined,
  transformed: boolean,
): ExplainNode[] {
  const mnemonic = insn?.mnemonic ?? "unknown";
  const opcode = w & 0x7f;
  const f3 = explainNode("funct3", 14, 12, (w >>> 12) & 7, mnemonic);
  const rd = explainNode("rd", 11, 7, (w >>> 7) & 31, reg((w >>> 7) & 31));
  const rs2 = explainNode("rs2", 24, 20, (w >>> 20) & 31, reg((w >>> 20) & 31));
  const rs1 = transformed
    ? explainNode("Addr. Offset", 19, 15, (w >>> 15) & 31, "faulting address − original address")
    : explainNode("rs1", 19, 15, (w >>> 15) & 31, reg((w >>> 15) & 31));
  const op = opcodeNode(w, transformed);
  switch (opcode | 2) {
    case OPCODE.LOAD:
    case OPCODE.LOAD_FP:
      return [
        explainNode("imm[11:0]", 31, 20, w >>> 20, transformed ? "zeroed in htinst" : undefined),
        rs1,
        f3,
        rd,
        op,
      ];
    case OPCODE.STORE:
    case OPCODE.STORE_FP:
      return [
        explainNode("imm[11:5]", 31, 25, w >>> 25, transformed ? "zeroed in htinst" : undefined),
        rs2,
        rs1,
        f3,
        explainNode(
          "imm[4:0]",
          11,
          7,
          (w >>> 7) & 31,
          transformed ? "zeroed in htinst" : undefined,
        ),
        op,
      ];
    case OPCODE.AMO:
      return [
        explainNode("funct5", 31, 27, w >>> 27, mnemonic),
        explainNode("aq", 26, 26, (w >>> 26) & 1),
        explainNode("rl", 25, 25, (w >>> 25) & 1),
        rs2,
        rs1,
        f3,
        rd,
        op,
      ];
    default:
      if (opcode === OPCODE.SYSTEM && CSR_OPS[(w >>> 12) & 7] !== undefined) {
        const csr = w >>> 20;
        const immediate = ((w >>> 12) & 7) >= 5;
        return [
          explainNode("csr", 31, 20, csr, RISCV_CSR_NAMES[csr] ?? "unnamed CSR"),
          immediate ? explainNode("uimm", 19, 15, (w >>> 15) & 31) : rs1,
          f3,
          rd,
          op,
        ];
      }
      return [explainNode("funct7", 31, 25, w >>> 25, mnemonic), rs2, rs1, f3, rd, op];
  }
}

function fields16(r: number, insn: RiscvInstruction): ExplainNode[] {
  const quadrant = r & 3;
  const funct3 = r >>> 13;
  const op = explainNode("op", 1, 0, quadrant, `quadrant ${quadrant}`);
  const prime = (name: string, hi: number, lo: number): ExplainNode =>
    explainNode(name, hi, lo, (r >>> lo) & 7, reg(8 + ((r >>> lo) & 7)));
  if (quadrant === 0 && funct3 === 4) {
    return [
      explainNode("funct6", 15, 10, r >>> 10, insn.mnemonic),
      prime("rs1'", 9, 7),
      explainNode("uimm", 6, 5, (r >>> 5) & 3),
      prime(insn.access === "store" ? "rs2'" : "rd'", 4, 2),
      op,
    ];
  }
  const f3 = explainNode("funct3", 15, 13, funct3, insn.mnemonic);
  if (quadrant === 0) {
    return [
      f3,
      explainNode("imm", 12, 10, (r >>> 10) & 7),
      prime("rs1'", 9, 7),
      explainNode("imm", 6, 5, (r >>> 5) & 3),
      prime(insn.access === "store" ? "rs2'" : "rd'", 4, 2),
      op,
    ];
  }
  if (quadrant === 2 && insn.access === "load") {
    return [
      f3,
      explainNode("imm[5]", 12, 12, (r >>> 12) & 1),
      explainNode("rd", 11, 7, (r >>> 7) & 31, reg((r >>> 7) & 31)),
      explainNode("imm", 6, 2, (r >>> 2) & 31),
      op,
    ];
  }
  if (quadrant === 2 && insn.access === "store") {
    return [
      f3,
      explainNode("imm", 12, 7, (r >>> 7) & 63),
      explainNode("rs2", 6, 2, (r >>> 2) & 31, reg((r >>> 2) & 31)),
      op,
    ];
  }
  return [f3, explainNode("operands", 12, 2, (r >>> 2) & 0x7ff), op];
}

/** Dissects a raw 16- or 32-bit instruction into its fields. */
function explainWord(w: number, xlen: RiscvXlen): ExplainNode[] {
  if ((w & 3) !== 3) return fields16(w & 0xffff, decodeCompressed(w & 0xffff, "snapshot", xlen));
  return fields32(w, decode32(w, w, "snapshot", false, 4, xlen), false);
}

function explainHtinst(v: bigint, xlen: RiscvXlen): { meaning: string; children: ExplainNode[] } {
  if (v === 0n) return { meaning: "no information", children: [] };
  if (v > 0xffff_ffffn) return { meaning: "custom value (bits 63:32 set)", children: [] };
  const lo = Number(v);
  if ((lo & 1) === 1) {
    const insn = decode32(lo | 2, lo, "htinst", true, (lo & 2) === 2 ? 4 : 2, xlen);
    const length = (lo & 2) === 2 ? "32-bit" : "compressed";
    return {
      meaning:
        insn === undefined
          ? "custom value"
          : `transformed ${insn.mnemonic} (${length} instruction)`,
      children: fields32(lo, insn, true),
    };
  }
  const pseudo = PSEUDO_INSTRUCTIONS[lo as keyof typeof PSEUDO_INSTRUCTIONS];
  return {
    meaning:
      pseudo === undefined
        ? "custom value"
        : `pseudo-instruction: implicit VS-stage page-table ${pseudo.startsWith("read") ? "read" : "write"} (${pseudo.endsWith("32") ? 32 : 64}-bit)`,
    children: [],
  };
}

/** Dissects a whole snapshot: scause, stval, htval (with the GPA), htinst, the instruction, and the SBI registers of an ECALL. */
export function explainRiscv(snapshot: RiscvSnapshot): ExplainNode[] {
  if (typeof snapshot !== "object" || snapshot === null) {
    throw new VmExitError(
      "invalid-argument",
      `snapshot must be an object, got ${show(snapshot)}`,
      "snapshot",
    );
  }
  const xlen = checkXlen(snapshot.xlen);
  const top = xlen - 1;
  const scause = regToBig(snapshot.scause, "scause", xlen);
  const fields = explainScause(scause, xlen);
  const interrupt = (fields[0] as ExplainNode).value === 1n;
  const codeValue = (fields[1] as ExplainNode).value;
  // Only exception codes below 64 are allocated; -1 stands for "not an exception we dissect".
  const code = interrupt || codeValue >= 64n ? -1 : Number(codeValue);
  const guestPageFault = code === 20 || code === 21 || code === 23;
  const nodes: ExplainNode[] = [
    explainNode("scause", top, 0, scause, (fields[1] as ExplainNode).meaning, fields),
  ];
  let stval: bigint | undefined;
  if (snapshot.stval !== undefined) {
    stval = regToBig(snapshot.stval, "stval", xlen);
    const asInstruction = code === 22 && stval !== 0n && stval <= 0xffff_ffffn;
    nodes.push(
      explainNode(
        "stval",
        top,
        0,
        stval,
        guestPageFault
          ? "faulting guest-virtual address"
          : asInstruction
            ? "trapping instruction"
            : undefined,
        asInstruction ? explainWord(Number(stval), xlen) : undefined,
      ),
    );
  }
  if (snapshot.htval !== undefined) {
    const htval = regToBig(snapshot.htval, "htval", xlen);
    const gpa = guestPageFault && stval !== undefined ? (htval << 2n) | (stval & 3n) : undefined;
    nodes.push(
      explainNode(
        "htval",
        top,
        0,
        htval,
        gpa === undefined ? "GPA >> 2" : `GPA >> 2; GPA = ${hex(gpa)}`,
      ),
    );
  }
  if (snapshot.htinst !== undefined) {
    const htinst = regToBig(snapshot.htinst, "htinst", xlen);
    const { meaning, children } = explainHtinst(htinst, xlen);
    nodes.push(explainNode("htinst", top, 0, htinst, meaning, children));
  }
  if (snapshot.instruction !== undefined) {
    const w = checkInstructionWord(snapshot.instruction);
    const compressed = (w & 3) !== 3;
    nodes.push(
      explainNode(
        "instruction",
        compressed ? 15 : 31,
        0,
        compressed ? w & 0xffff : w,
        compressed ? "compressed" : undefined,
        explainWord(w, xlen),
      ),
    );
  }
  if (code === 10) nodes.push(...explainSbi(snapshot, xlen));
  return nodes;
}

function explainSbi(snapshot: RiscvSnapshot, xlen: RiscvXlen): ExplainNode[] {
  const a7v = snapshot.x?.[17];
  if (a7v === undefined) return [];
  const a7 = regToBig(a7v, "x17", xlen);
  const a6v = snapshot.x?.[16];
  const a6 = a6v === undefined ? undefined : regToBig(a6v, "x16", xlen);
  splitReg(a7, "x17", xlen, halves);
  const eid = sbiId32(halves.lo, halves.hi, xlen);
  let fid: number | undefined;
  if (a6 !== undefined) {
    splitReg(a6, "x16", xlen, halves);
    fid = sbiId32(halves.lo, halves.hi, xlen);
  }
  if (eid === undefined) {
    return [explainNode("a7", xlen - 1, 0, a7, "SBI EID: not a sign-extended 32-bit value")];
  }
  const names = sbiNames(eid, fid ?? -1);
  const extension = eid === SBI_EID.HYPERCALL ? "hypercall (vmexit default EID)" : names.extension;
  const out = [explainNode("a7", xlen - 1, 0, a7, `SBI EID: ${extension ?? "unknown extension"}`)];
  if (a6 !== undefined && eid >= 0x10 && eid !== SBI_EID.HYPERCALL) {
    out.push(
      explainNode("a6", xlen - 1, 0, a6, `SBI FID: ${names.function ?? "unknown function"}`),
    );
  }
  return out;
}
