// The guest general-purpose registers of an x86 snapshot (VMX and SVM alike): their names, and
// reading them for a decoder. A missing register is `missing-register` naming it and the exit
// that needs it; a value that is not a u64 is `invalid-argument` / `out-of-range`.
import type { RegValue } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import { splitBigint, splitBigintLow, splitU64, TWO_64, toU64, type U64Halves } from "../core/u64";
import { missingField } from "./fields";

/** The guest general-purpose registers (and RIP) an x86 snapshot may carry, by lowercase name. */
export type X86Reg =
  | "rax"
  | "rbx"
  | "rcx"
  | "rdx"
  | "rsi"
  | "rdi"
  | "rbp"
  | "rsp"
  | "r8"
  | "r9"
  | "r10"
  | "r11"
  | "r12"
  | "r13"
  | "r14"
  | "r15"
  | "rip";

/** Register names in x86 encoding order (index 0–15 = RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8…R15). */
export const X86_REG_NAMES: readonly X86Reg[] = [
  "rax",
  "rcx",
  "rdx",
  "rbx",
  "rsp",
  "rbp",
  "rsi",
  "rdi",
  "r8",
  "r9",
  "r10",
  "r11",
  "r12",
  "r13",
  "r14",
  "r15",
];

/** Guest registers by name, as a snapshot carries them (registers an exit does not read may be absent). */
export type X86Regs = Partial<Record<X86Reg, RegValue>>;

/** Scratch halves reused by every register read (decoding is synchronous). */
const scratch: U64Halves = { lo: 0, hi: 0 };

function missing(name: X86Reg, exitName: string): never {
  return missingField(`regs.${name}`, exitName);
}

// The readers below take the register's value, read by the caller with a named property load
// (`regs?.rcx`): a load by a variable name is keyed and, seeing many names, slow. Field names are
// built only for an error: a template literal per read cost a string each.

/**
 * Checks the value `v` of guest register `name` and splits it into shared scratch halves (valid
 * until the next register read); `exitName` names the exit that needs it when it is absent.
 */
export function regHalvesOf(v: RegValue | undefined, name: X86Reg, exitName: string): U64Halves {
  if (typeof v === "bigint" && v >= 0n && v < TWO_64) return splitBigint(v, scratch);
  if (v === undefined) missing(name, exitName);
  return splitU64(v, `regs.${name}`, scratch);
}

/** Bits 31:0 (ECX, EAX, EDX, …) of the value `v` of guest register `name`, checked. */
export function reg32Of(v: RegValue | undefined, name: X86Reg, exitName: string): number {
  if (typeof v === "bigint" && v >= 0n && v < TWO_64) return splitBigintLow(v);
  return regHalvesOf(v, name, exitName).lo;
}

/** The value `v` of guest register `name`, checked, as a u64 bigint (a valid bigint as it is). */
export function reg64Of(v: RegValue | undefined, name: X86Reg, exitName: string): bigint {
  if (typeof v === "bigint" && v >= 0n && v < TWO_64) return v;
  if (v === undefined) missing(name, exitName);
  return toU64(v, `regs.${name}`);
}

/**
 * Reads guest register `name` (a variable name: prefer `regHalvesOf(regs?.rax, …)` for a fixed
 * one) into shared scratch halves; `exitName` names the exit that needs it when it is absent.
 */
export function regHalves(regs: X86Regs | undefined, name: X86Reg, exitName: string): U64Halves {
  return regHalvesOf(regs === undefined ? undefined : regs[name], name, exitName);
}

/** Reads bits 31:0 of a guest register (ECX, EAX, EDX, …). */
export function reg32(regs: X86Regs | undefined, name: X86Reg, exitName: string): number {
  return regHalvesOf(regs === undefined ? undefined : regs[name], name, exitName).lo;
}

/** Reads a whole guest register as a u64 bigint (a valid bigint is returned as it is). */
export function reg64(regs: X86Regs | undefined, name: X86Reg, exitName: string): bigint {
  return reg64Of(regs === undefined ? undefined : regs[name], name, exitName);
}

/** Reads a guest register as a u64 bigint, `undefined` when absent. */
export function optionalReg64(regs: X86Regs | undefined, name: X86Reg): bigint | undefined {
  const v = regs === undefined ? undefined : regs[name];
  if (v === undefined || (typeof v === "bigint" && v >= 0n && v < TWO_64)) return v;
  return toU64(v, `regs.${name}`);
}

/** Checks that `regs` is absent or an object (its registers are checked where an exit reads them). */
export function checkRegs(regs: unknown): X86Regs | undefined {
  if (regs === undefined) return undefined;
  if (typeof regs !== "object" || regs === null) {
    throw new VmExitError("invalid-argument", `regs must be an object, got ${show(regs)}`, "regs");
  }
  return regs as X86Regs;
}
