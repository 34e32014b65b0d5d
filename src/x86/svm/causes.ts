// The one place SVM causes are made: one object literal per exit class, the base (`arch`, `code`,
// `name`, `class`) first, then EXITINTINFO, then the class's own fields, read from EXITINFO1 /
// EXITINFO2 at the bit positions their layouts are built from (a literal per class is what keeps `decodeSvm` fast; see VMX's
// causes.ts).
import { makeCause } from "../../core/cause";
import { keepFrozen, sharedTable, U32Memo } from "../../core/memo";
import type { X86ApicIcr } from "../icr";
import type { X86MemAccess } from "../insn/access";
import type { X86HypercallAbi } from "../options";
import type {
  SvmAvicIncompleteIpiCause,
  SvmAvicUnacceleratedAccessCause,
  SvmCrAccessCause,
  SvmCrWriteTrapCause,
  SvmDrAccessCause,
  SvmEntryFailureCause,
  SvmExceptionCause,
  SvmInterruptCause,
  SvmInvlpgCause,
  SvmIoCause,
  SvmMsrCause,
  SvmNpfCause,
  SvmNpfFault,
  SvmOtherCause,
  SvmTaskSwitchCause,
  SvmVmgexitCause,
  SvmVmmcallCause,
} from "./cause";
import { SVM_EXIT_CODES, SvmExitCode, svmExitCodeIndex } from "./codes";
import { NO_EVENT, type SvmEventInfo, svmEventInfo } from "./event";
import { IO_ADDRESS_SIZES, Ioio, Npf, type SvmAvicIpiFailure } from "./exitinfo";
import type { SvmGhcbMsrRequest } from "./ghcb";

function nameOf(code: number): string {
  return (SVM_EXIT_CODES[svmExitCodeIndex(code)] as { name: string }).name;
}

/** EXITINTINFO of a snapshot, dissected (`undefined` when not given). */
export function intInfoOf(
  info: number | undefined,
  errorCode: number | undefined,
): SvmEventInfo | undefined {
  return info === undefined ? undefined : svmEventInfo(info, errorCode);
}

/**
 * The causes of "other" codes with EXITINFO1 and EXITINFO2 0 and no event in delivery (a HLT, a
 * CPUID, a PAUSE as a VMCB reader gives them): they depend on the code alone, so each is built
 * once on first use and shared frozen, indexed like `SVM_EXIT_CODES`.
 */
const BARE_OTHER = /* @__PURE__ */ sharedTable<SvmOtherCause>(SVM_EXIT_CODES.length);

/** Every other defined code: EXITINFO1 / EXITINFO2 as given. */
export function otherCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  exitInfo1: bigint | undefined,
  exitInfo2: bigint | undefined,
): SvmOtherCause {
  if (intInfo !== NO_EVENT || exitInfo1 !== 0n || exitInfo2 !== 0n) {
    return otherLiteral(code, intInfo, exitInfo1, exitInfo2);
  }
  const i = svmExitCodeIndex(code);
  return BARE_OTHER[i] ?? keepFrozen(BARE_OTHER, i, otherLiteral(code, NO_EVENT, 0n, 0n));
}

function otherLiteral(
  code: number,
  intInfo: SvmEventInfo | undefined,
  exitInfo1: bigint | undefined,
  exitInfo2: bigint | undefined,
): SvmOtherCause {
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "other",
    exitIntInfo: intInfo,
    exitInfo1,
    exitInfo2,
  });
}

/** 0x000–0x01F, 0x065; `lo` / `hi` are EXITINFO1's halves when `given`. */
export function crAccessCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  given: boolean,
  lo: number,
  hi: number,
): SvmCrAccessCause {
  const selective = code === 0x65;
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "cr-access",
    exitIntInfo: intInfo,
    cr: selective ? 0 : code & 0xf,
    direction: selective || code >= 0x10 ? "write" : "read",
    selective,
    movValid: given ? hi >>> 31 === 1 : undefined,
    gpr: given ? lo & 0xf : undefined,
  });
}

/** 0x020–0x03F. */
export function drAccessCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  given: boolean,
  lo: number,
  hi: number,
): SvmDrAccessCause {
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "dr-access",
    exitIntInfo: intInfo,
    dr: code & 0xf,
    direction: code >= 0x30 ? "write" : "read",
    movValid: given ? hi >>> 31 === 1 : undefined,
    gpr: given ? lo & 0xf : undefined,
  });
}

/** 0x08F, 0x090–0x09F. */
export function crWriteTrapCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  value: bigint | undefined,
): SvmCrWriteTrapCause {
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "cr-write-trap",
    exitIntInfo: intInfo,
    register: code === 0x8f ? "EFER" : `CR${code - 0x90}`,
    value,
  });
}

