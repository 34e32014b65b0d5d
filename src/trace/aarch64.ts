import { ESR_EC_NAMES } from "../aarch64/index";
import { show, VmExitError } from "../core/error";
import { hexValue, malformed } from "./hex";
import type { Aarch64TraceExit, TracePrefix } from "./types";

// `%s: HSR_EC: 0x%04x (%s), PC: 0x%016lx` (PC: 0x%08lx on old kernels); the tail may be cut.
const ARM64_EXIT =
  /^([A-Z_]+|0x[0-9a-fA-F]+):\s+HSR_EC:\s+0x(\w+)(?:\s+\(([^)]*)\))?(?:,?\s+PC:\s+0x(\w+))?/;

/** Parses the text of an arm64 `kvm_exit` event. */
export function parseAarch64Exit(prefix: TracePrefix, body: string): Aarch64TraceExit {
  const m = ARM64_EXIT.exec(body);
  if (m === null) {
    throw new VmExitError(
      "malformed-trace",
      `an arm64 kvm_exit must read "TYPE: HSR_EC: 0x… (NAME), PC: 0x…", got ${show(body)}`,
      "HSR_EC",
    );
  }
  const exceptionType = m[1] as string;
  const ec = hexValue(m[2] as string, "HSR_EC");
  if (typeof ec === "bigint" || ec > 0x3f)
    throw malformed("HSR_EC", m[2] as string, "an EC in 0…0x3f");
  const trap = exceptionType === "TRAP";
  const out: { -readonly [K in keyof Aarch64TraceExit]?: Aarch64TraceExit[K] } = {
    type: "exit",
    prefix,
    arch: "aarch64",
    // Non-TRAP exits (IRQ, SERROR, HYP_GONE) print EC 0: name them by their exception type.
    name: trap ? (ESR_EC_NAMES[ec] ?? m[3] ?? `0x${ec.toString(16)}`) : exceptionType,
    exceptionType,
    ec,
  };
  if (trap) out.code = ec;
  if (m[4] !== undefined) {
    const pc = hexValue(m[4], "PC");
    out.pc = typeof pc === "bigint" ? pc : BigInt(pc);
  }
  return out as Aarch64TraceExit;
}
