import { makeCause } from "../../core/cause";
import { halt, nothing } from "../../core/constructors";
import type { VmExit } from "../../core/exit";
import { highHalf, joinU64 } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import type { ClassResult, RiscvVirtualInstructionCause } from "../cause";
import { decodeInstructionWord } from "../insn/compressed";
import { RISCV_CSR_NAMES } from "../insn/csr";
import { CSR_IMMEDIATE_FUNCT3, OPCODE, WFI } from "../insn/decode";
import type { RiscvInstruction } from "../insn/instruction";
import {
  checkInstructionWord,
  checkRegisterFile,
  checkUnread,
  readX,
  scauseValue,
  splitLow,
} from "../registers";
import { SCAUSE_CODE, SCAUSE_EXCEPTION_DESCRIPTIONS, SCAUSE_EXCEPTION_NAMES } from "../scause";
import type { RiscvSnapshot, RiscvXlen } from "../snapshot";

/** CSRRW / CSRRS / CSRRC (funct3 1, 2, 3), and their immediate forms at funct3 + 4. */
const CSRRW = 1;
const CSRRS = 2;
const CSRRC = 3;

/**
 * Decodes a virtual-instruction trap (22): WFI → Halt, pure CSR reads/writes → SysRegRead /
 * SysRegWrite, anything else the guest executed → Nothing. The instruction is stval when it is
 * non-zero (and fits 32 bits), else `snapshot.instruction`.
 */
export function decodeVirtualInstruction(
  snapshot: RiscvSnapshot,
  xlen: RiscvXlen,
  withCause: boolean,
): ClassResult {
  checkUnread(xlen, undefined, snapshot.htval, snapshot.htinst, snapshot.instruction);
  const stvalRaw = snapshot.stval;
  let stvalLo = 0;
  let stvalHi = 0;
  if (stvalRaw !== undefined) {
    stvalLo = splitLow(stvalRaw, "stval", xlen);
    stvalHi = highHalf();
  }
  let instruction: RiscvInstruction | undefined;
  // stval holds the trapping instruction's bits; more than 32 bits is a longer encoding.
  if (stvalHi === 0 && stvalLo !== 0) instruction = decodeInstructionWord(stvalLo, "stval", xlen);
  else if (stvalHi === 0 && snapshot.instruction !== undefined) {
    instruction = decodeInstructionWord(
      checkInstructionWord(snapshot.instruction),
      "snapshot",
      xlen,
    );
  }
  const exit = exitOf(instruction, snapshot, xlen);
  if (!withCause) return exit;
  const stval =
    stvalRaw === undefined
      ? 0n
      : typeof stvalRaw === "bigint"
        ? stvalRaw
        : joinU64(stvalLo, stvalHi);
  return { exit, cause: virtualInstructionCause(snapshot, xlen, stval, instruction) };
}

/** The cause of a virtual-instruction trap `decodeVirtualInstruction` decoded. */
function virtualInstructionCause(
  snapshot: RiscvSnapshot,
  xlen: RiscvXlen,
  stval: bigint,
  instruction: RiscvInstruction | undefined,
): RiscvVirtualInstructionCause {
  const code = SCAUSE_CODE.VIRTUAL_INSTRUCTION;
  const csr = instruction?.csr;
  return makeCause({
    arch: "riscv",
    code,
    name: SCAUSE_EXCEPTION_NAMES[code] as string,
    class: "virtual-instruction",
    xlen,
    scause: scauseValue(snapshot),
    description: SCAUSE_EXCEPTION_DESCRIPTIONS[code] as string,
    stval,
    instruction,
    csr,
    csrName: csr === undefined ? undefined : RISCV_CSR_NAMES[csr],
  });
}

function exitOf(
  insn: RiscvInstruction | undefined,
  snapshot: RiscvSnapshot,
  xlen: RiscvXlen,
): VmExit {
  if (insn === undefined) return nothing();
  if (insn.raw === WFI && insn.length === 4) return halt();
  if (insn.opcode !== OPCODE.SYSTEM || insn.csr === undefined) return nothing();
  const immediate = insn.funct3 >= CSR_IMMEDIATE_FUNCT3;
  const op = immediate ? insn.funct3 - 4 : insn.funct3;
  const rd = insn.rd as number;
  if (op === CSRRS || op === CSRRC) {
    // CSRRS / CSRRC with rs1 = x0, CSRRSI / CSRRCI with uimm = 0: a pure read.
    return (immediate ? insn.imm : insn.rs1) === 0 ? unchecked.sysRegRead(insn.csr, rd) : nothing();
  }
  if (op !== CSRRW || rd !== 0) return nothing();
  // CSRRW / CSRRWI with rd = x0: a pure write.
  const value = immediate
    ? BigInt(insn.imm as number)
    : readX(checkRegisterFile(snapshot.x), insn.rs1 as number, xlen);
  return unchecked.sysRegWrite(insn.csr, value);
}
