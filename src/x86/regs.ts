import type { RegValue } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import { joinU64, splitU64, toInt, U64_MAX, type U64Halves } from "../core/u64";
import type { VmxSnapshot, X86Reg } from "./vmx/snapshot";

/** Scratch halves reused by every register read (decoding is synchronous). */
const scratch: U64Halves = { lo: 0, hi: 0 };

function regValue(snapshot: VmxSnapshot, name: X86Reg): RegValue {
  const regs = snapshot.regs;
  const v = regs === undefined || regs === null ? undefined : regs[name];
  if (v === undefined) {
    throw new VmExitError(
      "missing-register",
      `regs.${name} is needed to decode exit reason ${snapshot.exitReason} but is absent`,
      `regs.${name}`,
    );
  }
  return v;
}

/** Reads a guest register into the shared scratch halves; absent → `missing-register`. */
export function regHalves(snapshot: VmxSnapshot, name: X86Reg): U64Halves {
  return splitU64(regValue(snapshot, name), `regs.${name}`, scratch);
}

/** Reads bits 31:0 of a guest register (ECX, EAX, EDX, …). */
export function reg32(snapshot: VmxSnapshot, name: X86Reg): number {
  return splitU64(regValue(snapshot, name), `regs.${name}`, scratch).lo;
}

/** Reads a whole guest register as a u64 bigint (a valid bigint is returned as is). */
export function reg64(snapshot: VmxSnapshot, name: X86Reg): bigint {
  return u64Of(regValue(snapshot, name), `regs.${name}`);
}

/** A validated u64 as bigint: bigints pass through, numbers are converted once. */
function u64Of(v: RegValue, field: string): bigint {
  if (typeof v === "bigint" && v >= 0n && v <= U64_MAX) return v;
  const h = splitU64(v, field, scratch);
  return joinU64(h.lo, h.hi);
}

/** Reads an optional guest register as a u64 bigint, `undefined` when absent. */
export function optionalReg64(snapshot: VmxSnapshot, name: X86Reg): bigint | undefined {
  const v = snapshot.regs?.[name];
  return v === undefined ? undefined : u64Of(v, `regs.${name}`);
}

/** Reads a 64-bit VMCS field into the shared scratch halves; absent → `missing-register`. */
export function fieldHalves(
  value: RegValue | undefined,
  field: string,
  exitReason: number,
): U64Halves {
  if (value === undefined) {
    throw new VmExitError(
      "missing-register",
      `${field} is needed to decode exit reason ${exitReason} but is absent`,
      field,
    );
  }
  return splitU64(value, field, scratch);
}

/** Reads an optional 64-bit VMCS field as a bigint, `undefined` when absent. */
export function optionalField64(value: RegValue | undefined, field: string): bigint | undefined {
  return value === undefined ? undefined : u64Of(value, field);
}

/** Validates an optional 32-bit VMCS field. */
export function optionalField32(value: unknown, field: string): number | undefined {
  return value === undefined ? undefined : toInt(value, field, 0, 0xffff_ffff);
}

/**
 * Checks that a snapshot is an object with a 32-bit `exitReason` and that `regs` (if given) is an
 * object; returns the reason. Other fields are checked where an exit reads them.
 */
export function checkSnapshot(snapshot: unknown): number {
  if (typeof snapshot !== "object" || snapshot === null) {
    throw new VmExitError(
      "invalid-argument",
      `snapshot must be an object, got ${show(snapshot)}`,
      "snapshot",
    );
  }
  const regs = (snapshot as { regs?: unknown }).regs;
  if (regs !== undefined && (typeof regs !== "object" || regs === null)) {
    throw new VmExitError("invalid-argument", `regs must be an object, got ${show(regs)}`, "regs");
  }
  return toInt((snapshot as { exitReason?: unknown }).exitReason, "exitReason", 0, 0xffff_ffff);
}

/** Reads a required 64-bit VMCS field as a bigint; absent → `missing-register`. */
export function requiredField64(
  value: RegValue | undefined,
  field: string,
  exitReason: number,
): bigint {
  const h = fieldHalves(value, field, exitReason);
  return joinU64(h.lo, h.hi);
}
