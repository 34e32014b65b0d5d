import { describe, expect, it } from "vitest";
import {
  isVmxExitReason,
  VMX_EXIT_REASON_FAILED_VMENTRY,
  VMX_EXIT_REASON_NAMES,
  vmxExitReasonFlags,
} from "./reasons";

describe("VMX_EXIT_REASON_NAMES", () => {
  it("covers 0…85", () => {
    expect(VMX_EXIT_REASON_NAMES).toHaveLength(86);
  });
  it("uses the strings of Linux VMX_EXIT_REASONS", () => {
    // arch/x86/include/uapi/asm/vmx.h: EXIT_REASON_* number → trace string
    const linux: Record<number, string> = {
      0: "EXCEPTION_NMI",
      1: "EXTERNAL_INTERRUPT",
      7: "INTERRUPT_WINDOW",
      12: "HLT",
      18: "VMCALL",
      26: "VMOFF",
      27: "VMON",
      28: "CR_ACCESS",
      29: "DR_ACCESS",
      30: "IO_INSTRUCTION",
      33: "INVALID_STATE",
      36: "MWAIT_INSTRUCTION",
      40: "PAUSE_INSTRUCTION",
      41: "MCE_DURING_VMENTRY",
      44: "APIC_ACCESS",
      48: "EPT_VIOLATION",
      49: "EPT_MISCONFIG",
      52: "PREEMPTION_TIMER",
      62: "PML_FULL",
      68: "TPAUSE",
      74: "BUS_LOCK",
      75: "NOTIFY",
      77: "TDCALL",
      84: "MSR_READ_IMM",
      85: "MSR_WRITE_IMM",
    };
    for (const [n, name] of Object.entries(linux))
      expect(VMX_EXIT_REASON_NAMES[Number(n)]).toBe(name);
  });
  it("keeps the architecture's name where Linux has none", () => {
    // tdx-module / Xen names for 4, 11, 17, 65, 76
    expect(VMX_EXIT_REASON_NAMES[4]).toBe("SIPI_SIGNAL");
    expect(VMX_EXIT_REASON_NAMES[11]).toBe("GETSEC");
    expect(VMX_EXIT_REASON_NAMES[17]).toBe("RSM");
    expect(VMX_EXIT_REASON_NAMES[65]).toBe("PCONFIG");
    expect(VMX_EXIT_REASON_NAMES[76]).toBe("SEAMCALL");
  });
  it("leaves undefined numbers undefined", () => {
    for (const n of [35, 38, 42, 82, 83, 86]) {
      expect(VMX_EXIT_REASON_NAMES[n]).toBeUndefined();
      expect(isVmxExitReason(n)).toBe(false);
    }
    expect(isVmxExitReason(48)).toBe(true);
  });
});

describe("vmxExitReasonFlags", () => {
  it("dissects bits 26–29 and 31", () => {
    // 0x3C000000 = bits 26, 27, 28, 29
    expect(vmxExitReasonFlags(0x3c00_0000)).toEqual({
      busLockDetected: true,
      enclaveMode: true,
      pendingMtf: true,
      fromVmxRoot: true,
      failedVmEntry: false,
    });
    expect(vmxExitReasonFlags(VMX_EXIT_REASON_FAILED_VMENTRY | 33).failedVmEntry).toBe(true);
    // bit 30 and 25:16 are not flags
    expect(Object.values(vmxExitReasonFlags(0x43ff_0000)).some(Boolean)).toBe(false);
  });
});
