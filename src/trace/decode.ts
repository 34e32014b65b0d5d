import { type CauseOf, codecs, type DecodeOptionsOf } from "../codecs";
import type { Arch, DecodedExit } from "../core/decoded";
import { VmExitError } from "../core/error";
import type { TraceExit } from "./types";

/** Decoder options used for the exits of a trace. */
export interface TraceDecodeOptions {
  /** Each architecture's decode options, by arch (`{ "x86-vmx": { hypercallAbi: "kvm" } }`). */
  readonly options?: { readonly [A in Arch]?: DecodeOptionsOf<A> };
}

/** The cause of an exit decoded from a trace line (arm64 and SVM lines never decode; see `decodeTraceExit`). */
export type TraceCause = CauseOf<"x86-vmx"> | CauseOf<"riscv">;

/** A trace exit decoded, or the reason it could not be. */
export type TraceDecodeResult =
  | { readonly decoded: DecodedExit<TraceCause>; readonly error?: undefined }
  | { readonly decoded?: undefined; readonly error: VmExitError };

/**
 * Runs the architecture's decoder on the state a `kvm_exit` line holds. Lines that lack state the
 * exit needs (registers, the EPT GPA, an arm64 ISS, …) give the decoder's `VmExitError`, so the
 * line still has its reason name; arm64 lines carry only ESR_EL2.EC and SVM has no decoder.
 */
export function decodeTraceExit(
  trace: TraceExit,
  options: TraceDecodeOptions = {},
): TraceDecodeResult {
  try {
    switch (trace.arch) {
      case "x86-vmx":
        return { decoded: codecs["x86-vmx"].decode(trace.snapshot, options.options?.["x86-vmx"]) };
      case "riscv":
        return { decoded: codecs.riscv.decode(trace.snapshot, options.options?.riscv) };
      case "aarch64":
        return {
          error: new VmExitError(
            "missing-register",
            `an arm64 kvm_exit line holds only the exception type and ESR_EL2.EC (${trace.exceptionType}, EC 0x${trace.ec.toString(16)}); the ISS, FAR, HPFAR and registers are not in the trace`,
            "esr",
          ),
        };
      case "x86-svm":
        return {
          error: new VmExitError(
            "unknown-exit-reason",
            `AMD SVM exit "${trace.name}" is counted by name only: vmexit has no SVM decoder`,
            "reason",
          ),
        };
    }
  } catch (e) {
    if (e instanceof VmExitError) return { error: e };
    throw e;
  }
}
