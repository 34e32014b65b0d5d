// The options every x86 decoder and encoder shares, as data: `checkOptions` validates an options
// object against these specs, and the command line derives its flags from them.
import type { OptionSpec } from "../core/codec";
import { VmExitError } from "../core/error";
import { hex } from "../core/u64";

/** Which register convention a VMCALL / VMMCALL uses: Axvisor (RDI, RSI, RDX, RCX, R8, R9) or KVM (RBX, RCX, RDX, RSI). */
export type X86HypercallAbi = "axvisor" | "kvm";

/** The guest-physical base of the local APIC page after reset (IA32_APIC_BASE). */
export const X86_DEFAULT_APIC_BASE = 0xfee0_0000n;

/** `hypercallAbi`: the hypercall register convention (default `"axvisor"`). */
export const HYPERCALL_ABI_OPTION: OptionSpec = {
  key: "hypercallAbi",
  cli: "abi",
  value: { type: "choice", values: ["axvisor", "kvm"] },
  help: "hypercall register convention (default axvisor)",
};

/** `cpuMode`: the guest mode instruction bytes are decoded (and encoded) in (default 64). */
export const CPU_MODE_OPTION: OptionSpec = {
  key: "cpuMode",
  cli: "cpu-mode",
  value: { type: "choice", values: [16, 32, 64] },
  help: "guest mode for MMIO instruction decode (default 64)",
};

/** `apicBase`: the guest-physical APIC page that APIC-access offsets are added to. */
export const APIC_BASE_OPTION: OptionSpec = {
  key: "apicBase",
  cli: "apic-base",
  value: { type: "u64" },
  help: "APIC page for APIC-access exits (default 0xfee00000)",
};

/** `isMmio`: whether a faulting guest-physical address is emulated MMIO. */
export const IS_MMIO_OPTION: OptionSpec = {
  key: "isMmio",
  value: { type: "function" },
  help: "whether a GPA is emulated MMIO",
};

/**
 * The APIC page base from an already type-checked `apicBase` option (default 0xFEE00000); it must
 * be 4 KiB aligned (IA32_APIC_BASE bits 11:0 are flags, not part of the address).
 */
export function apicBaseOf(apicBase: bigint | undefined): bigint {
  if (apicBase === undefined) return X86_DEFAULT_APIC_BASE;
  if ((apicBase & 0xfffn) !== 0n) {
    throw new VmExitError(
      "invalid-argument",
      `options.apicBase must be 4 KiB aligned (clear the IA32_APIC_BASE flag bits 11:0), got ${hex(apicBase)}`,
      "options.apicBase",
    );
  }
  return apicBase;
}
