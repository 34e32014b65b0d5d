// The reconstruction of a closed exit, by exit format.
import { EXIT_ARM, EXIT_RISCV, EXIT_X86 } from "../scan/line";
import { aarch64Reconstruction } from "./aarch64";
import { type Completion, completeExit, type Reconstruction } from "./complete";
import type { TraceOptions } from "./options";
import { riscvReconstruction } from "./riscv";
import type { VcpuState } from "./state";
import { x86Reconstruction } from "./x86";

/** What the trace determines of the exit in `st`: the snapshot to decode and how to read the result. */
export function reconstruct(st: VcpuState, opts: TraceOptions): Reconstruction {
  switch (st.exitArch) {
    case EXIT_X86:
      return x86Reconstruction(st, opts);
    case EXIT_ARM:
      return aarch64Reconstruction(st, opts);
    case EXIT_RISCV:
      return riscvReconstruction(st, opts);
    default:
      throw new Error(`unknown exit format ${st.exitArch}`);
  }
}

/** The exit, or partial exit, the trace determines for `st` (see `completeExit`). */
export function decodeState(
  st: VcpuState,
  opts: TraceOptions,
  cause: boolean,
): { rec: Reconstruction; done: Completion } {
  const rec = reconstruct(st, opts);
  return { rec, done: completeExit(rec, cause) };
}

/**
 * Runs `fn` without stack traces for errors: the reasons an exit is incomplete are answers, not
 * bugs, and capturing a stack costs more than decoding. Set once around a chunk of lines.
 */
export function withoutStacks<T>(fn: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return fn();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
