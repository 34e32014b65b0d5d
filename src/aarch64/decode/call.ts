import { makeCause } from "../../core/cause";
import { halt, systemDown } from "../../core/constructors";
import type { VmExit } from "../../core/exit";
import * as unchecked from "../../core/unchecked";
import type { Aarch64HvcSmcCause } from "../cause";
import { bitsAt, isSetAt } from "../layout/at";
import { CallIss, Esr, SmcccFid } from "../layout/positions";
import type { Aarch64Snapshot } from "../snapshot";
import { EC, ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "../tables/ec";
import {
  PSCI_ID,
  psciFunctionName,
  SMCCC_OWNER_NAMES,
  smcccOtherFunctionName,
} from "../tables/psci";
import type { ClassResult } from "./cause";
import { checkedX, checkX, readW, readX, readX1To6 } from "./regs";

type PsciExit = "CpuUp" | "CpuDown" | "Halt" | "SystemDown";

/** The PSCI function IDs (W0) that become an exit other than `Hypercall`. */
export const PSCI_EXITS: ReadonlyMap<number, PsciExit> = /* @__PURE__ */ new Map<number, PsciExit>([
  [PSCI_ID.CPU_ON, "CpuUp"],
  [PSCI_ID.CPU_ON64, "CpuUp"],
  [PSCI_ID.CPU_OFF, "CpuDown"],
  [PSCI_ID.CPU_SUSPEND, "Halt"],
  [PSCI_ID.CPU_SUSPEND64, "Halt"],
  [PSCI_ID.SYSTEM_OFF, "SystemDown"],
  [PSCI_ID.SYSTEM_OFF2, "SystemDown"],
  [PSCI_ID.SYSTEM_OFF2_64, "SystemDown"],
  [PSCI_ID.SYSTEM_RESET, "SystemDown"],
  [PSCI_ID.SYSTEM_RESET2, "SystemDown"],
  [PSCI_ID.SYSTEM_RESET2_64, "SystemDown"],
]);

// The exits of PSCI_EXITS as numbers, for the hot path (0: none, a `Hypercall`).
const HYPERCALL = 0;
const CPU_UP = 1;
const CPU_DOWN = 2;
const HALT = 3;
const SYSTEM_DOWN = 4;
const PSCI_EXIT_CODES: Readonly<Record<PsciExit, number>> = {
  CpuUp: CPU_UP,
  CpuDown: CPU_DOWN,
  Halt: HALT,
  SystemDown: SYSTEM_DOWN,
};

function buildPsciExitTable(): readonly number[] {
  const t = new Array<number>(64).fill(HYPERCALL);
  for (const [fid, exit] of PSCI_EXITS) t[psciExitIndex(fid)] = PSCI_EXIT_CODES[exit];
  return t;
}

// Every ID in PSCI_EXITS is 0x84000000 or 0xC4000000 plus a function number below 0x20, so
// bit 30 (the SMC64 convention) and bits 4:0 index a 64-entry table.
function psciExitIndex(fid: number): number {
  return ((fid >>> 25) & 0x20) | (fid & 0x1f);
}

/** PSCI_EXITS as an array of exit codes indexed by `psciExitIndex`. */
const PSCI_EXIT_TABLE: readonly number[] = /* @__PURE__ */ buildPsciExitTable();

/** The exit code PSCI function ID `fid` becomes, HYPERCALL for a `Hypercall` (as `PSCI_EXITS.get(fid)`). */
function psciExit(fid: number): number {
  if ((fid & 0xbfff_ffe0) >>> 0 !== 0x8400_0000) return HYPERCALL;
  return PSCI_EXIT_TABLE[psciExitIndex(fid)] as number;
}

/** Argument register n: Xn, or Wn zero-extended when `narrow` (AArch32 caller or SMC32 convention). */
function arg(s: Aarch64Snapshot, n: number, narrow: boolean): bigint {
  return narrow ? BigInt(readW(s, n)) : readX(s, n);
}

// PSCI as Linux's arch/arm64/kvm/psci.c handles it: an AArch32 caller may not use the SMC64
// function IDs (`kvm_psci_check_allowed_function`, NOT_SUPPORTED), so those stay `Hypercall`;
// an SMC32-convention call from AArch64 reads only W1…W3 (`kvm_psci_narrow_to_32bit`).
function psciCallExit(s: Aarch64Snapshot, psci: number, narrow: boolean): VmExit {
  if (psci === CPU_UP) {
    const exit = unchecked.cpuUp(arg(s, 1, narrow), arg(s, 2, narrow), arg(s, 3, narrow));
    checkArgs(s, 4);
    return exit;
  }
  checkArgs(s, 1);
  if (psci === CPU_DOWN) return unchecked.cpuDown(0n);
  return psci === HALT ? halt() : systemDown();
}

/** An AArch32 caller's `Hypercall`: W0 and W1…W6, zero-extended. */
function hypercall32(s: Aarch64Snapshot, fid: number): VmExit {
  return unchecked.hypercall(BigInt(fid), [
    arg(s, 1, true),
    arg(s, 2, true),
    arg(s, 3, true),
    arg(s, 4, true),
    arg(s, 5, true),
    arg(s, 6, true),
  ]);
}

/** The argument registers an exit does not read: checked when supplied, as `explainAarch64` shows them. */
function checkArgs(s: Aarch64Snapshot, first: number): void {
  for (let n = first; n <= 6; n++) checkX(s, n);
}

/**
 * EC 0x12/0x13/0x16/0x17: HVC or SMC; PSCI by W0, else `Hypercall { nr: x0, args: x1…x6 }` (W
 * registers from AArch32). x0 is needed; x1…x6 as the exit needs them, and checked when supplied.
 */
export function decodeCall(
  s: Aarch64Snapshot,
  exception: "sync" | "serror",
  ec: number,
  lo: number,
  hi: number,
  _isMmio: unknown,
  withCause: boolean,
): ClassResult {
  const aarch32 = ec === EC.HVC32 || ec === EC.SMC32;
  const fid = readW(s, 0);
  const smc64 = isSetAt(SmcccFid.CONVENTION, fid);
  const psci = aarch32 && smc64 ? HYPERCALL : psciExit(fid);
  let exit: VmExit;
  // X0 was checked when its W0 was read as the function ID.
  if (psci !== HYPERCALL) exit = psciCallExit(s, psci, aarch32 || !smc64);
  else if (aarch32) exit = hypercall32(s, fid);
  else exit = unchecked.hypercall(checkedX(s, 0), readX1To6(s));
  return withCause ? { exit, cause: callCause(exception, ec, lo, hi, fid, aarch32) } : exit;
}

/** The cause of an HVC or SMC whose W0 is `fid`. */
function callCause(
  exception: "sync" | "serror",
  ec: number,
  lo: number,
  hi: number,
  fid: number,
  aarch32: boolean,
): Aarch64HvcSmcCause {
  const psciFunction = psciFunctionName(fid);
  const owner = bitsAt(SmcccFid.OEN, fid);
  return makeCause({
    arch: "aarch64",
    code: ec,
    name: ESR_EC_NAMES[ec] as string,
    class: "hvc-smc",
    exception,
    description: ESR_EC_DESCRIPTIONS[ec] as string,
    il: isSetAt(Esr.IL, lo),
    iss: bitsAt(Esr.ISS, lo),
    iss2: bitsAt(Esr.ISS2, hi),
    conduit: ec === EC.HVC32 || ec === EC.HVC64 ? "hvc" : "smc",
    aarch32,
    imm16: ec === EC.SMC32 ? 0 : bitsAt(CallIss.IMM16, lo),
    functionId: fid,
    callType: isSetAt(SmcccFid.CALL_TYPE, fid) ? "fast" : "yielding",
    convention: isSetAt(SmcccFid.CONVENTION, fid) ? 64 : 32,
    owner,
    ownerName: SMCCC_OWNER_NAMES[owner] as string,
    functionNumber: bitsAt(SmcccFid.FUNCTION_NUMBER, fid),
    functionName: psciFunction ?? smcccOtherFunctionName(fid),
    psciFunction,
  });
}
