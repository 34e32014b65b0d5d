// Reading an SVM snapshot: the code decoders' signature and checked reads of its fields. As on VMX,
// each code decoder reads the snapshot fields it uses itself (`s.exitInfo1` written at its own
// site): one shared property read that sees snapshots of many shapes is a slow megamorphic load.
import type { RegValue } from "../../core/decoded";
import { show, VmExitError } from "../../core/error";
import type { VmExit } from "../../core/exit";
import {
  hex,
  highHalf,
  joinU64,
  splitU64,
  splitU64Low,
  TWO_64,
  toU64,
  type U64Halves,
} from "../../core/u64";
import { optionalU32 } from "../fields";
import { checkRegs } from "../regs";
import type { SvmCause } from "./cause";
import { svmExitCodeIndexOf } from "./codes";
import type { SvmDecodeOptions, SvmSnapshot } from "./snapshot";

/** Where a code decoder puts the cause when it is wanted (the object `decodeSvm` returns). */
export interface CauseSlot {
  cause: SvmCause;
}

/**
 * One exit code's decoder: returns the exit and, when `out` is given, puts the cause of its class
 * in `out.cause`. It reads (and so checks) the same fields whether or not the cause is wanted, so
 * that `decodeSvm` and `decodeSvmExit` reject the same snapshots.
 */
export type CodeDecoder = (
  s: SvmSnapshot,
  code: number,
  options: SvmDecodeOptions | undefined,
  out: CauseSlot | undefined,
) => VmExit;

/** The halves of the last EXITINFO1 read (copy them out at once). */
export const INFO1: U64Halves = { lo: 0, hi: 0 };
/** The halves of the last EXITINFO2 read. */
export const INFO2: U64Halves = { lo: 0, hi: 0 };

/** Checks a given EXITINFO1 (pass `s.exitInfo1`) and leaves its halves in `INFO1` (0 when absent). */
export function readInfo1(v: unknown): void {
  if (typeof v === "number" && v >>> 0 === v) {
    INFO1.lo = v;
    INFO1.hi = 0;
  } else if (v === undefined) {
    INFO1.lo = 0;
    INFO1.hi = 0;
  } else {
    splitU64(v, "exitInfo1", INFO1);
  }
}

/** Checks a given EXITINFO2 (pass `s.exitInfo2`) and leaves its halves in `INFO2` (0 when absent). */
export function readInfo2(v: unknown): void {
  if (typeof v === "number" && v >>> 0 === v) {
    INFO2.lo = v;
    INFO2.hi = 0;
  } else if (v === undefined) {
    INFO2.lo = 0;
    INFO2.hi = 0;
  } else {
    splitU64(v, "exitInfo2", INFO2);
  }
}

/**
 * Checks a given 64-bit field without splitting it (pass `s.exitInfo2`, …): the decoders that need
 * a field only as a bigint, or not at all, check it this way (a bigint is checked by two
 * comparisons, where a split also goes through a typed array).
 */
export function checkInfo(v: unknown, field: string): void {
  if (typeof v === "bigint") {
    if (v >= 0n && v < TWO_64) return;
  } else if (v === undefined || (typeof v === "number" && v >>> 0 === v)) {
    return;
  }
  toU64(v, field);
}

/** A given (checked) field as a bigint: a bigint as it is, a number converted. */
export function u64Of(v: RegValue | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  return typeof v === "bigint" ? v : BigInt(v);
}

/** Checks EXITINTINFO and its error code (pass `s.exitIntInfo`, `s.exitIntInfoErrorCode`). */
export function checkIntInfo(info: unknown, errorCode: unknown): void {
  optionalU32(info, "exitIntInfo");
  optionalU32(errorCode, "exitIntInfoErrorCode");
}

/**
 * Checks a snapshot's shape and returns the index of its exit code in `SVM_EXIT_CODES`: a missing
 * EXITCODE is `missing-register`, one that is no defined code `unknown-exit-reason`; `regs`, when
 * given, must be an object.
 */
export function checkSvmSnapshot(snapshot: unknown): number {
  if (typeof snapshot !== "object" || snapshot === null) {
    throw new VmExitError(
      "invalid-argument",
      `snapshot must be an object, got ${show(snapshot)}`,
      "snapshot",
    );
  }
  const s = snapshot as { exitCode?: unknown; regs?: unknown };
  const c = s.exitCode;
  if (c === undefined) {
    throw new VmExitError(
      "missing-register",
      "exitCode is needed to decode an SVM exit but is absent",
      "exitCode",
    );
  }
  checkRegs(s.regs);
  let lo: number;
  let hi = 0;
  if (typeof c === "number" && c >>> 0 === c) {
    lo = c;
  } else {
    lo = splitU64Low(c, "exitCode");
    hi = highHalf();
  }
  const index = svmExitCodeIndexOf(lo, hi);
  if (index < 0) {
    throw new VmExitError(
      "unknown-exit-reason",
      `exitCode ${hex(joinU64(lo, hi))} is not a defined SVM exit code`,
      "exitCode",
    );
  }
  return index;
}
