// Exit-qualification layouts (VMCS 0x6400) by basic exit reason, as data: the decoder reads its
// fields through these objects and the explainer turns the same objects into field trees.
// Bit positions: Intel SDM Vol. 3C "Exit Qualification for …" tables, as Linux
// arch/x86/include/asm/vmx.h names them.

import { fieldAt, flagAt } from "../../core/at";
import { type BitField, bits, field, flag, reserved } from "../../core/layout";
import { X86_REG_NAMES } from "../regs";
import {
  INTR_TYPE,
  INTR_TYPE_HARDWARE_EXCEPTION,
  INTR_TYPE_PRIVILEGED_SOFTWARE_EXCEPTION,
  INTR_VALID,
  INTR_VECTOR,
} from "./interruption";
import { EptQualification, IoQualification } from "./positions";
import { VmxExitReason } from "./reasons";

const NO_YES: readonly string[] = ["no", "yes"];
const gprName = (v: number): string | undefined => X86_REG_NAMES[v];

// ---- I/O instruction (reason 30)

/** Bits 2:0 → access size in bytes; 0 marks the encodings the SDM does not use (2, 4–7). */
export const IO_SIZES: readonly (0 | 1 | 2 | 4)[] = [1, 2, 0, 4, 0, 0, 0, 0];
/** Bits 2:0: size of access − 1 (2 and 4–7 are not used). */
export const IO_SIZE: BitField = fieldAt("Size of access", IoQualification.SIZE, [
  "1 byte",
  "2 bytes",
  "reserved",
  "4 bytes",
  "reserved",
  "reserved",
  "reserved",
  "reserved",
]);
/** Bit 3: direction. */
export const IO_DIRECTION: BitField = flagAt("Direction", IoQualification.DIRECTION, "OUT", "IN");
/** Bit 4: INS / OUTS. */
export const IO_STRING: BitField = fieldAt("String instruction", IoQualification.STRING, NO_YES);
/** Bit 5: REP prefix. */
export const IO_REP: BitField = fieldAt("REP prefixed", IoQualification.REP, NO_YES);
/** Bit 6: operand encoding. */
export const IO_IMMEDIATE: BitField = flagAt(
  "Operand encoding",
  IoQualification.IMMEDIATE,
  "port in DX",
  "immediate port",
);
/** Bits 31:16: the port. */
export const IO_PORT: BitField = fieldAt("Port number", IoQualification.PORT);

// ---- Control-register access (reason 28)

/** CR access types as the cause names them, indexed by bits 5:4. */
export const CR_ACCESS_TYPES = ["mov-to-cr", "mov-from-cr", "clts", "lmsw"] as const;
/** CR access types as the explainer names them, indexed by bits 5:4. */
const CR_ACCESS_TYPE_NAMES = ["MOV to CR", "MOV from CR", "CLTS", "LMSW"] as const;
/** Bits 3:0: the control register. */
export const CR_NUMBER: BitField = field("Control register", 3, 0, (v) => `CR${v}`);
/** Bits 5:4: access type. */
export const CR_ACCESS_TYPE: BitField = field("Access type", 5, 4, CR_ACCESS_TYPE_NAMES);
/** Bit 6: LMSW operand type. */
export const CR_LMSW_MEMORY: BitField = flag("LMSW operand type", 6, "register", "memory");
/** Bits 11:8: the general-purpose register of a MOV CR. */
export const CR_GPR: BitField = field("General-purpose register", 11, 8, gprName);
/** Bits 31:16: the LMSW source data. */
export const CR_LMSW_DATA: BitField = field("LMSW source data", 31, 16);

// ---- MOV DR (reason 29)

/** Bits 2:0: the debug register. */
export const DR_NUMBER: BitField = field("Debug register", 2, 0, (v) => `DR${v}`);
/** Bit 4: direction. */
export const DR_DIRECTION: BitField = flag("Direction", 4, "MOV to DR", "MOV from DR");
/** Bits 11:8: the general-purpose register. */
export const DR_GPR: BitField = field("General-purpose register", 11, 8, gprName);

