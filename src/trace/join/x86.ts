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
import type { Reconstruction } from "./complete";
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
  const snapshot: Record<string, unknown> = {};
  if (codec === undefined || reason.code === undefined) {
    return {
      codec,
      snapshot,
      options: undefined,
      kindChosenByGuest: true,
      reason: new VmExitError(
        "unknown-exit-reason",
        codec === undefined
          ? `AMD SVM exit "${reason.name}" needs the x86-svm codec, which this build does not have`
          : `the x86-svm codec does not know the exit "${reason.name}"`,
        "reason",
      ),
    };
  }
  const old = (st.n2 & OLD_INFO) !== 0;
  const code = reason.code;
  let info1: number | bigint | undefined;
  if (svm) {
    // the negative codes are EXITCODE 2^64 − 1 … 2^64 − 4
    snapshot.exitCode = code < 0 ? BigInt.asUintN(64, BigInt(code)) : code;
    if (st.has(X_INFO1)) snapshot.exitInfo1 = info1 = slotValue(st, X_INFO1);
    if (st.has(X_INFO2)) snapshot.exitInfo2 = slotValue(st, X_INFO2);
    if (!old && st.has(X_INTR)) snapshot.exitIntInfo = st.lo[X_INTR];
    if (!old && st.has(X_ERR)) snapshot.exitIntInfoErrorCode = st.lo[X_ERR];
  } else {
    snapshot.exitReason = reason.exitReason;
    if (st.has(X_INFO1)) snapshot.exitQualification = slotValue(st, X_INFO1);
    if (old) {
      // `info A B`: B was the interruption information before Linux 5.9 and is the IDT-vectoring
      // information after it (libtraceevent prints both the same way); only a valid one (bit 31)
      // is taken as the interruption information
      const b = st.lo[X_INFO2] as number;
      if (st.has(X_INFO2) && (b & 0x8000_0000) !== 0) snapshot.exitInterruptionInfo = b;
    } else {
      if (st.has(X_INFO2)) snapshot.idtVectoringInfo = st.lo[X_INFO2];
      if (st.has(X_INTR)) snapshot.exitInterruptionInfo = st.lo[X_INTR];
      if (st.has(X_ERR)) snapshot.exitInterruptionErrorCode = st.lo[X_ERR];
    }
  }
  const regs: Record<string, number | bigint> = {};
  snapshot.regs = regs;
  // the guest RIP reaches no exit field, only the cause
  if (opts.causes && st.has(X_RIP)) regs.rip = slotValue(st, X_RIP);

  const npf = svm ? code === 0x400 : code === 48 || code === 49;
  const apic = svm ? code === 0x402 : code === 44;
  const msr = svm ? code === 0x7c : code === 31 || code === 32;
  const msrWrite = svm ? info1 === 1 : code === 32;
  const io = svm ? code === 0x7b : code === 30;
  const hypercall = svm ? code === 0x81 : code === 18;

  if (npf) {
    // the GPA: kvm_page_fault's address, else the emulated access's
    let gpa: number | bigint | undefined;
    if (st.saw(EV_PAGE_FAULT)) gpa = cvValue(st, PF_ADDR);
    else if (st.saw(EV_MMIO)) gpa = cvValue(st, st.cv[MW_LEN] !== ABSENT ? MW_GPA : MR_GPA);
    else if (st.saw(EV_FAST_MMIO)) gpa = cvValue(st, FAST_GPA);
    const pfErr =
      st.saw(EV_PAGE_FAULT) &&
      !(st.cv[PF_ERR] === 0xffff_ffff && st.cv[PF_ERR + 1] === 0xffff_ffff);
    if (svm) {
      if (snapshot.exitInfo2 === undefined && gpa !== undefined) snapshot.exitInfo2 = gpa;
      if (snapshot.exitInfo1 === undefined && pfErr) snapshot.exitInfo1 = cvValue(st, PF_ERR);
    } else {
      if (gpa !== undefined) snapshot.guestPhysicalAddress = gpa;
      // on VMX kvm_page_fault's error code is the exit qualification
      if (snapshot.exitQualification === undefined && pfErr)
        snapshot.exitQualification = cvValue(st, PF_ERR);
    }
  }
  let cpuMode = 0;
  const nBytes = st.cv[EI_LEN] as number;
  if (nBytes > 0) {
    snapshot.instructionBytes = st.bytes.slice(0, nBytes);
    cpuMode = st.cv[EI_MODE] as number;
  }
  let rcxKnown = false;
  if (msr && st.saw(EV_MSR) && (st.cv[MSR_W] === 1) === msrWrite) {
    regs.rcx = st.cv[MSR_INDEX] as number;
    regs.rax = st.cv[MSR_DATA + 1] as number;
    regs.rdx = st.cv[MSR_DATA] as number;
    rcxKnown = true;
  } else if (
    msr &&
    msrWrite &&
    st.saw(EV_APIC_IPI) &&
    ((st.cv[IPI_ICR] as number) >>> 18) % 4 !== SHORTHAND_SELF
  ) {
    // an ICR write seen through kvm_apic_ipi: x2APIC ICR (MSR 0x830) = destination:low
    regs.rcx = 0x830;
    regs.rax = st.cv[IPI_ICR] as number;
    regs.rdx = st.cv[IPI_DST] as number;
    rcxKnown = true;
  }
  if (hypercall && st.saw(EV_HYPERCALL)) {
    regs.rax = cvValue(st, HC);
    regs.rbx = cvValue(st, HC + 2);
    regs.rcx = cvValue(st, HC + 4);
    regs.rdx = cvValue(st, HC + 6);
    regs.rsi = cvValue(st, HC + 8);
  }
  if (io && st.saw(EV_PIO) && st.cv[PIO_HAS_VAL] === 1 && st.cv[PIO_RW] === 1) {
    regs.rax = st.cv[PIO_VAL] as number;
  }
  let mmio: Reconstruction["mmio"];
  let fill: number | bigint | undefined;
  if ((npf || apic) && st.saw(EV_MMIO)) {
    const write = st.cv[MW_LEN] !== ABSENT;
    const off = write ? MW_GPA : MR_GPA;
    const len = st.cv[write ? MW_LEN : MR_LEN] as number;
    const valOff = write ? MW_VAL : MR_VAL;
    if (write) fill = dataFill(st.cv[valOff] as number, st.cv[valOff + 1] as number, len);
    if (nBytes === 0) mmio = { write, gpa: cvBig(st, off), len, val: cvBig(st, valOff) };
  } else if (apic && st.saw(EV_APIC) && st.cv[APIC_RW] === 1) {
    fill = st.cv[APIC_VAL + 1] as number;
  }
  const out: {
    -readonly [K in keyof Reconstruction]: Reconstruction[K];
  } = {
    codec,
    snapshot,
    options: opts.x86(svm ? "x86-svm" : "x86-vmx", cpuMode),
    kindChosenByGuest: msr && msrWrite && !rcxKnown,
    classId: classOf(svm ? 1 : 0, code, st.seen),
  };
  if (mmio !== undefined) out.mmio = mmio;
  if (npf && !st.saw(EV_MMIO) && st.saw(EV_FAST_MMIO) && nBytes === 0) {
    // an ioeventfd write KVM skipped without emulating: an MMIO write whose width and data the
    // trace does not hold
    out.fixed = {
      partial: { kind: "MmioWrite", addr: cvBig(st, FAST_GPA) as GuestPhysAddr },
      missing: ["width", "data"],
    };
  }
  if (fill !== undefined) out.decodeSnapshot = { ...snapshot, regs: filledGprs(regs, fill) };
  if (svm && code === 0x60) {
    // SVM reports no vector for INTR: the host acknowledges it after the exit
    out.fixed = { partial: { kind: "ExternalInterrupt" }, missing: ["vector"] };
  }
  if (!svm && code === 1 && (reason.exitReason & 0x8000_0000) === 0) {
    const info = snapshot.exitInterruptionInfo as number | undefined;
    if (info === undefined || (info & 0x8000_0000) === 0) {
      // the vector is in the interruption information the line does not carry
      out.fixed = { partial: { kind: "ExternalInterrupt" }, missing: ["vector"] };
    }
  }
  return out;
}

/** The register value that makes a store of `len` bytes write `val`: AH…BH (bits 15:8) hold it too for 1-byte stores. */
function dataFill(hi: number, lo: number, len: number): number | bigint {
  if (len === 1) return (lo & 0xff) * 0x101;
  return maskedValue(hi, lo, len);
}

/**
 * The registers with `value` in every general register the trace lacks (written out: one object
 * shape, not sixteen keyed stores). The codec's `regs.*` snapshot keys are these sixteen and RIP.
 */
function filledGprs(
  r: Readonly<Record<string, number | bigint | undefined>>,
  value: number | bigint,
): object {
  return {
    rax: r.rax ?? value,
    rcx: r.rcx ?? value,
    rdx: r.rdx ?? value,
    rbx: r.rbx ?? value,
    rsp: r.rsp ?? value,
    rbp: r.rbp ?? value,
    rsi: r.rsi ?? value,
    rdi: r.rdi ?? value,
    r8: r.r8 ?? value,
    r9: r.r9 ?? value,
    r10: r.r10 ?? value,
    r11: r.r11 ?? value,
    r12: r.r12 ?? value,
    r13: r.r13 ?? value,
    r14: r.r14 ?? value,
    r15: r.r15 ?? value,
    rip: r.rip,
  };
}
