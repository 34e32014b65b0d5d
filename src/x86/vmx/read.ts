// Reading a VMX snapshot: the reason decoders' signature, and checked reads of its fields. Each
// reason decoder reads the fields it uses itself (`s.exitQualification` written at its own site),
// because a property read that sees snapshots of many shapes is a slow megamorphic load: reading
// every field in one shared place made decoding mixed snapshots about 40 % slower.
import type { RegValue } from "../../core/decoded";
import { show, VmExitError } from "../../core/error";
import type { VmExit } from "../../core/exit";
import { splitU64, TWO_64, toInt, toU64, type U64Halves } from "../../core/u64";
import { missingField } from "../fields";
import type { VmxCause } from "./cause";
import type { VmxDecodeOptions, VmxSnapshot } from "./snapshot";

/** Where a reason decoder puts the cause when it is wanted (the object `decodeVmx` returns). */
export interface CauseSlot {
  cause: VmxCause;
}

/**
 * One basic reason's decoder: returns the exit and, when `out` is given, puts the cause of its
 * class in `out.cause`. It reads (and so checks) the same fields whether or not the cause is
 * wanted, so that `decodeVmx` and `decodeVmxExit` reject the same snapshots. Each begins with
 * `checkRegs(s.regs)` (a given `regs` must be an object, whatever the reason): written at the
 * reason's own site, the read sees the few shapes of that reason's snapshots (in one shared place
 * it was a megamorphic load, about 5 % of the instructions of a decode on the bench's mix).
 */
export type ReasonDecoder = (
  s: VmxSnapshot,
  exitReason: number,
  options: VmxDecodeOptions | undefined,
  out: CauseSlot | undefined,
) => VmExit;

/** The halves of the last qualification read (copy them out at once). */
export const QUALIFICATION: U64Halves = { lo: 0, hi: 0 };

/**
 * Checks a given qualification and leaves its halves in `QUALIFICATION` (0 when absent); pass
 * `s.exitQualification`.
 */
export function readQualification(q: unknown): void {
  if (q === undefined) {
    QUALIFICATION.lo = 0;
    QUALIFICATION.hi = 0;
  } else {
    splitU64(q, "exitQualification", QUALIFICATION);
  }
}

/** The guest-physical address (pass `s.guestPhysicalAddress`), checked; absent → `missing-register`. */
export function gpaOf(v: RegValue | undefined, exitName: string): bigint {
  if (typeof v === "bigint" && v >= 0n && v < TWO_64) return v;
  if (v === undefined) missingField("guestPhysicalAddress", exitName);
  return toU64(v, "guestPhysicalAddress");
}

/**
 * Checks that the snapshot is an object and returns its exit reason (a missing one is
 * `missing-register`, like every missing register); the reason decoders check `regs`.
 */
export function checkVmxSnapshot(snapshot: unknown): number {
  if (typeof snapshot !== "object" || snapshot === null) {
    throw new VmExitError(
      "invalid-argument",
      `snapshot must be an object, got ${show(snapshot)}`,
      "snapshot",
    );
  }
  const s = snapshot as { exitReason?: unknown };
  const r = s.exitReason;
  if (r === undefined) {
    throw new VmExitError(
      "missing-register",
      "exitReason is needed to decode a VMX exit but is absent",
      "exitReason",
    );
  }
  return typeof r === "number" && r >>> 0 === r ? r : toInt(r, "exitReason", 0, 0xffff_ffff);
}