// ---- EPT violation (reason 48)

/** Bit 0: the access was a data read. */
export const EPT_READ: BitField = fieldAt("Data read", EptQualification.READ, NO_YES);
/** Bit 1: the access was a data write. */
export const EPT_WRITE: BitField = fieldAt("Data write", EptQualification.WRITE, NO_YES);
/** Bit 2: the access was an instruction fetch. */
export const EPT_FETCH: BitField = fieldAt("Instruction fetch", EptQualification.FETCH, NO_YES);
/** Bits 2:0 together: the access, in `MappingFlags` order (READ 1, WRITE 2, EXECUTE 4). */
export const EPT_ACCESS: BitField = fieldAt("Access", EptQualification.ACCESS);
/** Bit 3: the GPA was readable. */
export const EPT_READABLE: BitField = fieldAt("GPA readable", EptQualification.READABLE, NO_YES);
/** Bit 4: the GPA was writable. */
export const EPT_WRITABLE: BitField = fieldAt("GPA writable", EptQualification.WRITABLE, NO_YES);
/** Bit 5: the GPA was executable (supervisor linear addresses under mode-based execute control). */
export const EPT_EXECUTABLE: BitField = fieldAt(
  "GPA executable",
  EptQualification.EXECUTABLE,
  NO_YES,
);
/** Bit 6: the GPA was executable for user-mode linear addresses. */
export const EPT_USER_EXECUTABLE: BitField = fieldAt(
  "GPA user-mode executable",
  EptQualification.USER_EXECUTABLE,
  NO_YES,
);
/** Bit 7: the guest linear address field (0x640A) is valid. */
export const EPT_GLA_VALID: BitField = fieldAt(
  "Guest linear address valid",
  EptQualification.GLA_VALID,
  NO_YES,
);
/** Bit 8 (when bit 7 is set): the access was to the final translation, not a paging-structure entry. */
export const EPT_FINAL_TRANSLATION: BitField = flagAt(
  "Linear-address translation",
  EptQualification.FINAL_TRANSLATION,
  "access to a paging-structure entry",
  "access to the final translation",
);
/** Bit 9 (advanced information): user-mode linear address. */
export const EPT_USER_MODE: BitField = fieldAt(
  "User-mode linear address",
  EptQualification.USER_MODE,
  NO_YES,
);
/** Bit 10 (advanced information): the linear address is read/write. */
export const EPT_LINEAR_WRITABLE: BitField = fieldAt(
  "Linear address read/write",
  EptQualification.LINEAR_WRITABLE,
  NO_YES,
);
/** Bit 11 (advanced information): the linear address is execute-disable. */
export const EPT_EXECUTE_DISABLE: BitField = fieldAt(
  "Linear address execute-disable",
  EptQualification.EXECUTE_DISABLE,
  NO_YES,
);
/** Bit 12: NMI unblocking due to IRET. */
export const NMI_UNBLOCKING: BitField = fieldAt(
  "NMI unblocking due to IRET",
  EptQualification.NMI_UNBLOCKING,
  NO_YES,
);

// ---- APIC access (reason 44)

