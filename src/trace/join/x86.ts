// x86 (VMX and SVM): the snapshot a `kvm_exit` line and its companions determine.
//
//   kvm_exit            exit reason / exit code, qualification or EXITINFO1/2, interruption info
//   kvm_page_fault      the GPA of an EPT violation or NPF (and its error code)
//   kvm_mmio            the emulated access: its GPA, and for a write the data (every guest
//                       register the trace lacks is set to it, so whichever register the
//                       instruction stores, the decoder reads the data KVM wrote)
//   kvm_fast_mmio       the GPA of an ioeventfd write
//   kvm_emulate_insn    the instruction bytes and the CPU mode
//   kvm_pio             the data of an OUT (RAX)
//   kvm_msr             ECX, and EDX:EAX of a WRMSR
//   kvm_apic_ipi        an x2APIC ICR write when kvm_msr is not recorded
//   kvm_hypercall       RAX, RBX, RCX, RDX, RSI (KVM's ABI)
//   kvm_apic            the value of an APIC-access write
import { codecs } from "../../codecs";
import type { AnyCodec } from "../../core/codec";
import { VmExitError } from "../../core/error";
import type { GuestPhysAddr } from "../../core/scalars/guest-phys-addr";
import {
  EV_APIC,
  EV_APIC_IPI,
  EV_FAST_MMIO,
  EV_HYPERCALL,
  EV_MMIO,
  EV_MSR,
  EV_PAGE_FAULT,
  EV_PIO,
} from "../scan/events";
import { OLD_INFO, X_ERR, X_INFO1, X_INFO2, X_INTR, X_RIP } from "../scan/x86-exit";
import { type Reconstruction, reconstruction } from "./complete";
import type { TraceOptions } from "./options";
import {
  APIC_RW,
  APIC_VAL,
  EI_LEN,
  EI_MODE,
  FAST_GPA,
  HC,
  IPI_DST,
  IPI_ICR,
  MR_GPA,
  MR_LEN,
  MR_VAL,
  MSR_DATA,
  MSR_INDEX,
  MSR_W,
  MW_GPA,
  MW_LEN,
  MW_VAL,
  PF_ADDR,
  PF_ERR,
  PIO_HAS_VAL,
  PIO_RW,
  PIO_VAL,
  type VcpuState,
} from "./state";
import { ABSENT } from "./store";
import { classOf, cvBig, cvValue, maskedValue, slotValue } from "./values";

/** The SVM codec, once the registry has one. */
export function svmCodec(): AnyCodec | undefined {
  return (codecs as Readonly<Record<string, AnyCodec | undefined>>)["x86-svm"];
}

/** `kvm_apic_ipi`'s shorthand field (ICR bits 19:18) for "self": such IPIs may be SELF_IPI writes. */
const SHORTHAND_SELF = 1;

