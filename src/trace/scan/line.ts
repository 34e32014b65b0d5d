// One line: the prefix, then the body of the events the reader uses. Everything lands in the
// reused `LineRecord`; `scanBody` says whether the body could be read.

import {
  scanGuestFault,
  scanHandleSysReg,
  scanHvc,
  scanMmioEmulate,
  scanSbiEcall,
  scanSysAccess,
  scanWfx,
} from "./arm-companions";
import { isArmExit, quickArmExit, scanArmExit } from "./arm-exit";
import { skipBlurbs } from "./blurb";
import { num } from "./bytes";
import { scanEntry } from "./entry";
import {
  EV_APIC,
  EV_APIC_IPI,
  EV_AVIC_ACCESS,
  EV_AVIC_IPI,
  EV_EMULATE_INSN,
  EV_ENTRY,
  EV_EXIT,
  EV_FAST_MMIO,
  EV_GUEST_FAULT,
  EV_HANDLE_SYS_REG,
  EV_HVC_ARM64,
  EV_HYPERCALL,
  EV_MMIO,
  EV_MMIO_EMULATE,
  EV_MSR,
  EV_PAGE_FAULT,
  EV_PIO,
  EV_SBI_ECALL,
  EV_SYS_ACCESS,
  EV_WFX_ARM64,
} from "./events";
import { isRawDump, key, rawAfter } from "./fields";
import type { LineRecord } from "./record";
import { isRiscvExit, quickRiscvExit, scanRiscvExit } from "./riscv-exit";
import {
  scanApic,
  scanApicIpi,
  scanAvicAccess,
  scanAvicIpi,
  scanEmulateInsn,
  scanFastMmio,
  scanHypercall,
  scanMmio,
  scanMsr,
  scanPageFault,
  scanPio,
} from "./x86-companions";
import {
  isX86Exit,
  OLD_INFO,
  quickX86Exit,
  REASON_HEX,
  scanX86Exit,
  X_ERR,
  X_INFO1,
  X_INFO2,
  X_INTR,
  X_REQ,
  X_RIP,
} from "./x86-exit";
import { type X86Flavour, x86Reason } from "./x86-reason";

/** Which exit format a `kvm_exit` body is in (`LineRecord.exitArch`). */
export const EXIT_X86 = 1;
/** arm64 (or 32-bit ARM). */
export const EXIT_ARM = 2;
/** RISC-V. */
export const EXIT_RISCV = 3;

const RAW_X86_KEYS = ["guest_rip", "info1", "info2", "intr_info", "error_code", "requests"].map(
  key,
);
const RAW_X86_SLOTS = [X_RIP, X_INFO1, X_INFO2, X_INTR, X_ERR, X_REQ];
const K_EXIT_REASON = key("exit_reason");
const K_ISA = key("isa");
const K_VCPU_ID = key("vcpu_id");
const K_ESR_EC = key("esr_ec");

/** libtraceevent's `[FAILED TO PARSE]` dump of an x86 `kvm_exit`. */
function scanRawX86(r: LineRecord, s: number, e: number, flavour: X86Flavour): boolean {
  const b = r.buf;
  if (!rawAfter(b, s, e, K_EXIT_REASON)) return r.fail("exit_reason", s, e, "an exit_reason field");
  const reason = num.lo;
  // isa 1 = VMX, 2 = SVM
  const isa = rawAfter(b, s, e, K_ISA) ? num.lo : flavour.arch === "x86-svm" ? 2 : 1;
  for (let i = 0; i < RAW_X86_KEYS.length; i++) {
    if (rawAfter(b, s, e, RAW_X86_KEYS[i] as Uint8Array))
      r.put(RAW_X86_SLOTS[i] as number, num.hi, num.lo);
  }
  if (rawAfter(b, s, e, K_VCPU_ID)) r.vcpu = num.lo;
  r.n0 = REASON_HEX;
  r.n1 = reason;
  flavour.arch = isa === 2 ? "x86-svm" : "x86-vmx";
  return true;
}