/** APIC-access type names indexed by qualification bits 15:12 (`undefined` = reserved). */
export const VMX_APIC_ACCESS_TYPES: readonly (string | undefined)[] = [
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
/** Bits 11:0: the offset in the APIC page. */
export const APIC_OFFSET: BitField = field("Offset", 11, 0);
/** Bits 15:12: the access type. */
export const APIC_ACCESS_TYPE: BitField = field("Access type", 15, 12, VMX_APIC_ACCESS_TYPES);
/** Bit 16: asynchronous access. */
export const APIC_ASYNC: BitField = field("Asynchronous", 16, 16, NO_YES);

// ---- Task switch (reason 9)

/** Task-switch sources as the cause names them, indexed by bits 31:30. */
export const TASK_SWITCH_SOURCES = ["call", "iret", "jmp", "task-gate"] as const;
/** Task-switch sources as the explainer names them, indexed by bits 31:30. */
const TASK_SWITCH_SOURCE_NAMES = ["CALL", "IRET", "JMP", "task gate in the IDT"] as const;
/** Bits 15:0: the selector of the new TSS. */
export const TASK_SWITCH_SELECTOR: BitField = field("TSS selector", 15, 0);
/** Bits 31:30: what started the switch. */
export const TASK_SWITCH_SOURCE: BitField = field("Source", 31, 30, TASK_SWITCH_SOURCE_NAMES);

// ---- #DB (reason 0, vector 1)

function breakpointsHit(v: number): string {
  if (v === 0) return "no breakpoint";
  const hit: string[] = [];
  for (let b = 0; b < 4; b++) if ((v >>> b) & 1) hit.push(`DR${b}`);
  return `breakpoints hit: ${hit.join(", ")}`;
}
/** Bits 3:0: B0–B3, the breakpoint conditions met. */
export const DEBUG_BREAKPOINTS: BitField = field("B0-B3", 3, 0, breakpointsHit);
/** Bit 13: BD, a debug-register access was detected. */
export const DEBUG_BD: BitField = flag("BD", 13, "no", "debug-register access detected");
/** Bit 14: BS, single step. */
export const DEBUG_BS: BitField = flag("BS", 14, "no", "single step");
/** Bit 16: RTM. */
export const DEBUG_RTM: BitField = field("RTM", 16, 16, NO_YES);

// ---- others

/** Linux `enum vm_entry_failure_code` meanings for INVALID_STATE qualifications, indexed by code. */
export const ENTRY_FAIL_MEANINGS: readonly (string | undefined)[] = [
  "default (guest-state check failed)",
  undefined,
  "PDPTE load failed",
  "NMI injection blocked",
  "bad VMCS link pointer",
];
/** INVALID_STATE (33): the whole qualification is a Linux `ENTRY_FAIL_*` code. */
const ENTRY_FAIL_CODE: BitField = field("Entry failure code", 63, 0, ENTRY_FAIL_MEANINGS);
/** MSR_LOAD_FAIL (34): the whole qualification is the failing MSR-load entry. */
const MSR_LOAD_FAIL_ENTRY: BitField = field("Failing MSR-load entry (1-based)", 63, 0);
/** INVLPG (14): the linear-address operand. */
const INVLPG_ADDRESS: BitField = field("Linear address", 63, 0);
/** #PF (reason 0, vector 14): the faulting linear address (what CR2 would get). */
const PAGE_FAULT_ADDRESS: BitField = field("Faulting linear address", 63, 0);
/** EOI_INDUCED (45): the vector. */
export const EOI_VECTOR: BitField = field("Vector", 7, 0);
/** APIC_WRITE (56): the offset of the register written. */
export const APIC_WRITE_OFFSET: BitField = field("Offset", 11, 0);

/** Qualification layouts indexed by basic exit reason (`undefined`: no layout of its own). */
const LAYOUTS: (readonly BitField[] | undefined)[] = [];
LAYOUTS[VmxExitReason.TASK_SWITCH] = [
  TASK_SWITCH_SELECTOR,
  reserved(29, 16),
  TASK_SWITCH_SOURCE,
  reserved(63, 32),
];
LAYOUTS[VmxExitReason.INVLPG] = [INVLPG_ADDRESS];
LAYOUTS[VmxExitReason.CR_ACCESS] = [
  CR_NUMBER,
  CR_ACCESS_TYPE,
  CR_LMSW_MEMORY,
  reserved(7, 7),
  CR_GPR,
  reserved(15, 12),
  CR_LMSW_DATA,
  reserved(63, 32),
];
LAYOUTS[VmxExitReason.DR_ACCESS] = [
  DR_NUMBER,
  reserved(3, 3),
  DR_DIRECTION,
  reserved(7, 5),
  DR_GPR,
  reserved(63, 12),
];
LAYOUTS[VmxExitReason.IO_INSTRUCTION] = [
  IO_SIZE,
  IO_DIRECTION,
  IO_STRING,
  IO_REP,
  IO_IMMEDIATE,
  reserved(15, 7),
  IO_PORT,
  reserved(63, 32),
];
LAYOUTS[VmxExitReason.INVALID_STATE] = [ENTRY_FAIL_CODE];
LAYOUTS[VmxExitReason.MSR_LOAD_FAIL] = [MSR_LOAD_FAIL_ENTRY];
LAYOUTS[VmxExitReason.APIC_ACCESS] = [APIC_OFFSET, APIC_ACCESS_TYPE, APIC_ASYNC, reserved(63, 17)];
LAYOUTS[VmxExitReason.EOI_INDUCED] = [EOI_VECTOR, reserved(63, 8)];
LAYOUTS[VmxExitReason.EPT_VIOLATION] = [
  EPT_READ,
  EPT_WRITE,
  EPT_FETCH,
  EPT_READABLE,
  EPT_WRITABLE,
  EPT_EXECUTABLE,
  EPT_USER_EXECUTABLE,
  EPT_GLA_VALID,
  EPT_FINAL_TRANSLATION,
  EPT_USER_MODE,
  EPT_LINEAR_WRITABLE,
  EPT_EXECUTE_DISABLE,
  NMI_UNBLOCKING,
  reserved(63, 13),
];
LAYOUTS[VmxExitReason.APIC_WRITE] = [APIC_WRITE_OFFSET, reserved(63, 12)];
LAYOUTS[VmxExitReason.NOTIFY] = [field("VM context invalid", 0, 0, NO_YES), NMI_UNBLOCKING];
LAYOUTS[VmxExitReason.MSR_READ_IMM] = [field("MSR index", 31, 0)];
LAYOUTS[VmxExitReason.MSR_WRITE_IMM] = LAYOUTS[VmxExitReason.MSR_READ_IMM];

/** The #DB qualification: DR6-like bits. */
const DEBUG_LAYOUT: readonly BitField[] = [
  DEBUG_BREAKPOINTS,
  reserved(12, 4),
  DEBUG_BD,
  DEBUG_BS,
  reserved(15, 15),
  DEBUG_RTM,
  reserved(63, 17),
];
const PAGE_FAULT_LAYOUT: readonly BitField[] = [PAGE_FAULT_ADDRESS];

/** The #DB and #PF vectors. */
const VECTOR_DB = 1;
const VECTOR_PF = 14;

/** What an EXCEPTION_NMI qualification holds, from the interruption information: 0 nothing, 1 #PF, 2 #DB. */
export function exceptionQualificationKind(info: number | undefined): 0 | 1 | 2 {
  if (info === undefined || bits(INTR_VALID, info) === 0) return 0;
  const vector = bits(INTR_VECTOR, info);
  const type = bits(INTR_TYPE, info);
  // #PF is a hardware exception; #DB is one too, or INT1 (a privileged software exception)
  if (vector === VECTOR_PF && type === INTR_TYPE_HARDWARE_EXCEPTION) return 1;
  if (
    vector === VECTOR_DB &&
    (type === INTR_TYPE_HARDWARE_EXCEPTION || type === INTR_TYPE_PRIVILEGED_SOFTWARE_EXCEPTION)
  ) {
    return 2;
  }
  return 0;
}

/** The layout of the qualification of `basic` (for reason 0, chosen by the interruption information). */
export function vmxQualificationLayout(
  basic: number,
  info: number | undefined,
): readonly BitField[] | undefined {
  if (basic === VmxExitReason.EXCEPTION_NMI) {
    const kind = exceptionQualificationKind(info);
    return kind === 1 ? PAGE_FAULT_LAYOUT : kind === 2 ? DEBUG_LAYOUT : undefined;
  }
  return LAYOUTS[basic];
}
