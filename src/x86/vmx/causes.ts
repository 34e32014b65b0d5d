// The one place VMX causes are made: one object literal per exit class, the base (`arch`, `code`,
// `name`, `class`) first, then the fields every VMX cause has, then the class's own, which the
// builders read from the qualification through its layout. A literal per class is what keeps
// `decodeVmx` fast: copying fields into a base object (`Object.assign`, spread) costs about 20 ns
// a field and adding them one by one about 7 ns, against about 20 ns for a whole literal.

import { bitsAt, isSetAt } from "../../core/at";
import { makeCause } from "../../core/cause";
import { bits, isSet } from "../../core/layout";
import { keepFrozen, sharedTable, U32Memo } from "../../core/memo";
import { joinU64 } from "../../core/u64";
import type { X86ApicIcr } from "../icr";
import type { X86MemAccess } from "../insn/access";
import type { X86HypercallAbi } from "../options";
import type {
  VmxApicAccessCause,
  VmxApicWriteCause,
  VmxCrAccessCause,
  VmxDrAccessCause,
  VmxEntryFailureCause,
  VmxEoiInducedCause,
  VmxEptFault,
  VmxEptMisconfigCause,
  VmxEptViolationCause,
  VmxExceptionNmiCause,
  VmxExternalInterruptCause,
  VmxInvlpgCause,
  VmxIoCause,
  VmxMsrCause,
  VmxOtherCause,
  VmxTaskSwitchCause,
  VmxVmcallCause,
} from "./cause";
import { dissectInterruptionInfo, type VmxInterruptionInfo } from "./interruption";
import { EptQualification, IoQualification } from "./positions";
import {
  APIC_ACCESS_TYPE,
  APIC_ASYNC,
  APIC_OFFSET,
  APIC_WRITE_OFFSET,
  CR_ACCESS_TYPE,
  CR_ACCESS_TYPES,
  CR_GPR,
  CR_LMSW_DATA,
  CR_LMSW_MEMORY,
  CR_NUMBER,
  DEBUG_BD,
  DEBUG_BREAKPOINTS,
  DEBUG_BS,
  DEBUG_RTM,
  DR_DIRECTION,
  DR_GPR,
  DR_NUMBER,
  EOI_VECTOR,
  exceptionQualificationKind,
  TASK_SWITCH_SELECTOR,
  TASK_SWITCH_SOURCE,
  TASK_SWITCH_SOURCES,
  VMX_APIC_ACCESS_TYPES,
} from "./qualification";
import { exitReasonFlagsOf, VMX_EXIT_REASON_NAMES, VmxExitReason } from "./reasons";

/** The qualification as a bigint: a given bigint as it is, a number joined from its halves. */
function asU64(q: bigint | number, lo: number, hi: number): bigint {
  return typeof q === "bigint" ? q : joinU64(lo, hi);
}

/** A given qualification as a bigint, `undefined` when it was not given. */
export function qualificationOf(
  q: bigint | number | undefined,
  lo: number,
  hi: number,
): bigint | undefined {
  return q === undefined ? undefined : asU64(q, lo, hi);
}

/** An interruption-information field dissected, `undefined` when it was not given. */
export function interruptionOf(
  info: number | undefined,
  errorCode?: number,
): VmxInterruptionInfo | undefined {
  return info === undefined ? undefined : dissectInterruptionInfo(info, errorCode);
}

function nameOf(exitReason: number): string {
  return VMX_EXIT_REASON_NAMES[exitReason & 0xffff] as string;
}

/**
 * The causes of "other" reasons with no qualification, no IDT-vectoring information and no flag
 * bits (a HLT, a CPUID, a PAUSE as KVM reads them): they depend on the basic reason alone, so each
 * is built once on first use and shared frozen, indexed by the reason.
 */
const BARE_OTHER = /* @__PURE__ */ sharedTable<VmxOtherCause>(VMX_EXIT_REASON_NAMES.length);

