import { halt, nothing } from "../core/constructors";
import type { DecodedExit } from "../core/decoded";
import type { VmExit } from "../core/exit";
import type { U64Halves } from "../core/u64";
import * as unchecked from "../core/unchecked";
import { decodeCompressed } from "./compressed";
import { RISCV_CSR_NAMES } from "./csr";
import { decode32, OPCODE } from "./instruction";
import { checkInstructionWord, readX, regToBig, splitReg } from "./registers";
import { SCAUSE_EXCEPTION_DESCRIPTIONS, SCAUSE_EXCEPTION_NAMES } from "./scause";
import type {
  RiscvInstruction,
  RiscvSnapshot,
  RiscvVirtualInstructionCause,
  RiscvXlen,
} from "./types";

/** The WFI encoding. */
export const WFI = 0x10500073;

const halves: U64Halves = { lo: 0, hi: 0 };

function pickInstruction(snapshot: RiscvSnapshot, xlen: RiscvXlen): RiscvInstruction | undefined {
  if (snapshot.stval !== undefined) {
    splitReg(snapshot.stval, "stval", xlen, halves);
    // stval holds the trapping instruction's bits; more than 32 bits is a longer encoding.
    if (halves.hi !== 0) return undefined;
    if (halves.lo !== 0) return decodeWord(halves.lo, "stval", xlen);
  }
  if (snapshot.instruction === undefined) return undefined;
  return decodeWord(checkInstructionWord(snapshot.instruction), "snapshot", xlen);
}

function decodeWord(w: number, source: "stval" | "snapshot", xlen: RiscvXlen): RiscvInstruction {
  if ((w & 3) !== 3) return decodeCompressed(w & 0xffff, source, xlen);
  return decode32(w, w, source, false, 4, xlen) as RiscvInstruction;
}

/** Decodes a virtual-instruction trap (22): WFI → Halt, pure CSR reads/writes → SysRegRead/SysRegWrite. */
export function decodeVirtualInstruction(
  code: number,
  scause: bigint,
  snapshot: RiscvSnapshot,
  xlen: RiscvXlen,
): DecodedExit<RiscvVirtualInstructionCause> {
  const stval = snapshot.stval === undefined ? 0n : regToBig(snapshot.stval, "stval", xlen);
  const instruction = pickInstruction(snapshot, xlen);
  const csr = instruction?.csr;
  return {
    exit: exitOf(instruction, snapshot, xlen),
    cause: {
      arch: "riscv",
      code,
      name: SCAUSE_EXCEPTION_NAMES[code] as string,
      xlen,
      scause,
      description: SCAUSE_EXCEPTION_DESCRIPTIONS[code] as string,
      class: "virtual-instruction",
      category: "virtual-instruction",
      interrupt: false,
      stval,
      instructionSource: instruction?.source,
      instruction,
      csr,
      csrName: csr === undefined ? undefined : RISCV_CSR_NAMES[csr],
    },
  };
}

function exitOf(
  insn: RiscvInstruction | undefined,
  snapshot: RiscvSnapshot,
  xlen: RiscvXlen,
): VmExit {
  if (insn === undefined) return nothing();
  if (insn.raw === WFI && insn.length === 4) return halt();
  if (insn.opcode !== OPCODE.SYSTEM || insn.csr === undefined) return nothing();
  const funct3 = insn.funct3;
  const rd = insn.rd as number;
  if (funct3 === 2 || funct3 === 3) {
    // CSRRS / CSRRC with rs1 = x0: a pure read.
    return insn.rs1 === 0 ? unchecked.sysRegRead(insn.csr, rd) : nothing();
  }
  if (funct3 === 6 || funct3 === 7) {
    // CSRRSI / CSRRCI with uimm = 0: a pure read.
    return insn.imm === 0 ? unchecked.sysRegRead(insn.csr, rd) : nothing();
  }
  if (rd !== 0) return nothing();
  // CSRRW / CSRRWI with rd = x0: a pure write.
  const value =
    funct3 === 1 ? readX(snapshot.x, insn.rs1 as number, xlen) : BigInt(insn.imm as number);
  return unchecked.sysRegWrite(insn.csr, value);
}
