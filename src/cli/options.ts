import { parseArgs } from "node:util";
import type { RiscvDecodeOptions } from "../riscv/index";
import type { VmxDecodeOptions, VmxHypercallAbi, X86CpuMode } from "../x86/index";
import { CliError } from "./error";
import { parseBigint, parseU32 } from "./values";

/** Option values as `node:util` `parseArgs` returns them. */
export type OptionValues = Record<string, string | boolean | undefined>;

/** Option names each command accepts (booleans and strings). */
export interface OptionSpec {
  /** Flags without a value. */
  readonly booleans: readonly string[];
  /** Options with a value. */
  readonly strings: readonly string[];
}

/** Parses argv for one command; unknown options and missing values become a `CliError`. */
export function parseOptions(
  argv: readonly string[],
  spec: OptionSpec,
): { values: OptionValues; positionals: string[] } {
  const options: Record<string, { type: "boolean" | "string"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const b of spec.booleans) options[b] = { type: "boolean" };
  for (const s of spec.strings) options[s] = { type: "string" };
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as OptionValues, positionals };
  } catch (e) {
    // node:util reports e.g. "Unknown option '--x'. To specify a positional argument…": keep the first sentence.
    const message = e instanceof Error ? e.message : String(e);
    throw new CliError(message.split(/\.\s/)[0]?.replace(/\.$/, "") ?? message);
  }
}

/** Options a decoding command takes. */
export const DECODER_OPTIONS = ["abi", "cpu-mode", "apic-base", "hypercall-eid"] as const;

/** `decodeVmx` options from `--abi`, `--cpu-mode`, `--apic-base`. */
export function vmxOptions(values: OptionValues): VmxDecodeOptions {
  const out: { -readonly [K in keyof VmxDecodeOptions]: VmxDecodeOptions[K] } = {};
  const abi = values.abi;
  if (typeof abi === "string") {
    if (abi !== "axvisor" && abi !== "kvm") {
      throw new CliError(`--abi must be axvisor or kvm, got "${abi}"`);
    }
    out.hypercallAbi = abi satisfies VmxHypercallAbi;
  }
  const mode = values["cpu-mode"];
  if (typeof mode === "string") {
    if (mode !== "16" && mode !== "32" && mode !== "64") {
      throw new CliError(`--cpu-mode must be 16, 32 or 64, got "${mode}"`);
    }
    out.cpuMode = Number(mode) as X86CpuMode;
  }
  const apic = values["apic-base"];
  if (typeof apic === "string") out.apicBase = parseBigint(apic, "--apic-base");
  return out;
}

/** `decodeRiscv` options from `--hypercall-eid`. */
export function riscvOptions(values: OptionValues): RiscvDecodeOptions {
  const eid = values["hypercall-eid"];
  return typeof eid === "string" ? { hypercallEid: parseU32(eid, "--hypercall-eid") } : {};
}