/** Every other defined reason (HLT, CPUID, TRIPLE_FAULT, …): the raw qualification and the IDT-vectoring information. */
export function otherCause(
  exitReason: number,
  qualification: bigint | undefined,
  idtVectoring: VmxInterruptionInfo | undefined,
): VmxOtherCause {
  if (qualification !== undefined || idtVectoring !== undefined || exitReason > 0xffff) {
    return otherLiteral(exitReason, qualification, idtVectoring);
  }
  return (
    BARE_OTHER[exitReason] ??
    keepFrozen(BARE_OTHER, exitReason, otherLiteral(exitReason, undefined, undefined))
  );
}

function otherLiteral(
  exitReason: number,
  qualification: bigint | undefined,
  idtVectoring: VmxInterruptionInfo | undefined,
): VmxOtherCause {
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "other",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    idtVectoring,
    qualification,
  });
}

/** Reason 0; `qualification` is given when the snapshot had one, `lo` its low half. */
export function exceptionNmiCause(
  exitReason: number,
  qualification: bigint | undefined,
  lo: number,
  info: number | undefined,
  errorCode: number | undefined,
  idt: number | undefined,
): VmxExceptionNmiCause {
  const kind = qualification === undefined ? 0 : exceptionQualificationKind(info);
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "exception-nmi",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    interruption: interruptionOf(info, errorCode),
    idtVectoring: interruptionOf(idt),
    pageFaultAddress: kind === 1 ? qualification : undefined,
    debug:
      kind === 2
        ? {
            breakpoints: bits(DEBUG_BREAKPOINTS, lo),
            bd: isSet(DEBUG_BD, lo),
            bs: isSet(DEBUG_BS, lo),
            rtm: isSet(DEBUG_RTM, lo),
          }
        : undefined,
  });
}

/** Reason 1. */
export function externalInterruptCause(
  exitReason: number,
  info: number,
  errorCode: number | undefined,
  vector: number,
): VmxExternalInterruptCause {
  // a valid external interrupt (type 0, no other bit) of a plain reason 1 depends on its vector alone
  if (
    exitReason === VmxExitReason.EXTERNAL_INTERRUPT &&
    errorCode === undefined &&
    info === (0x8000_0000 | vector) >>> 0
  ) {
    return (
      EXTERNAL_INTERRUPT_CAUSES[vector] ??
      keepFrozen(
        EXTERNAL_INTERRUPT_CAUSES,
        vector,
        externalInterruptLiteral(exitReason, info, undefined, vector),
      )
    );
  }
  return externalInterruptLiteral(exitReason, info, errorCode, vector);
}

/** The causes of valid external interrupts by vector, built on first use and shared frozen. */
const EXTERNAL_INTERRUPT_CAUSES = /* @__PURE__ */ sharedTable<VmxExternalInterruptCause>(256);

function externalInterruptLiteral(
  exitReason: number,
  info: number,
  errorCode: number | undefined,
  vector: number,
): VmxExternalInterruptCause {
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "external-interrupt",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    interruption: dissectInterruptionInfo(info, errorCode),
    vector,
  });
}

/** Reason 9; `given` says whether the snapshot had a qualification, `lo` its low half. */
export function taskSwitchCause(
  exitReason: number,
  given: boolean,
  lo: number,
  idt: number | undefined,
): VmxTaskSwitchCause {
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "task-switch",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    idtVectoring: interruptionOf(idt),
    selector: given ? bits(TASK_SWITCH_SELECTOR, lo) : undefined,
    source: given ? TASK_SWITCH_SOURCES[bits(TASK_SWITCH_SOURCE, lo)] : undefined,
  });
}

/** Reason 14. */
export function invlpgCause(exitReason: number, linearAddress: bigint | undefined): VmxInvlpgCause {
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "invlpg",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    linearAddress,
  });
}

/** Reason 18. */
export function vmcallCause(exitReason: number, hypercallAbi: X86HypercallAbi): VmxVmcallCause {
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "vmcall",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    hypercallAbi,
  });
}

