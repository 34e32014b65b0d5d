import { fieldAt, flagAt } from "../../core/at";
import { type BitField, flag, reserved } from "../../core/layout";
import { toInt } from "../../core/u64";
import { ExitReason } from "./positions";

/**
 * Basic VM-exit reason names (exit reason bits 15:0), indexed by number 0…85: the string Linux's
 * `kvm_exit` tracepoint prints (`VMX_EXIT_REASONS` in `arch/x86/include/uapi/asm/vmx.h`), else the
 * architecture's name (Intel tdx-module / Xen); `undefined` for numbers with no definition.
 */
export const VMX_EXIT_REASON_NAMES: readonly (string | undefined)[] = [
  "EXCEPTION_NMI", // 0
  "EXTERNAL_INTERRUPT", // 1
  "TRIPLE_FAULT", // 2
  "INIT_SIGNAL", // 3
  "SIPI_SIGNAL", // 4
  "IO_SMI", // 5 (Xen; tdx-module SMI_IO_EVENT)
  "OTHER_SMI", // 6 (Linux EXIT_REASON_OTHER_SMI, no string)
  "INTERRUPT_WINDOW", // 7
  "NMI_WINDOW", // 8
  "TASK_SWITCH", // 9
  "CPUID", // 10
  "GETSEC", // 11
  "HLT", // 12
  "INVD", // 13
  "INVLPG", // 14
  "RDPMC", // 15
  "RDTSC", // 16
  "RSM", // 17
  "VMCALL", // 18
  "VMCLEAR", // 19
  "VMLAUNCH", // 20
  "VMPTRLD", // 21
  "VMPTRST", // 22
  "VMREAD", // 23
  "VMRESUME", // 24
  "VMWRITE", // 25
  "VMOFF", // 26
  "VMON", // 27
  "CR_ACCESS", // 28
  "DR_ACCESS", // 29
  "IO_INSTRUCTION", // 30
  "MSR_READ", // 31
  "MSR_WRITE", // 32
  "INVALID_STATE", // 33
  "MSR_LOAD_FAIL", // 34
  undefined, // 35
  "MWAIT_INSTRUCTION", // 36
  "MONITOR_TRAP_FLAG", // 37
  undefined, // 38
  "MONITOR_INSTRUCTION", // 39
  "PAUSE_INSTRUCTION", // 40
  "MCE_DURING_VMENTRY", // 41
  undefined, // 42
  "TPR_BELOW_THRESHOLD", // 43
  "APIC_ACCESS", // 44
  "EOI_INDUCED", // 45
  "GDTR_IDTR", // 46
  "LDTR_TR", // 47
  "EPT_VIOLATION", // 48
  "EPT_MISCONFIG", // 49
  "INVEPT", // 50
  "RDTSCP", // 51
  "PREEMPTION_TIMER", // 52
  "INVVPID", // 53
  "WBINVD", // 54
  "XSETBV", // 55
  "APIC_WRITE", // 56
  "RDRAND", // 57
  "INVPCID", // 58
  "VMFUNC", // 59
  "ENCLS", // 60
  "RDSEED", // 61
  "PML_FULL", // 62
  "XSAVES", // 63
  "XRSTORS", // 64
  "PCONFIG", // 65
  "SPP_INDUCED", // 66
  "UMWAIT", // 67
  "TPAUSE", // 68
  "LOADIWKEY", // 69
  "ENCLV", // 70
  "SGX_CONFLICT", // 71
  "ENQCMD_PASID_TRANSLATION_FAILURE", // 72
  "ENQCMDS_PASID_TRANSLATION_FAILURE", // 73
  "BUS_LOCK", // 74
  "NOTIFY", // 75
  "SEAMCALL", // 76
  "TDCALL", // 77
  "RDMSRLIST", // 78
  "WRMSRLIST", // 79
  "URDMSR", // 80
  "UWRMSR", // 81
  undefined, // 82
  undefined, // 83
  "MSR_READ_IMM", // 84
  "MSR_WRITE_IMM", // 85
];

/** Basic exit-reason numbers the decoder treats specially (Linux `EXIT_REASON_*`). */
export const VmxExitReason = {
  EXCEPTION_NMI: 0,
  EXTERNAL_INTERRUPT: 1,
  TRIPLE_FAULT: 2,
  INIT_SIGNAL: 3,
  TASK_SWITCH: 9,
  CPUID: 10,
  HLT: 12,
  INVLPG: 14,
  VMCALL: 18,
  CR_ACCESS: 28,
  DR_ACCESS: 29,
  IO_INSTRUCTION: 30,
  MSR_READ: 31,
  MSR_WRITE: 32,
  INVALID_STATE: 33,
  MSR_LOAD_FAIL: 34,
  MWAIT_INSTRUCTION: 36,
  MCE_DURING_VMENTRY: 41,
  APIC_ACCESS: 44,
  EOI_INDUCED: 45,
  EPT_VIOLATION: 48,
  EPT_MISCONFIG: 49,
  APIC_WRITE: 56,
  NOTIFY: 75,
  MSR_READ_IMM: 84,
  MSR_WRITE_IMM: 85,
} as const;

