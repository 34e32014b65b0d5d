import { codecs } from "../codecs";
import { checkArg } from "../core/check-arg";
import type { AnyCodec } from "../core/codec";
import type { DecodedExit } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import { TraceOptions } from "./join/options";
import type { TraceCause, TraceDecodeOptions } from "./read";
import type { TraceExit } from "./types";

/** A trace exit decoded, or the reason it could not be. */
export type TraceDecodeResult =
  | { readonly decoded: DecodedExit<TraceCause>; readonly error?: undefined }
  | { readonly decoded?: undefined; readonly error: VmExitError };

/**
 * Runs the architecture's decoder on the state one `kvm_exit` line holds, without its companion
 * events (`readTrace` joins those). Lines that lack state the exit needs give the decoder's
 * `VmExitError`; an arm64 line carries only ESR_EL2.EC, so it never decodes alone.
 */
export function decodeTraceExit(
  trace: TraceExit,
  options: TraceDecodeOptions = {},
): TraceDecodeResult {
  if (typeof trace !== "object" || trace === null || trace.type !== "exit") {
    throw new VmExitError(
      "invalid-argument",
      `trace must be a parsed kvm_exit line, got ${show(trace)}`,
      "trace",
    );
  }
  checkArg(options, "object", "options");
  const opts = new TraceOptions(options.options);
  try {
    if (trace.arch === "aarch64") {
      return {
        error: new VmExitError(
          "missing-register",
          `an arm64 kvm_exit line holds only the exception type and ESR_EL2.EC (${trace.exceptionType ?? "?"}, EC 0x${(trace.ec ?? 0).toString(16)}); the ISS, FAR, HPFAR and registers are in its companion events (kvm_guest_fault, kvm_handle_sys_reg): read the trace with readTrace`,
          "esr",
        ),
      };
    }
    const codec = (codecs as Readonly<Record<string, AnyCodec | undefined>>)[trace.arch];
    if (codec === undefined || trace.snapshot === undefined) {
      return {
        error: new VmExitError(
          "unknown-exit-reason",
          `AMD SVM exit "${trace.name}" needs the x86-svm codec, which this build does not have`,
          "reason",
        ),
      };
    }
    const o = trace.arch === "riscv" ? opts.of("riscv") : opts.x86(trace.arch, 0);
    return { decoded: codec.decode(trace.snapshot, o) as DecodedExit<TraceCause> };
  } catch (e) {
    if (e instanceof VmExitError) return { error: e };
    throw e;
  }
}
