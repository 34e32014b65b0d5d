import { joinU64 } from "../../core/u64";

/** I/O instruction qualification (reason 30). */
export interface VmxIoQualification {
  readonly type: "io";
  /** Bits 2:0 + 1: access size in bytes. */
  readonly size: 1 | 2 | 4;
  /** Bit 3: 1 = IN, 0 = OUT. */
  readonly direction: "in" | "out";
  /** Bit 4: INS / OUTS. */
  readonly string: boolean;
  /** Bit 5: REP prefix. */
  readonly rep: boolean;
  /** Bit 6: the port is an immediate operand (else DX). */
  readonly immediate: boolean;
  /** Bits 31:16: port number. */
  readonly port: number;
  /** RCX, for REP string instructions when given. */
  readonly count?: bigint;
  /** Guest linear address (0x640A), for string instructions when given. */
  readonly linearAddress?: bigint;
}

/** Control-register access qualification (reason 28). */
export interface VmxCrAccessQualification {
  readonly type: "cr-access";
  /** Bits 3:0: control register number. */
  readonly cr: number;
  /** Bits 5:4: access type. */
  readonly accessType: "mov-to-cr" | "mov-from-cr" | "clts" | "lmsw";
  /** Bit 6: LMSW operand is memory. */
  readonly lmswMemoryOperand: boolean;
  /** Bits 11:8: general-purpose register (MOV CR). */
  readonly gpr: number;
  /** Bits 31:16: LMSW source data. */
  readonly lmswSourceData: number;
}

/** MOV DR qualification (reason 29). */
export interface VmxDrAccessQualification {
  readonly type: "dr-access";
  /** Bits 2:0: debug register number. */
  readonly dr: number;
  /** Bit 4: 0 = MOV to DR, 1 = MOV from DR. */
  readonly direction: "to-dr" | "from-dr";
  /** Bits 11:8: general-purpose register. */
  readonly gpr: number;
}

/** EPT-violation qualification (reason 48), bits 0–12, and the addresses. */
export interface VmxEptViolationQualification {
  readonly type: "ept-violation";
  /** Bit 0: data read. */
  readonly read: boolean;
  /** Bit 1: data write. */
  readonly write: boolean;
  /** Bit 2: instruction fetch. */
  readonly fetch: boolean;
  /** Bit 3: the GPA was readable. */
  readonly readable: boolean;
  /** Bit 4: the GPA was writable. */
  readonly writable: boolean;
  /** Bit 5: the GPA was executable (supervisor). */
  readonly executable: boolean;
  /** Bit 6: the GPA was executable for user-mode linear addresses. */
  readonly userExecutable: boolean;
  /** Bit 7: the guest linear address field is valid. */
  readonly linearAddressValid: boolean;
  /** Bit 8: access to the final translation (else to a paging-structure entry). */
  readonly finalTranslation: boolean;
  /** Bit 9: user-mode linear address (advanced info). */
  readonly userMode: boolean;
  /** Bit 10: linear address is read/write (advanced info). */
  readonly linearWritable: boolean;
  /** Bit 11: linear address is execute-disable (advanced info). */
  readonly executeDisable: boolean;
  /** Bit 12: NMI unblocking due to IRET. */
  readonly nmiUnblocking: boolean;
  /** Guest-physical address (0x2400). */
  readonly guestPhysicalAddress: bigint;
  /** Guest linear address (0x640A), when bit 7 is set and it was given. */
  readonly guestLinearAddress?: bigint;
}

/** EPT misconfiguration (reason 49): the qualification is undefined; the GPA is what matters. */
export interface VmxEptMisconfigQualification {
  readonly type: "ept-misconfig";
  /** Guest-physical address (0x2400). */
  readonly guestPhysicalAddress: bigint;
}

/** APIC-access qualification (reason 44). */
export interface VmxApicAccessQualification {
  readonly type: "apic-access";
  /** Bits 11:0: offset in the APIC page. */
  readonly offset: number;
  /** Bits 15:12: access type number. */
  readonly accessType: number;
  /** What the access type means. */
  readonly accessTypeName: string;
  /** Bit 16: asynchronous access. */
  readonly async: boolean;
}

/** Task-switch qualification (reason 9). */
export interface VmxTaskSwitchQualification {
  readonly type: "task-switch";
  /** Bits 15:0: selector of the new TSS. */
  readonly selector: number;
  /** Bits 31:30: what started the switch. */
  readonly source: "call" | "iret" | "jmp" | "task-gate";
}

/** INVLPG qualification (reason 14). */
export interface VmxInvlpgQualification {
  readonly type: "invlpg";
  /** The linear-address operand. */
  readonly linearAddress: bigint;
}

/** Debug-exception (#DB) qualification (reason 0, vector 1). */
export interface VmxDebugExceptionQualification {
  readonly type: "debug-exception";
  /** Bits 3:0: B3…B0, the breakpoint conditions met. */
  readonly breakpoints: number;
  /** Bit 13: BD, debug-register access detected. */
  readonly bd: boolean;
  /** Bit 14: BS, single step. */
  readonly bs: boolean;
  /** Bit 16: RTM. */
  readonly rtm: boolean;
}

/** Page-fault (#PF) qualification (reason 0, vector 14). */
export interface VmxPageFaultQualification {
  readonly type: "page-fault";
  /** The faulting linear address (what CR2 would get). */
  readonly linearAddress: bigint;
  /** The page-fault error code (0x4406), when given. */
  readonly errorCode?: number;
}