/** Reason 28. */
export function crAccessCause(exitReason: number, given: boolean, lo: number): VmxCrAccessCause {
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "cr-access",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    cr: given ? bits(CR_NUMBER, lo) : undefined,
    accessType: given ? CR_ACCESS_TYPES[bits(CR_ACCESS_TYPE, lo)] : undefined,
    lmswMemoryOperand: given ? isSet(CR_LMSW_MEMORY, lo) : undefined,
    gpr: given ? bits(CR_GPR, lo) : undefined,
    lmswSourceData: given ? bits(CR_LMSW_DATA, lo) : undefined,
  });
}

/** Reason 29. */
export function drAccessCause(exitReason: number, given: boolean, lo: number): VmxDrAccessCause {
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "dr-access",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    dr: given ? bits(DR_NUMBER, lo) : undefined,
    direction: given ? (isSet(DR_DIRECTION, lo) ? "from-dr" : "to-dr") : undefined,
    gpr: given ? bits(DR_GPR, lo) : undefined,
  });
}

/** Reason 30; `size` is the decoded access size. */
export function ioCause(
  exitReason: number,
  lo: number,
  size: 1 | 2 | 4,
  count: bigint | undefined,
  linearAddress: bigint | undefined,
  note: string | undefined,
): VmxIoCause {
  // an IN or OUT (no string, no REP) of a plain reason 30 depends on the qualification alone
  if (
    exitReason === VmxExitReason.IO_INSTRUCTION &&
    count === undefined &&
    linearAddress === undefined &&
    note === undefined
  ) {
    return (
      IO_CAUSES.get(lo) ??
      IO_CAUSES.keep(lo, ioLiteral(exitReason, lo, size, count, linearAddress, note))
    );
  }
  return ioLiteral(exitReason, lo, size, count, linearAddress, note);
}

/** The causes of plain INs and OUTs, by qualification (bits 31:0). */
const IO_CAUSES = /* @__PURE__ */ new U32Memo<VmxIoCause>();

function ioLiteral(
  exitReason: number,
  lo: number,
  size: 1 | 2 | 4,
  count: bigint | undefined,
  linearAddress: bigint | undefined,
  note: string | undefined,
): VmxIoCause {
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "io",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    size,
    direction: isSetAt(IoQualification.DIRECTION, lo) ? "in" : "out",
    string: isSetAt(IoQualification.STRING, lo),
    rep: isSetAt(IoQualification.REP, lo),
    immediate: isSetAt(IoQualification.IMMEDIATE, lo),
    port: bitsAt(IoQualification.PORT, lo),
    count,
    linearAddress,
    note,
  });
}

/** Reasons 31 and 32. */
export function msrCause(
  exitReason: number,
  index: number,
  direction: "read" | "write",
  value: bigint | undefined,
  icr: X86ApicIcr | undefined,
  note: string | undefined,
): VmxMsrCause {
  // a RDMSR of a plain reason 31 depends on the index alone
  if (exitReason === VmxExitReason.MSR_READ && direction === "read" && value === undefined) {
    return (
      MSR_READ_CAUSES.get(index) ??
      MSR_READ_CAUSES.keep(index, msrLiteral(exitReason, index, direction, value, icr, note))
    );
  }
  return msrLiteral(exitReason, index, direction, value, icr, note);
}

/** The causes of RDMSRs, by MSR index. */
const MSR_READ_CAUSES = /* @__PURE__ */ new U32Memo<VmxMsrCause>();

function msrLiteral(
  exitReason: number,
  index: number,
  direction: "read" | "write",
  value: bigint | undefined,
  icr: X86ApicIcr | undefined,
  note: string | undefined,
): VmxMsrCause {
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "msr",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    index,
    direction,
    value,
    icr,
    note,
  });
}

/** A VM-entry failure (any basic reason with bit 31, and 33, 34, 41). */
export function entryFailureCause(
  exitReason: number,
  qualification: bigint | undefined,
  meaning: string | undefined,
): VmxEntryFailureCause {
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "entry-failure",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    qualification,
    meaning,
  });
}

