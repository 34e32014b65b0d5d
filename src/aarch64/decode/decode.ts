import type { DecodedExit } from "../../core/decoded";
import { show, VmExitError } from "../../core/error";
import type { VmExit } from "../../core/exit";
import { checkOptions } from "../../core/options";
import { highHalf, splitU64Low } from "../../core/u64";
import type { Aarch64Cause } from "../cause";
import { bitsAt } from "../layout/at";
import { checkEsr, checkEsrRes0 } from "../layout/esr";
import { Esr } from "../layout/positions";
import { AARCH64_DECODE_OPTIONS } from "../options";
import type { Aarch64DecodeOptions, Aarch64Exception, Aarch64Snapshot } from "../snapshot";
import { EC } from "../tables/ec";
import { decodeDataAbort, decodeInstructionAbort } from "./abort";
import { decodeCall } from "./call";
import type { ClassDecoder, ClassResult } from "./cause";
import { decodeInterrupt } from "./interrupt";
import { decodeOther } from "./other";
import { decodeSError } from "./serror";
import { decodeSys64 } from "./sys64";
import { decodeWfx } from "./wfx";

function buildDecoders(): readonly ClassDecoder[] {
  const t = new Array<ClassDecoder>(64).fill(decodeOther);
  t[EC.WFX] = decodeWfx;
  t[EC.HVC32] = decodeCall;
  t[EC.SMC32] = decodeCall;
  t[EC.HVC64] = decodeCall;
  t[EC.SMC64] = decodeCall;
  t[EC.SYS64] = decodeSys64;
  t[EC.IABT_LOW] = decodeInstructionAbort;
  t[EC.IABT_CUR] = decodeInstructionAbort;
  t[EC.DABT_LOW] = decodeDataAbort;
  t[EC.DABT_CUR] = decodeDataAbort;
  t[EC.SERROR] = decodeSError;
  return t;
}

/** The decoder of each exception class, indexed by EC (unallocated ECs are rejected before). */
const DECODERS: readonly ClassDecoder[] = /* @__PURE__ */ buildDecoders();

/** Checks that `snapshot` is an object and returns its exception kind (default `"sync"`). */
export function snapshotException(snapshot: Aarch64Snapshot): Aarch64Exception {
  if (typeof snapshot !== "object" || snapshot === null) throw notAnObject(snapshot);
  const exception = snapshot.exception;
  if (exception === undefined) return "sync";
  if (
    exception === "sync" ||
    exception === "irq" ||
    exception === "fiq" ||
    exception === "serror"
  ) {
    return exception;
  }
  throw notAnException(exception);
}

// The errors live in functions of their own, out of the hot path's code.
function notAnObject(snapshot: unknown): VmExitError {
  return new VmExitError(
    "invalid-argument",
    `snapshot must be an object, got ${show(snapshot)}`,
    "snapshot",
  );
}

function notAnException(exception: unknown): VmExitError {
  return new VmExitError(
    "invalid-argument",
    `exception must be "sync", "irq", "fiq" or "serror", got ${show(exception)}`,
    "exception",
  );
}

function missingEsr(): VmExitError {
  return new VmExitError("missing-register", "esr is needed to decode the exit", "esr");
}

/**
 * The one decode path: checks the snapshot and options, reads ESR_EL2 once into 32-bit halves
 * and dispatches on EC; the class decoder builds the cause only when `withCause` (then the result
 * is a `DecodedExit`, else the exit alone).
 */
export function decode(
  snapshot: Aarch64Snapshot,
  options: Aarch64DecodeOptions | undefined,
  withCause: boolean,
): ClassResult {
  const exception = snapshotException(snapshot);
  if (options !== undefined) checkOptions(options, AARCH64_DECODE_OPTIONS);
  if (exception !== "sync") return decodeAsync(snapshot, exception, options, withCause);
  const raw = snapshot.esr;
  if (raw === undefined) throw missingEsr();
  let lo: number;
  let hi: number;
  if (typeof raw === "number" && raw >>> 0 === raw) {
    // The usual case, a number with ISS2 = 0: no call, no second look at the value.
    lo = raw >>> 0;
    hi = 0;
  } else {
    lo = splitU64Low(raw, "esr");
    hi = highHalf();
  }
  checkEsr(lo, hi);
  const ec = bitsAt(Esr.EC, lo);
  return (DECODERS[ec] as ClassDecoder)(snapshot, "sync", ec, lo, hi, options?.isMmio, withCause);
}

/** An IRQ, FIQ or SError: the exceptions taken without a trap, out of the synchronous path. */
function decodeAsync(
  snapshot: Aarch64Snapshot,
  exception: "irq" | "fiq" | "serror",
  options: Aarch64DecodeOptions | undefined,
  withCause: boolean,
): ClassResult {
  if (exception !== "serror") return decodeInterrupt(snapshot, exception, withCause);
  const raw = snapshot.esr;
  if (raw === undefined) throw missingEsr();
  const lo = splitU64Low(raw, "esr");
  const hi = highHalf();
  // An SError's ESR holds the SError syndrome whatever its EC field says.
  checkEsrRes0(lo, hi);
  return decodeSError(snapshot, exception, EC.SERROR, lo, hi, options?.isMmio, withCause);
}

/**
 * Decodes an AArch64 EL2 exit (ESR_EL2, FAR/HPFAR, registers) into a typed exit and its cause.
 * Host state no exception produces (ESR bits 63:56 set, an unallocated EC, ISV = 1 with SAS = 3
 * and SF = 0), a wrong type or a missing register → `VmExitError`; values the guest chose never
 * make it throw.
 * @example
 * // str w1, [x0] to an unmapped IPA: DABT_LOW, ISV, SAS 2, SRT 1, WnR, DFSC 0x07
 * decodeAarch64({ esr: 0x93810047, hpfar: 0x90000n, far: 0x10n, x: [0n, 0xdeadbeefn] });
 * // { exit: { kind: "MmioWrite", addr: 0x9000010n, width: 4, data: 0xdeadbeefn },
 * //   cause: { class: "data-abort", gpa: 0x9000010n, mmioSource: "syndrome", … } }
 */
export function decodeAarch64(
  snapshot: Aarch64Snapshot,
  options?: Aarch64DecodeOptions,
): DecodedExit<Aarch64Cause> {
  return decode(snapshot, options, true) as DecodedExit<Aarch64Cause>;
}

/**
 * The exit of `decodeAarch64(snapshot, options)`, without building the cause (the same decode,
 * for hot loops): the same exit, and the same `VmExitError` for the same input.
 * @example decodeAarch64Exit({ esr: 0x06000000 }) // { kind: "Halt" } (WFI)
 */
export function decodeAarch64Exit(
  snapshot: Aarch64Snapshot,
  options?: Aarch64DecodeOptions,
): VmExit {
  return decode(snapshot, options, false) as VmExit;
}