/** What the trace determines of an x86 exit. */
export function x86Reconstruction(st: VcpuState, opts: TraceOptions): Reconstruction {
  const reason = st.reason;
  if (reason === undefined) throw new Error("x86 exit without a reason");
  const svm = reason.arch === "x86-svm";
  const codec = svm ? svmCodec() : (codecs["x86-vmx"] as AnyCodec);
  if (codec === undefined || reason.code === undefined) {
    const out = reconstruction(codec, {}, undefined, true);
    out.reason = new VmExitError(
      "unknown-exit-reason",
      codec === undefined
        ? `AMD SVM exit "${reason.name}" needs the x86-svm codec, which this build does not have`
        : `the x86-svm codec does not know the exit "${reason.name}"`,
      "reason",
    );
    return out;
  }
  const old = (st.n2 & OLD_INFO) !== 0;
  const code = reason.code;
  // the exit line: VMX exit qualification / SVM EXITINFO1, EXITINFO2, interruption information
  const info1 = st.has(X_INFO1) ? slotValue(st, X_INFO1) : undefined;
  let info2: number | bigint | undefined;
  let intInfo: number | undefined;
  let intError: number | undefined;
  let idtVectoring: number | undefined;
  if (svm) {
    if (st.has(X_INFO2)) info2 = slotValue(st, X_INFO2);
    if (!old && st.has(X_INTR)) intInfo = st.lo[X_INTR];
    if (!old && st.has(X_ERR)) intError = st.lo[X_ERR];
  } else if (old) {
    // `info A B`: B was the interruption information before Linux 5.9 and is the IDT-vectoring
    // information after it (libtraceevent prints both the same way); only a valid one (bit 31)
    // is taken as the interruption information
    const b = st.lo[X_INFO2] as number;
    if (st.has(X_INFO2) && (b & 0x8000_0000) !== 0) intInfo = b;
  } else {
    if (st.has(X_INFO2)) idtVectoring = st.lo[X_INFO2];
    if (st.has(X_INTR)) intInfo = st.lo[X_INTR];
    if (st.has(X_ERR)) intError = st.lo[X_ERR];
  }
  // the guest RIP reaches no exit field, only the cause
  const rip = opts.causes && st.has(X_RIP) ? slotValue(st, X_RIP) : undefined;

  const npf = svm ? code === 0x400 : code === 48 || code === 49;
  const apic = svm ? code === 0x402 : code === 44;
  const msr = svm ? code === 0x7c : code === 31 || code === 32;
  const msrWrite = svm ? info1 === 1 : code === 32;
  const io = svm ? code === 0x7b : code === 30;
  const hypercall = svm ? code === 0x81 : code === 18;

  // the GPA and the error code (VMX: the exit qualification; SVM: EXITINFO2 and EXITINFO1)
  let gpa: number | bigint | undefined;
  let pfErr: number | bigint | undefined;
  if (npf) {
    // the GPA: kvm_page_fault's address, else the emulated access's
    if (st.saw(EV_PAGE_FAULT)) gpa = cvValue(st, PF_ADDR);
    else if (st.saw(EV_MMIO)) gpa = cvValue(st, st.cv[MW_LEN] !== ABSENT ? MW_GPA : MR_GPA);
    else if (st.saw(EV_FAST_MMIO)) gpa = cvValue(st, FAST_GPA);
    if (
      st.saw(EV_PAGE_FAULT) &&
      !(st.cv[PF_ERR] === 0xffff_ffff && st.cv[PF_ERR + 1] === 0xffff_ffff)
    ) {
      pfErr = cvValue(st, PF_ERR);
    }
  }
  let cpuMode = 0;
  let instructionBytes: Uint8Array | undefined;
  const nBytes = st.cv[EI_LEN] as number;
  if (nBytes > 0) {
    instructionBytes = st.bytes.slice(0, nBytes);
    cpuMode = st.cv[EI_MODE] as number;
  }
  let rax: number | bigint | undefined;
  let rbx: number | bigint | undefined;
  let rcx: number | bigint | undefined;
  let rdx: number | bigint | undefined;
  let rsi: number | bigint | undefined;
  let rcxKnown = false;
  if (msr && st.saw(EV_MSR) && (st.cv[MSR_W] === 1) === msrWrite) {
    rcx = st.cv[MSR_INDEX] as number;
    rax = st.cv[MSR_DATA + 1] as number;
    rdx = st.cv[MSR_DATA] as number;
    rcxKnown = true;
  } else if (
    msr &&
    msrWrite &&
    st.saw(EV_APIC_IPI) &&
    ((st.cv[IPI_ICR] as number) >>> 18) % 4 !== SHORTHAND_SELF
  ) {
    // an ICR write seen through kvm_apic_ipi: x2APIC ICR (MSR 0x830) = destination:low
    rcx = 0x830;
    rax = st.cv[IPI_ICR] as number;
    rdx = st.cv[IPI_DST] as number;
    rcxKnown = true;
  }
  if (hypercall && st.saw(EV_HYPERCALL)) {
    rax = cvValue(st, HC);
    rbx = cvValue(st, HC + 2);
    rcx = cvValue(st, HC + 4);
    rdx = cvValue(st, HC + 6);
    rsi = cvValue(st, HC + 8);
  }
  if (io && st.saw(EV_PIO) && st.cv[PIO_HAS_VAL] === 1 && st.cv[PIO_RW] === 1) {
    rax = st.cv[PIO_VAL] as number;
  }
  let mmio: Reconstruction["mmio"];
  let fill: number | bigint | undefined;
  if ((npf || apic) && st.saw(EV_MMIO)) {
    const write = st.cv[MW_LEN] !== ABSENT;
    const off = write ? MW_GPA : MR_GPA;
    const len = st.cv[write ? MW_LEN : MR_LEN] as number;
    const valOff = write ? MW_VAL : MR_VAL;
    if (write) fill = dataFill(st.cv[valOff] as number, st.cv[valOff + 1] as number, len);
    if (nBytes === 0) mmio = { write, gpa: cvValue(st, off), len, val: cvValue(st, valOff) };
  } else if (apic && st.saw(EV_APIC) && st.cv[APIC_RW] === 1) {
    fill = st.cv[APIC_VAL + 1] as number;
  }
  const regs = gprs(rax, rbx, rcx, rdx, rsi, rip, undefined);
  let snapshot: Record<string, unknown>;
  let decodeSnapshot: Record<string, unknown> | undefined;
  if (svm) {
    // the negative codes are EXITCODE 2^64 − 1 … 2^64 − 4
    const exitCode = code < 0 ? BigInt.asUintN(64, BigInt(code)) : code;
    const exitInfo1 = info1 ?? pfErr;
    const exitInfo2 = info2 ?? gpa;
    snapshot = svmSnapshot(
      exitCode,
      exitInfo1,
      exitInfo2,
      intInfo,
      intError,
      instructionBytes,
      regs,
    );
    if (fill !== undefined) {
      const filled = gprs(rax, rbx, rcx, rdx, rsi, rip, fill);
      decodeSnapshot = svmSnapshot(
        exitCode,
        exitInfo1,
        exitInfo2,
        intInfo,
        intError,
        instructionBytes,
        filled,
      );
    }
  } else {
    const qualification = info1 ?? pfErr;
    snapshot = vmxSnapshot(
      reason.exitReason,
      qualification,
      idtVectoring,
      intInfo,
      intError,
      gpa,
      instructionBytes,
      regs,
    );
    if (fill !== undefined) {
      const filled = gprs(rax, rbx, rcx, rdx, rsi, rip, fill);
      decodeSnapshot = vmxSnapshot(
        reason.exitReason,
        qualification,
        idtVectoring,
        intInfo,
        intError,
        gpa,
        instructionBytes,
        filled,
      );
    }
  }
  const out = reconstruction(
    codec,
    snapshot,
    opts.x86(svm ? "x86-svm" : "x86-vmx", cpuMode),
    msr && msrWrite && !rcxKnown,
  );
  out.classId = classOf(svm ? 1 : 0, code, st.seen);
  out.mmio = mmio;
  out.decodeSnapshot = decodeSnapshot;
  if (npf && !st.saw(EV_MMIO) && st.saw(EV_FAST_MMIO) && nBytes === 0) {
    // an ioeventfd write KVM skipped without emulating: an MMIO write whose width and data the
    // trace does not hold
    out.fixed = {
      partial: { kind: "MmioWrite", addr: cvBig(st, FAST_GPA) as GuestPhysAddr },
      missing: ["width", "data"],
    };
  }
  if (svm && code === 0x60) {
    // SVM reports no vector for INTR: the host acknowledges it after the exit
    out.fixed = { partial: { kind: "ExternalInterrupt" }, missing: ["vector"] };
  }
  if (!svm && code === 1 && (reason.exitReason & 0x8000_0000) === 0) {
    if (intInfo === undefined || (intInfo & 0x8000_0000) === 0) {
      // the vector is in the interruption information the line does not carry
      out.fixed = { partial: { kind: "ExternalInterrupt" }, missing: ["vector"] };
    }
  }
  return out;
}