/** Reason 44; `gpa` is the APIC page address accessed (linear data accesses only). */
export function apicAccessCause(
  exitReason: number,
  lo: number,
  idt: number | undefined,
  gpa: bigint | undefined,
  instruction: X86MemAccess | undefined,
  notMmio: string | undefined,
): VmxApicAccessCause {
  const type = bits(APIC_ACCESS_TYPE, lo);
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "apic-access",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    idtVectoring: interruptionOf(idt),
    offset: bits(APIC_OFFSET, lo),
    accessType: type,
    accessTypeName: VMX_APIC_ACCESS_TYPES[type] ?? "reserved",
    async: isSet(APIC_ASYNC, lo),
    gpa,
    instruction,
    notMmio,
  });
}

/** Reason 45. */
export function eoiInducedCause(
  exitReason: number,
  given: boolean,
  lo: number,
): VmxEoiInducedCause {
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "eoi-induced",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    vector: given ? bits(EOI_VECTOR, lo) : undefined,
  });
}

/** Reason 56. */
export function apicWriteCause(exitReason: number, given: boolean, lo: number): VmxApicWriteCause {
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "apic-write",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    offset: given ? bits(APIC_WRITE_OFFSET, lo) : undefined,
  });
}

/** Reason 48; `linearAddress` is the GLA field when bit 7 says it is valid. */
export function eptViolationCause(
  exitReason: number,
  lo: number,
  idt: number | undefined,
  gpa: bigint,
  linearAddress: bigint | undefined,
  instruction: X86MemAccess | undefined,
  notMmio: string | undefined,
): VmxEptViolationCause {
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "ept-violation",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    idtVectoring: interruptionOf(idt),
    gpa,
    linearAddress,
    fault: eptFaultOf(lo),
    instruction,
    notMmio,
  });
}

/** EPT-violation qualification bits 12:0 → the shared frozen fault of that value (built on first use). */
const EPT_FAULTS = /* @__PURE__ */ sharedTable<VmxEptFault>(0x2000);

/** The dissected bits 12:0 of an EPT-violation qualification (`lo`, its low half), shared frozen. */
function eptFaultOf(lo: number): VmxEptFault {
  return EPT_FAULTS[lo & 0x1fff] ?? newEptFault(lo & 0x1fff);
}

function newEptFault(lo: number): VmxEptFault {
  return keepFrozen(EPT_FAULTS, lo, {
    read: isSetAt(EptQualification.READ, lo),
    write: isSetAt(EptQualification.WRITE, lo),
    fetch: isSetAt(EptQualification.FETCH, lo),
    readable: isSetAt(EptQualification.READABLE, lo),
    writable: isSetAt(EptQualification.WRITABLE, lo),
    executable: isSetAt(EptQualification.EXECUTABLE, lo),
    userExecutable: isSetAt(EptQualification.USER_EXECUTABLE, lo),
    linearAddressValid: isSetAt(EptQualification.GLA_VALID, lo),
    finalTranslation: isSetAt(EptQualification.FINAL_TRANSLATION, lo),
    userMode: isSetAt(EptQualification.USER_MODE, lo),
    linearWritable: isSetAt(EptQualification.LINEAR_WRITABLE, lo),
    executeDisable: isSetAt(EptQualification.EXECUTE_DISABLE, lo),
    nmiUnblocking: isSetAt(EptQualification.NMI_UNBLOCKING, lo),
  });
}

/** Reason 49. */
export function eptMisconfigCause(
  exitReason: number,
  idt: number | undefined,
  gpa: bigint,
  instruction: X86MemAccess | undefined,
  notMmio: string | undefined,
): VmxEptMisconfigCause {
  return makeCause({
    arch: "x86-vmx",
    code: exitReason & 0xffff,
    name: nameOf(exitReason),
    class: "ept-misconfig",
    exitReason,
    flags: exitReasonFlagsOf(exitReason),
    idtVectoring: interruptionOf(idt),
    gpa,
    instruction,
    notMmio,
  });
}
