// RISC-V register writes (unprivileged spec, "Load and Store Instructions"): a load's value is
// sign-extended (LB, LH, LW, LD) or zero-extended (LBU, LHU, LWU) to XLEN and written to rd; a CSR
// instruction writes the CSR's old value to rd; x0 discards writes.
import type { RegValue } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import type { MmioReadExit, SysRegReadExit } from "../core/exit";
import { joinU64, splitU64, toInt, toU64, type U64Halves } from "../core/u64";
import type { RiscvSnapshot } from "../riscv/index";
import {
  checkMmioRead,
  checkSnapshotObject,
  checkSysRegRead,
  checkU64,
  fullWidth,
  type RegWidths,
} from "./check";
import { loadedValue } from "./load";
import type { RegisterWrite } from "./types";

const value: U64Halves = { lo: 0, hi: 0 };

/** Register widths: XLEN 32 and 64, in bytes. */
const REG_WIDTHS: RegWidths = { mask: 4 | 8, text: "4 or 8" };

/** The write a RISC-V `MmioRead` that returned `data` makes; `undefined` for x0. */
export function riscvMmioRead(
  exit: MmioReadExit,
  data: RegValue,
  old?: RegValue,
): RegisterWrite | undefined {
  if (old !== undefined) checkU64(old, "old"); // not needed: every load writes the whole register
  checkMmioRead(exit, "riscv", 31, REG_WIDTHS);
  if (exit.width === 8 && exit.regWidth === 8) {
    const v = fullWidth(data);
    return exit.reg === 0 ? undefined : { reg: exit.reg, value: v };
  }
  splitU64(data, "data", value);
  if (exit.reg === 0) return undefined;
  loadedValue(value, exit.width, exit.signedExt, exit.regWidth);
  return { reg: exit.reg, value: joinU64(value.lo, value.hi) };
}

/** The write a CSR read makes for a `SysRegRead` that returned `csr`; `undefined` for x0. */
export function riscvSysRegRead(exit: SysRegReadExit, csr: RegValue): RegisterWrite | undefined {
  checkSysRegRead(exit, "riscv", 31);
  const v = toU64(csr, "value");
  return exit.reg === 0 ? undefined : { reg: exit.reg, value: v };
}

/**
 * Length of an instruction from its low bits (unprivileged spec, "Base Instruction-Length
 * Encoding"): bits 1:0 ≠ 11 → 16 bits; bits 4:2 ≠ 111 → 32 bits; longer encodings cannot trap here.
 */
function lengthOfBits(bits: number, field: string): number {
  if ((bits & 3) !== 3) return 2;
  if ((bits & 0x1c) !== 0x1c) return 4;
  throw new VmExitError(
    "reserved-encoding",
    `${field} 0x${bits.toString(16)} is an instruction longer than 32 bits (bits 4:0 = 11111), which no trap reports`,
    field,
  );
}

/** scause exception codes of ECALL from U, HS, VS and M mode: ECALL has no compressed form. */
const ECALL_FIRST = 8;
const ECALL_LAST = 11;
/** Illegal instruction and virtual instruction: stval holds the instruction bits, or 0. */
const ILLEGAL_INSTRUCTION = 2;
const VIRTUAL_INSTRUCTION = 22;

/**
 * The bytes to add to sepc after handling a RISC-V trap: 0 for an interrupt, 4 for ECALL, else the
 * trapping instruction's length from htinst (bit 1 of a transformed instruction), stval (illegal
 * and virtual instruction) or `instruction`.
 */
export function riscvInstructionLength(snapshot: RiscvSnapshot): number {
  checkSnapshotObject(snapshot);
  const xlen = snapshot.xlen ?? 64;
  if (xlen !== 32 && xlen !== 64) {
    throw new VmExitError("invalid-argument", `xlen must be 32 or 64, got ${show(xlen)}`, "xlen");
  }
  const scause = splitU64(snapshot.scause, "scause", value);
  if (xlen === 32 && scause.hi !== 0) {
    throw new VmExitError(
      "out-of-range",
      `scause must fit XLEN 32, got 0x${scause.hi.toString(16)}${scause.lo.toString(16).padStart(8, "0")}`,
      "scause",
    );
  }
  if ((xlen === 64 ? scause.hi : scause.lo) >>> 31 === 1) return 0; // an interrupt
  const code = xlen === 64 && scause.hi !== 0 ? -1 : scause.lo;
  if (code >= ECALL_FIRST && code <= ECALL_LAST) return 4;
  if (snapshot.htinst !== undefined) {
    const h = splitU64(snapshot.htinst, "htinst", value);
    // a transformed instruction: bit 0 set, bits 63:32 clear; bit 1 clear marks a compressed one
    if ((h.lo & 1) === 1 && h.hi === 0) return h.lo & 2 ? 4 : 2;
  }
  if (
    (code === ILLEGAL_INSTRUCTION || code === VIRTUAL_INSTRUCTION) &&
    snapshot.stval !== undefined
  ) {
    const s = splitU64(snapshot.stval, "stval", value);
    if (s.lo !== 0 || s.hi !== 0) return lengthOfBits(s.lo, "stval");
  }
  if (snapshot.instruction === undefined) {
    throw new VmExitError(
      "missing-register",
      "instruction is needed for the length of the trapping instruction: htinst holds no transformed instruction and stval no instruction bits",
      "instruction",
    );
  }
  return lengthOfBits(toInt(snapshot.instruction, "instruction", 0, 0xffff_ffff), "instruction");
}
