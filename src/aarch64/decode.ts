import type { DecodedExit } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import { splitU64, toU64, type U64Halves } from "../core/u64";
import * as unchecked from "../core/unchecked";
import type { Aarch64Cause, Aarch64InterruptCause } from "./cause";
import { decodeDataAbort, decodeInstructionAbort } from "./decode-abort";
import { decodeCall } from "./decode-call";
import { decodeOther, decodeSError, decodeWfx } from "./decode-simple";
import { decodeSys64 } from "./decode-sys64";
import { EC, ESR_EC_NAMES } from "./ec";
import type { Aarch64DecodeOptions, Aarch64Exception, Aarch64Snapshot } from "./snapshot";

type Handler = (
  s: Aarch64Snapshot,
  exception: Aarch64Exception,
  ec: number,
  lo: number,
  hi: number,
  options: Aarch64DecodeOptions | undefined,
) => DecodedExit<Aarch64Cause>;

const other: Handler = (_s, exception, ec, lo, hi) => decodeOther(exception, ec, lo, hi);

function buildHandlers(): readonly Handler[] {
  const t: Handler[] = new Array<Handler>(64).fill(other);
  t[EC.WFX] = (_s, exception, ec, lo, hi) => decodeWfx(exception, ec, lo, hi);
  t[EC.HVC32] = decodeCall;
  t[EC.SMC32] = decodeCall;
  t[EC.HVC64] = decodeCall;
  t[EC.SMC64] = decodeCall;
  t[EC.SYS64] = decodeSys64;
  t[EC.IABT_LOW] = decodeInstructionAbort;
  t[EC.IABT_CUR] = decodeInstructionAbort;
  t[EC.DABT_LOW] = decodeDataAbort;
  t[EC.DABT_CUR] = decodeDataAbort;
  t[EC.SERROR] = (_s, exception, ec, lo, hi) => decodeSError(exception, ec, lo, hi);
  return t;
}

/** The decoder of each exception class, indexed by EC (unallocated ECs are rejected before). */
const HANDLERS: readonly Handler[] = /* @__PURE__ */ buildHandlers();

const esr: U64Halves = { lo: 0, hi: 0 };

function decodeInterrupt(
  s: Aarch64Snapshot,
  exception: "irq" | "fiq",
): DecodedExit<Aarch64InterruptCause> {
  if (s.irq === undefined) {
    throw new VmExitError(
      "missing-register",
      `irq (the acknowledged INTID) is needed for an ${exception} exit`,
      "irq",
    );
  }
  const intid = toU64(s.irq, "irq");
  return {
    exit: unchecked.externalInterrupt(intid),
    cause: {
      arch: "aarch64",
      code: 0,
      name: exception === "irq" ? "IRQ" : "FIQ",
      class: "interrupt",
      group: "interrupt",
      exception,
      intid,
    },
  };
}

/** Decodes an AArch64 EL2 exit (ESR_EL2, FAR/HPFAR, registers) into a typed exit and its cause. */
export function decodeAarch64(
  snapshot: Aarch64Snapshot,
  options?: Aarch64DecodeOptions,
): DecodedExit<Aarch64Cause> {
  if (typeof snapshot !== "object" || snapshot === null) {
    throw new VmExitError(
      "invalid-argument",
      `snapshot must be an object, got ${show(snapshot)}`,
      "snapshot",
    );
  }
  const exception = snapshot.exception ?? "sync";
  if (exception === "irq" || exception === "fiq") return decodeInterrupt(snapshot, exception);
  if (exception !== "sync" && exception !== "serror") {
    throw new VmExitError(
      "invalid-argument",
      `exception must be "sync", "irq", "fiq" or "serror", got ${show(exception)}`,
      "exception",
    );
  }
  const raw = snapshot.esr;
  if (raw === undefined) {
    throw new VmExitError("missing-register", "esr is needed to decode the exit", "esr");
  }
  let lo: number;
  let hi: number;
  if (typeof raw === "number" && raw >>> 0 === raw) {
    // The usual case, a number with ISS2 = 0: no call, no second look at the value.
    lo = raw >>> 0;
    hi = 0;
  } else {
    splitU64(raw, "esr", esr);
    lo = esr.lo;
    hi = esr.hi;
  }
  if (hi >>> 24 !== 0) {
    throw new VmExitError(
      "reserved-encoding",
      `esr bits 63:56 are RES0, got 0x${(hi >>> 24).toString(16)} in esr ${show(raw)}`,
      "esr",
    );
  }
  if (exception === "serror") return decodeSError(exception, EC.SERROR, lo, hi);
  const ec = lo >>> 26;
  if (ESR_EC_NAMES[ec] === undefined) {
    throw new VmExitError(
      "reserved-encoding",
      `esr EC (bits 31:26) 0x${ec.toString(16)} is unallocated, in esr ${show(raw)}`,
      "esr",
    );
  }
  return (HANDLERS[ec] as Handler)(snapshot, exception, ec, lo, hi, options);
}
