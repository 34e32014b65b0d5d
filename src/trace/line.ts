import { show, VmExitError } from "../core/error";
import { parseAarch64Exit } from "./aarch64";
import { parseEntry } from "./entry";
import { splitTraceLine } from "./prefix";
import { parseRiscvExit } from "./riscv";
import type { TraceExit, TraceLine, TracePrefix } from "./types";
import { parseX86Exit } from "./x86";

/** Parses the text of a `kvm_exit` event, choosing the architecture by its format. */
export function parseExitBody(prefix: TracePrefix, body: string): TraceExit {
  if (body.startsWith("vcpu ") || body.startsWith("reason ")) return parseX86Exit(prefix, body);
  if (body.includes("HSR_EC:")) return parseAarch64Exit(prefix, body);
  if (body.startsWith("SEPC:") || body.includes("SCAUSE:")) return parseRiscvExit(prefix, body);
  throw new VmExitError(
    "malformed-trace",
    `kvm_exit text is neither the x86, the arm64 nor the RISC-V format: ${show(body)}`,
    "kvm_exit",
  );
}

/**
 * Parses one line of ftrace / `trace-cmd report` / `perf script` text: a `kvm_exit` or
 * `kvm_entry` event, another event, or `undefined` when the line is not an event line at all.
 * A `kvm_exit`/`kvm_entry` line whose fields cannot be read throws `VmExitError("malformed-trace")`.
 */
export function parseTraceLine(line: string): TraceLine | undefined {
  const split = splitTraceLine(line);
  if (split === undefined) return undefined;
  const { prefix, event, body } = split;
  if (event === "kvm_exit") return parseExitBody(prefix, body);
  if (event === "kvm_entry") return parseEntry(prefix, body);
  return { type: "other", prefix, event };
}