/** 0x040–0x05F. */
export function exceptionCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  exception: string | undefined,
  errorCode: number | undefined,
  pageFaultAddress: bigint | undefined,
): SvmExceptionCause {
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "exception",
    exitIntInfo: intInfo,
    vector: code - 0x40,
    exception,
    errorCode,
    pageFaultAddress,
  });
}

/** 0x060. */
export function interruptCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  vector: number,
): SvmInterruptCause {
  // with no event in delivery (EXITINTINFO 0) an INTR depends on its vector alone
  if (code === SvmExitCode.INTR && intInfo === NO_EVENT) {
    return (
      INTERRUPT_CAUSES[vector] ??
      keepFrozen(INTERRUPT_CAUSES, vector, interruptLiteral(code, NO_EVENT, vector))
    );
  }
  return interruptLiteral(code, intInfo, vector);
}

/** The causes of INTRs with EXITINTINFO 0 by vector, built on first use and shared frozen. */
const INTERRUPT_CAUSES = /* @__PURE__ */ sharedTable<SvmInterruptCause>(256);

function interruptLiteral(
  code: number,
  intInfo: SvmEventInfo | undefined,
  vector: number,
): SvmInterruptCause {
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "interrupt",
    exitIntInfo: intInfo,
    vector,
  });
}

/** 0x079. */
export function invlpgCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  linearAddress: bigint | undefined,
): SvmInvlpgCause {
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "invlpg",
    exitIntInfo: intInfo,
    linearAddress,
  });
}

/** 0x07B; `lo` is EXITINFO1 bits 31:0, `size` its decoded operand size. */
export function ioCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  lo: number,
  size: 1 | 2 | 4,
  nextRip: bigint | undefined,
  count: bigint | undefined,
  note: string | undefined,
): SvmIoCause {
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "io",
    exitIntInfo: intInfo,
    direction: ((lo >>> Ioio.TYPE) & 1) !== 0 ? "in" : "out",
    size,
    string: ((lo >>> Ioio.STR) & 1) !== 0,
    rep: ((lo >>> Ioio.REP) & 1) !== 0,
    addressSize: IO_ADDRESS_SIZES[(lo >>> Ioio.ADDRESS_SIZE) & 7],
    segment: (lo >>> Ioio.SEGMENT) & 7,
    port: lo >>> Ioio.PORT,
    nextRip,
    count,
    note,
  });
}

/** 0x07C. */
export function msrCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  index: number,
  direction: "read" | "write",
  value: bigint | undefined,
  icr: X86ApicIcr | undefined,
  note: string | undefined,
): SvmMsrCause {
  // a RDMSR with no event in delivery depends on the index alone
  if (code === SvmExitCode.MSR && direction === "read" && intInfo === NO_EVENT) {
    return (
      MSR_READ_CAUSES.get(index) ??
      MSR_READ_CAUSES.keep(index, msrLiteral(code, intInfo, index, direction, value, icr, note))
    );
  }
  return msrLiteral(code, intInfo, index, direction, value, icr, note);
}

/** The causes of RDMSRs with EXITINTINFO 0, by MSR index. */
const MSR_READ_CAUSES = /* @__PURE__ */ new U32Memo<SvmMsrCause>();

function msrLiteral(
  code: number,
  intInfo: SvmEventInfo | undefined,
  index: number,
  direction: "read" | "write",
  value: bigint | undefined,
  icr: X86ApicIcr | undefined,
  note: string | undefined,
): SvmMsrCause {
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "msr",
    exitIntInfo: intInfo,
    index,
    direction,
    value,
    icr,
    note,
  });
}

/** 0x07D; the halves of EXITINFO1 / EXITINFO2 with whether each was given. */
export function taskSwitchCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  info1Given: boolean,
  lo1: number,
  info2Given: boolean,
  lo2: number,
  hi2: number,
): SvmTaskSwitchCause {
  // EXITINFO2 bit 36 IRET, bit 38 far JMP, bit 44 error code valid, bit 48 RF (bits 63:32 in hi2)
  const iret = (hi2 & 0x10) !== 0;
  const jmp = (hi2 & 0x40) !== 0;
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "task-switch",
    exitIntInfo: intInfo,
    selector: info1Given ? lo1 & 0xffff : undefined,
    source: !info2Given
      ? undefined
      : iret
        ? "iret"
        : jmp
          ? "jmp"
          : intInfo?.valid === true
            ? "task-gate"
            : "call",
    errorCode: info2Given && (hi2 & 0x1000) !== 0 ? lo2 : undefined,
    rf: info2Given ? (hi2 & 0x1_0000) !== 0 : undefined,
  });
}