/** VM-entry failure qualification (reasons 33, 34). */
export interface VmxEntryFailureQualification {
  readonly type: "entry-failure";
  /** The qualification value: a Linux `ENTRY_FAIL_*` code (33) or the failing MSR-load entry (34). */
  readonly code: number;
  /** What the code means. */
  readonly meaning: string;
}

/** A qualification this library does not dissect (operand displacement, vector, MSR index, …). */
export interface VmxRawQualification {
  readonly type: "raw";
  /** The 64-bit value. */
  readonly value: bigint;
}

/** An exit qualification dissected by reason, discriminated by `type`. */
export type VmxQualification =
  | VmxIoQualification
  | VmxCrAccessQualification
  | VmxDrAccessQualification
  | VmxEptViolationQualification
  | VmxEptMisconfigQualification
  | VmxApicAccessQualification
  | VmxTaskSwitchQualification
  | VmxInvlpgQualification
  | VmxDebugExceptionQualification
  | VmxPageFaultQualification
  | VmxEntryFailureQualification
  | VmxRawQualification;

const CR_ACCESS_TYPES = ["mov-to-cr", "mov-from-cr", "clts", "lmsw"] as const;
const TASK_SWITCH_SOURCES = ["call", "iret", "jmp", "task-gate"] as const;

/** APIC-access type names indexed by qualification bits 15:12 (`undefined` = reserved). */
export const APIC_ACCESS_TYPES: readonly (string | undefined)[] = [
  "linear read during instruction execution",
  "linear write during instruction execution",
  "linear instruction fetch",
  "linear access during event delivery",
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
  "guest-physical access during event delivery",
  undefined,
  undefined,
  undefined,
  undefined,
  "guest-physical access for an instruction fetch or during instruction execution",
];

/** Linux `enum vm_entry_failure_code` meanings for INVALID_STATE qualifications, indexed by code. */
export const ENTRY_FAIL_MEANINGS: readonly (string | undefined)[] = [
  "default (guest-state check failed)",
  undefined,
  "PDPTE load failed",
  "NMI injection blocked",
  "bad VMCS link pointer",
];

/** Dissects a control-register access qualification (bits 31:0). */
export function dissectCrAccess(lo: number): VmxCrAccessQualification {
  return {
    type: "cr-access",
    cr: lo & 0xf,
    accessType: CR_ACCESS_TYPES[(lo >>> 4) & 3] as VmxCrAccessQualification["accessType"],
    lmswMemoryOperand: (lo & 0x40) !== 0,
    gpr: (lo >>> 8) & 0xf,
    lmswSourceData: lo >>> 16,
  };
}

/** Dissects a MOV DR qualification. */
export function dissectDrAccess(lo: number): VmxDrAccessQualification {
  return {
    type: "dr-access",
    dr: lo & 7,
    direction: (lo & 0x10) === 0 ? "to-dr" : "from-dr",
    gpr: (lo >>> 8) & 0xf,
  };
}

/** Dissects an EPT-violation qualification, with the GPA and (when bit 7 is set) the GLA. */
export function dissectEptViolation(
  lo: number,
  gpa: bigint,
  gla: bigint | undefined,
): VmxEptViolationQualification {
  const q: {
    -readonly [K in keyof VmxEptViolationQualification]: VmxEptViolationQualification[K];
  } = {
    type: "ept-violation",
    read: (lo & 1) !== 0,
    write: (lo & 2) !== 0,
    fetch: (lo & 4) !== 0,
    readable: (lo & 8) !== 0,
    writable: (lo & 0x10) !== 0,
    executable: (lo & 0x20) !== 0,
    userExecutable: (lo & 0x40) !== 0,
    linearAddressValid: (lo & 0x80) !== 0,
    finalTranslation: (lo & 0x100) !== 0,
    userMode: (lo & 0x200) !== 0,
    linearWritable: (lo & 0x400) !== 0,
    executeDisable: (lo & 0x800) !== 0,
    nmiUnblocking: (lo & 0x1000) !== 0,
    guestPhysicalAddress: gpa,
  };
  if ((lo & 0x80) !== 0 && gla !== undefined) q.guestLinearAddress = gla;
  return q;
}

/** Dissects an APIC-access qualification. */
export function dissectApicAccess(lo: number): VmxApicAccessQualification {
  const accessType = (lo >>> 12) & 0xf;
  return {
    type: "apic-access",
    offset: lo & 0xfff,
    accessType,
    accessTypeName: APIC_ACCESS_TYPES[accessType] ?? "reserved",
    async: (lo & 0x10000) !== 0,
  };
}

/** Dissects a task-switch qualification. */
export function dissectTaskSwitch(lo: number): VmxTaskSwitchQualification {
  return {
    type: "task-switch",
    selector: lo & 0xffff,
    source: TASK_SWITCH_SOURCES[lo >>> 30] as VmxTaskSwitchQualification["source"],
  };
}

/** Dissects a #DB qualification (DR6-like bits). */
export function dissectDebugException(lo: number): VmxDebugExceptionQualification {
  return {
    type: "debug-exception",
    breakpoints: lo & 0xf,
    bd: (lo & 0x2000) !== 0,
    bs: (lo & 0x4000) !== 0,
    rtm: (lo & 0x10000) !== 0,
  };
}

/** Dissects a VM-entry failure qualification of basic reason 33 or 34. */
export function dissectEntryFailure(
  basic: number,
  lo: number,
  hi: number,
): VmxEntryFailureQualification {
  const code = hi === 0 ? lo : Number(joinU64(lo, hi));
  const meaning =
    basic === 33
      ? (ENTRY_FAIL_MEANINGS[code] ?? "undefined code")
      : `MSR-load entry ${code} failed (1-based)`;
  return { type: "entry-failure", code, meaning };
}