/** A VMX snapshot: every key present (one object shape), the ones the trace lacks undefined. */
function vmxSnapshot(
  exitReason: number,
  exitQualification: number | bigint | undefined,
  idtVectoringInfo: number | undefined,
  exitInterruptionInfo: number | undefined,
  exitInterruptionErrorCode: number | undefined,
  guestPhysicalAddress: number | bigint | undefined,
  instructionBytes: Uint8Array | undefined,
  regs: object,
): Record<string, unknown> {
  return {
    exitReason,
    exitQualification,
    idtVectoringInfo,
    exitInterruptionInfo,
    exitInterruptionErrorCode,
    guestPhysicalAddress,
    instructionBytes,
    regs,
  };
}

/** An SVM snapshot, the same way. */
function svmSnapshot(
  exitCode: number | bigint,
  exitInfo1: number | bigint | undefined,
  exitInfo2: number | bigint | undefined,
  exitIntInfo: number | undefined,
  exitIntInfoErrorCode: number | undefined,
  instructionBytes: Uint8Array | undefined,
  regs: object,
): Record<string, unknown> {
  return {
    exitCode,
    exitInfo1,
    exitInfo2,
    exitIntInfo,
    exitIntInfoErrorCode,
    instructionBytes,
    regs,
  };
}

/** The register value that makes a store of `len` bytes write `val`: AH…BH (bits 15:8) hold it too for 1-byte stores. */
function dataFill(hi: number, lo: number, len: number): number | bigint {
  if (len === 1) return (lo & 0xff) * 0x101;
  return maskedValue(hi, lo, len);
}

/**
 * The general registers the trace gives, `value` (undefined: none) in the others, and RIP:
 * written out, one object shape whatever is known. The codec's `regs.*` snapshot keys are these
 * sixteen and RIP. An exit the trace gives no register of shares one such object (decoders only
 * read snapshots).
 */
function gprs(
  rax: number | bigint | undefined,
  rbx: number | bigint | undefined,
  rcx: number | bigint | undefined,
  rdx: number | bigint | undefined,
  rsi: number | bigint | undefined,
  rip: number | bigint | undefined,
  value: number | bigint | undefined,
): object {
  if (
    rax === undefined &&
    rbx === undefined &&
    rcx === undefined &&
    rdx === undefined &&
    rsi === undefined &&
    rip === undefined &&
    value === undefined
  ) {
    noRegs ??= regs(undefined, undefined, undefined, undefined, undefined, undefined, undefined);
    return noRegs;
  }
  return regs(rax, rbx, rcx, rdx, rsi, rip, value);
}

let noRegs: object | undefined;

function regs(
  rax: number | bigint | undefined,
  rbx: number | bigint | undefined,
  rcx: number | bigint | undefined,
  rdx: number | bigint | undefined,
  rsi: number | bigint | undefined,
  rip: number | bigint | undefined,
  value: number | bigint | undefined,
): object {
  return {
    rax: rax ?? value,
    rcx: rcx ?? value,
    rdx: rdx ?? value,
    rbx: rbx ?? value,
    rsp: value,
    rbp: value,
    rsi: rsi ?? value,
    rdi: value,
    r8: value,
    r9: value,
    r10: value,
    r11: value,
    r12: value,
    r13: value,
    r14: value,
    r15: value,
    rip,
  };
}