/** 0x081. */
export function vmmcallCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  hypercallAbi: X86HypercallAbi,
): SvmVmmcallCause {
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "vmmcall",
    exitIntInfo: intInfo,
    hypercallAbi,
  });
}

/** 0x400; `lo` / `hi` are the error code's halves, `errorCode` the whole of it. */
export function npfCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  gpa: bigint,
  errorCode: bigint,
  lo: number,
  hi: number,
  instruction: X86MemAccess | undefined,
  notMmio: string | undefined,
): SvmNpfCause {
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "npf",
    exitIntInfo: intInfo,
    gpa,
    errorCode,
    fault: npfFaultOf(lo, hi),
    instruction,
    notMmio,
  });
}

/**
 * NPF error-code bits → the shared frozen fault of that value (built on first use), indexed by bits
 * 6:0 of EXITINFO1, bit 31 as bit 7 and bits 36:32 as bits 12:8.
 */
const NPF_FAULTS = /* @__PURE__ */ sharedTable<SvmNpfFault>(0x2000);

/** The dissected error code of an NPF (`lo`, `hi`: EXITINFO1's halves), shared frozen. */
function npfFaultOf(lo: number, hi: number): SvmNpfFault {
  const key = (lo & 0x7f) | ((lo >>> 31) << 7) | ((hi & 0x1f) << 8);
  return NPF_FAULTS[key] ?? newNpfFault(key, lo, hi);
}

function newNpfFault(key: number, lo: number, hi: number): SvmNpfFault {
  return keepFrozen(NPF_FAULTS, key, {
    present: ((lo >>> Npf.P) & 1) !== 0,
    write: ((lo >>> Npf.RW) & 1) !== 0,
    user: ((lo >>> Npf.US) & 1) !== 0,
    reservedBit: ((lo >>> Npf.RSVD) & 1) !== 0,
    fetch: ((lo >>> Npf.ID) & 1) !== 0,
    protectionKey: ((lo >>> Npf.PK) & 1) !== 0,
    shadowStack: ((lo >>> Npf.SS) & 1) !== 0,
    rmp: ((lo >>> Npf.RMP) & 1) !== 0,
    finalTranslation: ((hi >>> (Npf.GUEST_FINAL - 32)) & 1) !== 0,
    pageTableAccess: ((hi >>> (Npf.GUEST_PAGE - 32)) & 1) !== 0,
    encrypted: ((hi >>> (Npf.GUEST_ENC - 32)) & 1) !== 0,
    sizeMismatch: ((hi >>> (Npf.GUEST_SIZEM - 32)) & 1) !== 0,
    vmpl: ((hi >>> (Npf.GUEST_VMPL - 32)) & 1) !== 0,
  });
}

/** 0x401. */
export function avicIncompleteIpiCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  icr: X86ApicIcr,
  x2apic: boolean,
  failure: SvmAvicIpiFailure | "reserved" | undefined,
  index: number | undefined,
  note: string | undefined,
): SvmAvicIncompleteIpiCause {
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "avic-incomplete-ipi",
    exitIntInfo: intInfo,
    icr,
    apicMode: x2apic ? "x2apic" : "xapic",
    failure,
    index,
    note,
  });
}

/** 0x402. */
export function avicUnacceleratedAccessCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  offset: number,
  register: string,
  write: boolean,
  trap: boolean,
  vector: number | undefined,
  gpa: bigint | undefined,
  instruction: X86MemAccess | undefined,
  notMmio: string | undefined,
): SvmAvicUnacceleratedAccessCause {
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "avic-unaccelerated-access",
    exitIntInfo: intInfo,
    offset,
    register,
    write,
    trap,
    vector,
    gpa,
    instruction,
    notMmio,
  });
}

/** 0x403 and the SEV-ES software codes. */
export function vmgexitCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  ghcbGpa: bigint | undefined,
  msrProtocol: SvmGhcbMsrRequest | undefined,
  exitInfo1: bigint | undefined,
  exitInfo2: bigint | undefined,
): SvmVmgexitCause {
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "vmgexit",
    exitIntInfo: intInfo,
    ghcbGpa,
    msrProtocol,
    exitInfo1,
    exitInfo2,
  });
}

/** −1 … −4. */
export function entryFailureCause(
  code: number,
  intInfo: SvmEventInfo | undefined,
  exitCode: bigint,
  exitInfo1: bigint | undefined,
  exitInfo2: bigint | undefined,
): SvmEntryFailureCause {
  return makeCause({
    arch: "x86-svm",
    code,
    name: nameOf(code),
    class: "entry-failure",
    exitIntInfo: intInfo,
    exitCode,
    exitInfo1,
    exitInfo2,
  });
}
