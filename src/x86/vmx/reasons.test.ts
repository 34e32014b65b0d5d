import { describe, expect, it } from "vitest";
import { probe } from "../../../test/harness/hostile";
import { VmExitError } from "../../core/error";
import { isSet } from "../../core/layout";
import {
  isVmxExitReason,
  VMX_EXIT_REASON_FAILED_VMENTRY,
  VMX_EXIT_REASON_LAYOUT,
  VMX_EXIT_REASON_NAMES,
  vmxExitReasonFlags,
} from "./reasons";

describe("VMX_EXIT_REASON_NAMES", () => {
  it("covers 0…85", () => {
    expect(VMX_EXIT_REASON_NAMES).toHaveLength(86);
  });
  it("uses every string of Linux VMX_EXIT_REASONS", () => {
    // The whole VMX_EXIT_REASONS table of arch/x86/include/uapi/asm/vmx.h (EXIT_REASON_* number →
    // kvm_exit string), transcribed from the header; 84/85 from the 2025 MSR_*_IMM patch.
    const linux: readonly (readonly [number, string])[] = [
      [0, "EXCEPTION_NMI"],
      [1, "EXTERNAL_INTERRUPT"],
      [2, "TRIPLE_FAULT"],
      [3, "INIT_SIGNAL"],
      [4, "SIPI_SIGNAL"],
      [7, "INTERRUPT_WINDOW"],
      [8, "NMI_WINDOW"],
      [9, "TASK_SWITCH"],
      [10, "CPUID"],
      [12, "HLT"],
      [13, "INVD"],
      [14, "INVLPG"],
      [15, "RDPMC"],
      [16, "RDTSC"],
      [18, "VMCALL"],
      [19, "VMCLEAR"],
      [20, "VMLAUNCH"],
      [21, "VMPTRLD"],
      [22, "VMPTRST"],
      [23, "VMREAD"],
      [24, "VMRESUME"],
      [25, "VMWRITE"],
      [26, "VMOFF"],
      [27, "VMON"],
      [28, "CR_ACCESS"],
      [29, "DR_ACCESS"],
      [30, "IO_INSTRUCTION"],
      [31, "MSR_READ"],
      [32, "MSR_WRITE"],
      [33, "INVALID_STATE"],
      [34, "MSR_LOAD_FAIL"],
      [36, "MWAIT_INSTRUCTION"],
      [37, "MONITOR_TRAP_FLAG"],
      [39, "MONITOR_INSTRUCTION"],
      [40, "PAUSE_INSTRUCTION"],
      [41, "MCE_DURING_VMENTRY"],
      [43, "TPR_BELOW_THRESHOLD"],
      [44, "APIC_ACCESS"],
      [45, "EOI_INDUCED"],
      [46, "GDTR_IDTR"],
      [47, "LDTR_TR"],
      [48, "EPT_VIOLATION"],
      [49, "EPT_MISCONFIG"],
      [50, "INVEPT"],
      [51, "RDTSCP"],
      [52, "PREEMPTION_TIMER"],
      [53, "INVVPID"],
      [54, "WBINVD"],
      [55, "XSETBV"],
      [56, "APIC_WRITE"],
      [57, "RDRAND"],
      [58, "INVPCID"],
      [59, "VMFUNC"],
      [60, "ENCLS"],
      [61, "RDSEED"],
      [62, "PML_FULL"],
      [63, "XSAVES"],
      [64, "XRSTORS"],
      [67, "UMWAIT"],
      [68, "TPAUSE"],
      [74, "BUS_LOCK"],
      [75, "NOTIFY"],
      [77, "TDCALL"],
      [84, "MSR_READ_IMM"],
      [85, "MSR_WRITE_IMM"],
    ];
    expect(linux).toHaveLength(65);
    for (const [n, name] of linux) expect(VMX_EXIT_REASON_NAMES[n]).toBe(name);
  });
  it("keeps the architecture's name where Linux has none", () => {
    // Xen / tdx-module names for 5, 11, 17, 65, 76; Linux's EXIT_REASON_OTHER_SMI (no string) for 6
    expect(VMX_EXIT_REASON_NAMES[5]).toBe("IO_SMI");
    expect(VMX_EXIT_REASON_NAMES[6]).toBe("OTHER_SMI");
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

describe("vmxExitReasonFlags and the exit-reason layout", () => {
  it("agrees with the exit-reason layout on every flag combination", () => {
    // bits 26, 27, 28, 29 and 31, all 32 combinations, over basic reason 12
    for (let i = 0; i < 32; i++) {
      const r = (((i & 15) << 26) | ((i >> 4) << 31) | 12) >>> 0;
      const byLayout = Object.fromEntries(
        VMX_EXIT_REASON_LAYOUT.filter((f) => f.hi === f.lo && !f.reserved).map((f) => [
          f.name,
          isSet(f, r),
        ]),
      );
      const flags = vmxExitReasonFlags(r);
      expect(byLayout).toEqual({
        "Bus lock detected": flags.busLockDetected,
        "Enclave mode": flags.enclaveMode,
        "Pending MTF VM exit": flags.pendingMtf,
        "VM exit from VMX root operation": flags.fromVmxRoot,
        "VM-entry failure": flags.failedVmEntry,
      });
      expect(flags.failedVmEntry).toBe(r >= 0x8000_0000);
    }
  });
});

describe("isVmxExitReason and vmxExitReasonFlags, called with wrongly typed arguments", () => {
  it("let only VmExitError out, whatever the argument", async () => {
    expect(
      await probe("isVmxExitReason", isVmxExitReason as never, undefined, [12]),
    ).toBeUndefined();
    expect(
      await probe("vmxExitReasonFlags", vmxExitReasonFlags as never, undefined, [12]),
    ).toBeUndefined();
  });

  it("name the argument and the value", () => {
    // a bigint exit reason (as a VMCS read may return it) is not the number these take
    expect(() => isVmxExitReason(12n as never)).toThrow(
      new VmExitError("invalid-argument", "basic must be an integer, got 0xc", "basic"),
    );
    // a full exit reason (flags in bits 31:16) is not a basic reason: mask it with 0xffff
    expect(() => isVmxExitReason(0x8000_0021)).toThrow(
      /^basic must be in 0…0xffff, got 2147483681 \(0x80000021\)$/,
    );
    expect(() => vmxExitReasonFlags(2 ** 32)).toThrow(
      /^exitReason must be in -2147483648…0xffffffff, got 4294967296 \(0x100000000\)$/,
    );
    for (const v of [1.5, Number.NaN, -(2 ** 31) - 1, "0x80000021", 0x8000_0021n, null]) {
      expect(() => vmxExitReasonFlags(v as never)).toThrow(VmExitError);
      expect(() => isVmxExitReason(v as never)).toThrow(VmExitError);
    }
  });

  it("take a 32-bit reason written signed as the same bits", () => {
    // VMX_EXIT_REASON_FAILED_VMENTRY | 33 is negative in JavaScript: 0x80000021 as an int32
    expect(vmxExitReasonFlags(-0x7fff_ffdf)).toBe(vmxExitReasonFlags(0x8000_0021));
    expect(vmxExitReasonFlags(-1)).toBe(vmxExitReasonFlags(0xffff_ffff));
  });
});
