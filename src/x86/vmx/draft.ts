// What the VMX reason decoders share: the cause under construction, their signature, and the
// checks of the snapshot every decode (and every explanation) starts with.
import { show, VmExitError } from "../../core/error";
import type { VmExit } from "../../core/exit";
import { splitU64, toInt, toU64, type U64Halves } from "../../core/u64";
import { checkX86InsnBytes } from "../insn/decode";
import { checkRegs } from "../regs";
import type { VmxCause } from "./cause";
import type { VmxDecodeOptions, VmxSnapshot } from "./snapshot";

type KeyOf<U> = U extends unknown ? keyof U : never;
type ValueOf<U, K extends PropertyKey> = U extends unknown
  ? K extends keyof U
    ? U[K]
    : never
  : never;

/**
 * The cause under construction: `makeCause` made its base (`arch`, `code`, `name`, `class`), the
 * decoder then writes the common fields and the class decoder its own (every field writable).
 */
export type Draft = {
  -readonly [K in Exclude<KeyOf<VmxCause>, "arch" | "code" | "name" | "class">]?: ValueOf<
    VmxCause,
    K
  >;
};

/**
 * One basic reason's decoder: returns the exit and, when `c` is given, writes the class's fields
 * into it. `lo` / `hi` are the qualification's halves (0 when it was not given).
 */
export type ReasonDecoder = (
  s: VmxSnapshot,
  lo: number,
  hi: number,
  options: VmxDecodeOptions | undefined,
  c: Draft | undefined,
) => VmExit;

/** The qualification's halves, split once by `checkVmxSnapshot` (copied out at once by the caller). */
export const QUALIFICATION: U64Halves = { lo: 0, hi: 0 };
const scratch: U64Halves = { lo: 0, hi: 0 };

/** The 32-bit VMCS fields of a snapshot. */
const U32_FIELDS = [
  "exitInterruptionInfo",
  "exitInterruptionErrorCode",
  "idtVectoringInfo",
  "instructionLength",
  "instructionInfo",
] as const;

/**
 * Checks a snapshot's shape and every VMCS field it gives (type and range), returns the exit
 * reason and leaves the qualification's halves in `QUALIFICATION`. Registers are checked where an
 * exit reads them. A missing exit reason is `missing-register`, like every missing register.
 */
export function checkVmxSnapshot(snapshot: unknown): number {
  if (typeof snapshot !== "object" || snapshot === null || Array.isArray(snapshot)) {
    throw new VmExitError(
      "invalid-argument",
      `snapshot must be an object, got ${show(snapshot)}`,
      "snapshot",
    );
  }
  const s = snapshot as Record<string, unknown>;
  if (s.exitReason === undefined) {
    throw new VmExitError(
      "missing-register",
      "exitReason is needed to decode a VMX exit but is absent",
      "exitReason",
    );
  }
  const exitReason = toInt(s.exitReason, "exitReason", 0, 0xffff_ffff);
  checkRegs(s.regs);
  if (s.exitQualification === undefined) {
    QUALIFICATION.lo = 0;
    QUALIFICATION.hi = 0;
  } else {
    splitU64(s.exitQualification, "exitQualification", QUALIFICATION);
  }
  if (s.guestPhysicalAddress !== undefined) {
    splitU64(s.guestPhysicalAddress, "guestPhysicalAddress", scratch);
  }
  if (s.guestLinearAddress !== undefined) {
    splitU64(s.guestLinearAddress, "guestLinearAddress", scratch);
  }
  for (const key of U32_FIELDS) {
    const v = s[key];
    if (v !== undefined) toInt(v, key, 0, 0xffff_ffff);
  }
  if (s.instructionBytes !== undefined) checkX86InsnBytes(s.instructionBytes, "instructionBytes");
  return exitReason;
}

/** The qualification must be given for this exit: else `missing-register` naming it. */
export function needQualification(s: VmxSnapshot, exitName: string): void {
  if (s.exitQualification === undefined) {
    throw new VmExitError(
      "missing-register",
      `exitQualification is needed to decode ${exitName} but is absent`,
      "exitQualification",
    );
  }
}

/** The guest-physical address (0x2400), already checked; absent → `missing-register`. */
export function gpaOf(s: VmxSnapshot, exitName: string): bigint {
  if (s.guestPhysicalAddress === undefined) {
    throw new VmExitError(
      "missing-register",
      `guestPhysicalAddress is needed to decode ${exitName} but is absent`,
      "guestPhysicalAddress",
    );
  }
  return toU64(s.guestPhysicalAddress, "guestPhysicalAddress");
}