function scanExit(r: LineRecord, flavour: X86Flavour): boolean {
  const b = r.buf;
  const s = skipBlurbs(b, r.bodyStart, r.bodyEnd);
  const e = r.bodyEnd;
  r.reason = undefined;
  const quick = quickX86Exit(r, s, e);
  if (!quick && isRawDump(b, s, e)) {
    if (rawAfter(b, s, e, K_EXIT_REASON)) {
      r.exitArch = EXIT_X86;
      if (!scanRawX86(r, s, e, flavour)) return false;
      r.reason = x86Reason(r, flavour);
      return true;
    }
    if (rawAfter(b, s, e, K_ESR_EC)) {
      r.exitArch = EXIT_ARM;
      return scanArmExit(r, s, e);
    }
    r.exitArch = EXIT_RISCV;
    return scanRiscvExit(r, s, e);
  }
  if (quick || isX86Exit(b, s, e)) {
    r.exitArch = EXIT_X86;
    if (!quick && !scanX86Exit(r, s, e)) return false;
    const reason = x86Reason(r, flavour);
    if (reason.error !== undefined) return r.fail("reason", r.textStart, r.textEnd, reason.error);
    if (reason.arch === "x86-vmx") {
      // VMX: info2 (new) is the IDT-vectoring information and the second `info` word (old) the
      // interruption information — both 32-bit
      if (r.has(X_INFO2) && r.hi[X_INFO2] !== 0) {
        return r.fail((r.n2 & OLD_INFO) !== 0 ? "info" : "info2", s, e, "a 32-bit value");
      }
    }
    r.reason = reason;
    return true;
  }
  if (quickArmExit(r, s, e)) {
    r.exitArch = EXIT_ARM;
    return true;
  }
  if (quickRiscvExit(r, s, e)) {
    r.exitArch = EXIT_RISCV;
    return true;
  }
  if (isRiscvExit(b, s, e)) {
    r.exitArch = EXIT_RISCV;
    return scanRiscvExit(r, s, e);
  }
  if (isArmExit(b, s, e)) {
    r.exitArch = EXIT_ARM;
    return scanArmExit(r, s, e);
  }
  r.exitArch = 0;
  return r.fail("kvm_exit", s, e, "the x86, arm64 or RISC-V kvm_exit format");
}

/**
 * Reads the body of the event the prefix scan found; returns false (with the reason recorded on
 * `r`) when a used event's text cannot be read. Events the reader does not use are not read.
 */
export function scanBody(r: LineRecord, flavour: X86Flavour): boolean {
  const s = r.bodyStart;
  const e = r.bodyEnd;
  switch (r.event) {
    case EV_EXIT:
      return scanExit(r, flavour);
    case EV_ENTRY:
      return scanEntry(r, s, e);
    case EV_PAGE_FAULT:
      return scanPageFault(r, s, e);
    case EV_EMULATE_INSN:
      return scanEmulateInsn(r, s, e);
    case EV_MMIO:
      return scanMmio(r, s, e);
    case EV_FAST_MMIO:
      return scanFastMmio(r, s, e);
    case EV_PIO:
      return scanPio(r, s, e);
    case EV_MSR:
      return scanMsr(r, s, e);
    case EV_HYPERCALL:
      return scanHypercall(r, s, e);
    case EV_APIC_IPI:
      return scanApicIpi(r, s, e);
    case EV_APIC:
      return scanApic(r, s, e);
    case EV_AVIC_IPI:
      return scanAvicIpi(r, s, e);
    case EV_AVIC_ACCESS:
      return scanAvicAccess(r, s, e);
    case EV_GUEST_FAULT:
      return scanGuestFault(r, s, e);
    case EV_HANDLE_SYS_REG:
      return scanHandleSysReg(r, s, e);
    case EV_SYS_ACCESS:
      return scanSysAccess(r, s, e);
    case EV_HVC_ARM64:
      return scanHvc(r, s, e);
    case EV_WFX_ARM64:
      return scanWfx(r, s, e);
    case EV_MMIO_EMULATE:
      return scanMmioEmulate(r, s, e);
    case EV_SBI_ECALL:
      return scanSbiEcall(r, s, e);
    default:
      return true;
  }
}
