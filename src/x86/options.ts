import { show, VmExitError } from "../core/error";
import { U64_MAX } from "../core/u64";
import type { VmxHypercallAbi, X86CpuMode } from "./vmx/snapshot";

/** The default guest-physical base of the local APIC page. */
export const DEFAULT_APIC_BASE = 0xfee0_0000n;

/** Validates a hypercall ABI option (default `"axvisor"`). */
export function hypercallAbiOption(v: unknown): VmxHypercallAbi {
  if (v === undefined || v === "axvisor") return "axvisor";
  if (v === "kvm") return "kvm";
  throw new VmExitError(
    "invalid-argument",
    `options.hypercallAbi must be "axvisor" or "kvm", got ${show(v)}`,
    "options.hypercallAbi",
  );
}

/** Validates a CPU mode option (default 64). */
export function cpuModeOption(v: unknown): X86CpuMode {
  if (v === undefined) return 64;
  if (v === 16 || v === 32 || v === 64) return v;
  throw new VmExitError(
    "invalid-argument",
    `options.cpuMode must be 16, 32 or 64, got ${show(v)}`,
    "options.cpuMode",
  );
}

/** Validates an APIC base option (default 0xFEE00000). */
export function apicBaseOption(v: unknown): bigint {
  if (v === undefined) return DEFAULT_APIC_BASE;
  if (typeof v === "bigint" && v >= 0n && v <= U64_MAX) return v;
  throw new VmExitError(
    "invalid-argument",
    `options.apicBase must be a bigint in 0…2^64−1, got ${show(v)}`,
    "options.apicBase",
  );
}

/** Validates the options object of decodeVmx / encodeVmx (every field, so a typo fails early). */
export function checkOptions(options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null) {
    throw new VmExitError(
      "invalid-argument",
      `options must be an object, got ${show(options)}`,
      "options",
    );
  }
  const o = options as Record<string, unknown>;
  hypercallAbiOption(o.hypercallAbi);
  cpuModeOption(o.cpuMode);
  apicBaseOption(o.apicBase);
  if (o.isMmio !== undefined && typeof o.isMmio !== "function") {
    throw new VmExitError(
      "invalid-argument",
      `options.isMmio must be a function, got ${show(o.isMmio)}`,
      "options.isMmio",
    );
  }
}