/** Exit-reason bit 26: a bus lock was asserted while the instruction ran. */
export const VMX_EXIT_REASON_BUS_LOCK = 0x0400_0000;
/** Exit-reason bit 27: the exit happened in an SGX enclave. */
export const VMX_EXIT_REASON_ENCLAVE_MODE = 0x0800_0000;
/** Exit-reason bit 28: pending MTF VM exit (SMM dual-monitor treatment). */
export const VMX_EXIT_REASON_PENDING_MTF = 0x1000_0000;
/** Exit-reason bit 29: exit from VMX root operation (SMM dual-monitor treatment). */
export const VMX_EXIT_REASON_FROM_VMX_ROOT = 0x2000_0000;
/** Exit-reason bit 31: VM-entry failure. */
export const VMX_EXIT_REASON_FAILED_VMENTRY = 0x8000_0000;

/** The flag bits of the 32-bit exit reason, dissected. */
export interface VmxExitReasonFlags {
  /** Bit 26: a bus lock was detected. */
  readonly busLockDetected: boolean;
  /** Bit 27: the exit was from an SGX enclave. */
  readonly enclaveMode: boolean;
  /** Bit 28: pending MTF VM exit. */
  readonly pendingMtf: boolean;
  /** Bit 29: exit from VMX root operation. */
  readonly fromVmxRoot: boolean;
  /** Bit 31: VM-entry failure. */
  readonly failedVmEntry: boolean;
}

/** Exit reason bits 15:0: the basic exit reason. */
export const EXIT_REASON_BASIC: BitField = fieldAt(
  "Basic exit reason",
  ExitReason.BASIC,
  VMX_EXIT_REASON_NAMES,
);
/** Exit reason bit 26. */
const EXIT_REASON_BUS_LOCK: BitField = flag("Bus lock detected", 26, "no", "yes");
/** Exit reason bit 27. */
const EXIT_REASON_ENCLAVE_MODE: BitField = flag("Enclave mode", 27, "no", "yes");
/** Exit reason bit 28. */
const EXIT_REASON_PENDING_MTF: BitField = flag("Pending MTF VM exit", 28, "no", "yes");
/** Exit reason bit 29. */
const EXIT_REASON_FROM_VMX_ROOT: BitField = flag(
  "VM exit from VMX root operation",
  29,
  "no",
  "yes",
);
/** Exit reason bit 31. */
export const EXIT_REASON_FAILED_VMENTRY: BitField = flagAt(
  "VM-entry failure",
  ExitReason.FAILED_VMENTRY,
  "no",
  "yes",
);

/**
 * The 32-bit VM-exit reason (VMCS 0x4402), bit by bit (Intel SDM Vol. 3C "Basic VM-Exit
 * Information"; Linux `union vmx_exit_reason`): bit 16 is always 0, 25:17 and 30 are reserved.
 */
export const VMX_EXIT_REASON_LAYOUT: readonly BitField[] = [
  EXIT_REASON_BASIC,
  reserved(16, 16),
  reserved(25, 17),
  EXIT_REASON_BUS_LOCK,
  EXIT_REASON_ENCLAVE_MODE,
  EXIT_REASON_PENDING_MTF,
  EXIT_REASON_FROM_VMX_ROOT,
  reserved(30, 30),
  EXIT_REASON_FAILED_VMENTRY,
];

/** The 32 possible flag combinations, built once: index = bits 26, 27, 28, 29, 31 as bits 0–4. */
const FLAG_TABLE: readonly VmxExitReasonFlags[] = /* @__PURE__ */ Array.from(
  { length: 32 },
  (_, i) =>
    Object.freeze({
      busLockDetected: (i & 1) !== 0,
      enclaveMode: (i & 2) !== 0,
      pendingMtf: (i & 4) !== 0,
      fromVmxRoot: (i & 8) !== 0,
      failedVmEntry: (i & 16) !== 0,
    }),
);

/**
 * The flags of a full 32-bit exit reason (a shared frozen object; no allocation). The reason may
 * be written signed, as `VMX_EXIT_REASON_FAILED_VMENTRY | 33` is in JavaScript.
 */
export function vmxExitReasonFlags(exitReason: number): VmxExitReasonFlags {
  toInt(exitReason, "exitReason", -0x8000_0000, 0xffff_ffff);
  return exitReasonFlagsOf(exitReason);
}

/** `vmxExitReasonFlags` of an exit reason the decoder has checked (the causes' read: no second check). */
export function exitReasonFlagsOf(exitReason: number): VmxExitReasonFlags {
  // bits 29:26 and 31 of the layout above as one index (reasons.test.ts checks the two agree)
  return FLAG_TABLE[
    ((exitReason >>> 26) & 0xf) | ((exitReason >>> 27) & 0x10)
  ] as VmxExitReasonFlags;
}

/** True when `basic` (exit reason bits 15:0, an integer in 0…0xffff) is a defined basic exit reason. */
export function isVmxExitReason(basic: number): boolean {
  toInt(basic, "basic", 0, 0xffff);
  return VMX_EXIT_REASON_NAMES[basic] !== undefined;
}

/** Basic reasons that only occur as VM-entry failures (Linux `INVALID_STATE`, `MSR_LOAD_FAIL`, `MCE_DURING_VMENTRY`). */
export function isVmxEntryFailureReason(basic: number): boolean {
  return (
    basic === VmxExitReason.INVALID_STATE ||
    basic === VmxExitReason.MSR_LOAD_FAIL ||
    basic === VmxExitReason.MCE_DURING_VMENTRY
  );
}
