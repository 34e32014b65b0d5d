// Public objects (`TracePrefix`, `TraceExit`, `TraceEntry`, companions) from a scanned line. Only
// the item reader and `parseTraceLine` build them; statistics read the record directly.

import type { TraceCompanion } from "./companions";
import { riscvXlen } from "./join/riscv";
import { armExitName, hexName, riscvExitName } from "./names";
import { A_PC, TYPE_NAMES, TYPE_NONE, TYPE_TRAP } from "./scan/arm-exit";
import { bigValue, numValue } from "./scan/bytes";
import { E_PC } from "./scan/entry";
import {
  EV_APIC,
  EV_APIC_IPI,
  EV_AVIC_ACCESS,
  EV_AVIC_IPI,
  EV_EMULATE_INSN,
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
  EVENT_NAMES,
} from "./scan/events";
import { EXIT_ARM, EXIT_RISCV, EXIT_X86 } from "./scan/line";
import type { LineRecord } from "./scan/record";
import { R_HTINST, R_HTVAL, R_SCAUSE, R_SEPC, R_STVAL } from "./scan/riscv-exit";
import { Interner, textOf } from "./scan/text";
import { OLD_INFO, X_ERR, X_INFO1, X_INFO2, X_INTR, X_REQ, X_RIP } from "./scan/x86-exit";
import type { TraceEntry, TraceExit, TraceLine, TracePrefix } from "./types";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const strings: Interner<undefined> = /* @__PURE__ */ new Interner(() => undefined, 8192);

function str(r: LineRecord, s: number, e: number): string {
  return strings.get(r.buf, s, e).text;
}

const NS_PER_S = 1_000_000_000n;

/** The prefix of the scanned line. */
export function prefixOf(r: LineRecord): TracePrefix {
  const p: Mutable<TracePrefix> = {};
  if (r.taskStart >= 0) p.task = str(r, r.taskStart, r.taskEnd);
  if (r.pid >= 0) p.pid = r.pid;
  if (r.cpu >= 0) p.cpu = r.cpu;
  if (r.flagsStart >= 0) p.flags = str(r, r.flagsStart, r.flagsEnd);
  if (r.sec >= 0) p.timestamp = BigInt(r.sec) * NS_PER_S + BigInt(r.nsec);
  return p;
}

function slot(r: LineRecord, i: number): number | bigint {
  return numValue(r.hi[i] as number, r.lo[i] as number);
}

function slotBig(r: LineRecord, i: number): bigint {
  return bigValue(r.hi[i] as number, r.lo[i] as number);
}

function x86Exit(r: LineRecord, prefix: TracePrefix): TraceExit {
  const reason = r.reason;
  if (reason === undefined) throw new Error("x86 exit without a reason");
  const base: Record<string, unknown> = {
    type: "exit",
    prefix,
    arch: reason.arch,
    name: reason.name,
  };
  if (reason.code !== undefined) base.code = reason.code;
  if (r.vcpu >= 0) base.vcpu = r.vcpu;
  if (r.has(X_RIP)) base.pc = slotBig(r, X_RIP);
  const old = (r.n2 & OLD_INFO) !== 0;
  const rip = r.has(X_RIP) ? { rip: slotBig(r, X_RIP) } : undefined;
  if (reason.arch === "x86-vmx") {
    const s: Record<string, unknown> = { exitReason: reason.exitReason };
    if (r.has(X_INFO1)) s.exitQualification = slot(r, X_INFO1);
    if (old) {
      // before Linux 5.9 the second `info` word was the VM-exit interruption information
      if (r.has(X_INFO2)) s.exitInterruptionInfo = r.lo[X_INFO2];
    } else {
      if (r.has(X_INFO2)) s.idtVectoringInfo = r.lo[X_INFO2];
      if (r.has(X_INTR)) s.exitInterruptionInfo = r.lo[X_INTR];
      if (r.has(X_ERR)) s.exitInterruptionErrorCode = r.lo[X_ERR];
    }
    if (rip !== undefined) s.regs = rip;
    base.snapshot = s;
  } else if (reason.code !== undefined) {
    // the negative codes are EXITCODE 2^64 − 1 … 2^64 − 4
    const code = reason.code;
    const s: Record<string, unknown> = {
      exitCode: code < 0 ? BigInt.asUintN(64, BigInt(code)) : code,
    };
    if (r.has(X_INFO1)) s.exitInfo1 = slot(r, X_INFO1);
    if (r.has(X_INFO2)) s.exitInfo2 = slot(r, X_INFO2);
    if (!old && r.has(X_INTR)) s.exitIntInfo = r.lo[X_INTR];
    if (!old && r.has(X_ERR)) s.exitIntInfoErrorCode = r.lo[X_ERR];
    if (rip !== undefined) s.regs = rip;
    base.snapshot = s;
  }
  if (r.has(X_REQ)) base.requests = slotBig(r, X_REQ);
  return base as unknown as TraceExit;
}

function armExit(r: LineRecord, prefix: TracePrefix): TraceExit {
  const out: Record<string, unknown> = { type: "exit", prefix, arch: "aarch64" };
  const type = r.n0;
  out.name = armExitName(type, type === TYPE_NONE ? -1 : r.n1, r.n5);
  if (type !== TYPE_NONE) {
    if (type === TYPE_TRAP) out.code = r.n1;
    out.exceptionType =
      TYPE_NAMES[type] || (r.textStart >= 0 ? str(r, r.textStart, r.textEnd) : hexName(r.n5));
    out.ec = r.n1;
  }
  if (r.has(A_PC)) out.pc = slotBig(r, A_PC);
  return out as unknown as TraceExit;
}

function riscvExit(r: LineRecord, prefix: TracePrefix): TraceExit {
  const hi = r.hi[R_SCAUSE] as number;
  const lo = r.lo[R_SCAUSE] as number;
  const xlen = riscvXlen(hi, lo);
  const interrupt = xlen === 32 ? (lo & 0x8000_0000) !== 0 : (hi & 0x8000_0000) !== 0;
  const code = xlen === 32 ? lo & 0x7fff_ffff : lo;
  const snapshot: Record<string, unknown> = { scause: slot(r, R_SCAUSE) };
  if (r.has(R_STVAL)) snapshot.stval = slot(r, R_STVAL);
  if (r.has(R_HTVAL)) snapshot.htval = slot(r, R_HTVAL);
  if (r.has(R_HTINST)) snapshot.htinst = slot(r, R_HTINST);
  snapshot.xlen = xlen;
  const out: Record<string, unknown> = {
    type: "exit",
    prefix,
    arch: "riscv",
    name: riscvExitName(interrupt, code),
    code,
  };
  if (r.vcpu >= 0) out.vcpu = r.vcpu;
  if (r.has(R_SEPC)) out.pc = slotBig(r, R_SEPC);
  out.snapshot = snapshot;
  out.interrupt = interrupt;
  return out as unknown as TraceExit;
}

/** The `kvm_exit` line scanned into `r`. */
export function exitOf(r: LineRecord, prefix = prefixOf(r)): TraceExit {
  if (r.exitArch === EXIT_X86) return x86Exit(r, prefix);
  if (r.exitArch === EXIT_ARM) return armExit(r, prefix);
  if (r.exitArch === EXIT_RISCV) return riscvExit(r, prefix);
  throw new Error("not an exit");
}

/** The `kvm_entry` line scanned into `r`. */
export function entryOf(r: LineRecord, prefix = prefixOf(r)): TraceEntry {
  const out: Mutable<TraceEntry> = { type: "entry", prefix };
  if (r.vcpu >= 0) out.vcpu = r.vcpu;
  if (r.has(E_PC)) out.pc = slotBig(r, E_PC);
  return out;
}

const MMIO_ACCESS = ["unsatisfied-read", "read", "write"] as const;
const RW = ["read", "write"] as const;

/** The companion event scanned into `r`. */
export function companionOf(r: LineRecord, prefix = prefixOf(r)): TraceCompanion {
  const event = EVENT_NAMES[r.event] as string;
  const o: Record<string, unknown> = { type: "companion", event, prefix };
  const v = (i: number) => slotBig(r, i);
  if (r.vcpu >= 0) o.vcpu = r.vcpu;
  switch (r.event) {
    case EV_PAGE_FAULT:
      if (r.has(0)) o.rip = v(0);
      o.address = v(1);
      if (r.has(2)) o.errorCode = v(2);
      break;
    case EV_EMULATE_INSN:
      o.csBase = r.n0;
      o.rip = v(0);
      if (r.n1 > 0) o.bytes = Array.from(r.bytes.subarray(0, r.n1));
      if (r.n2 !== 0) o.cpuMode = r.n2;
      o.failed = r.n3 === 1;
      break;
    case EV_MMIO:
      o.access = MMIO_ACCESS[r.n0];
      o.len = r.n1;
      o.gpa = v(1);
      if (r.has(2)) o.val = v(2);
      break;
    case EV_FAST_MMIO:
      o.gpa = v(1);
      break;
    case EV_PIO:
      o.access = RW[r.n0];
      o.port = r.n1;
      o.size = r.n2;
      o.count = r.n3;
      if (r.has(2)) o.val = r.lo[2];
      break;
    case EV_MSR:
      o.access = RW[r.n0];
      o.index = r.n1;
      o.data = v(2);
      o.gp = r.n2 === 1;
      break;
    case EV_HYPERCALL:
      o.nr = v(0);
      o.args = [v(1), v(2), v(3), v(4)];
      break;
    case EV_APIC_IPI:
      o.dest = r.n0;
      o.icrLow = r.n1;
      break;
    case EV_APIC:
      o.access = RW[r.n0];
      o.reg = r.n1;
      o.val = v(2);
      break;
    case EV_AVIC_IPI:
      o.icrHigh = r.n0;
      o.icrLow = r.n1;
      o.id = r.n2;
      o.index = r.n3;
      break;
    case EV_AVIC_ACCESS:
      o.offset = r.n0;
      o.trap = r.n1 === 1;
      o.write = r.n2 === 1;
      o.vector = r.n3;
      break;
    case EV_GUEST_FAULT:
      o.ipa = v(1);
      if (r.has(2)) o.esr = v(2);
      if (r.has(3)) o.far = v(3);
      if (r.has(0)) o.pc = v(0);
      break;
    case EV_HANDLE_SYS_REG:
      o.esr = v(2);
      break;
    case EV_SYS_ACCESS:
      o.op0 = r.n0;
      o.op1 = r.n1;
      o.crn = r.n2;
      o.crm = r.n3;
      o.op2 = r.n4;
      o.write = r.n5 === 1;
      if (r.textStart >= 0) o.name = str(r, r.textStart, r.textEnd);
      if (r.has(0)) o.pc = v(0);
      break;
    case EV_HVC_ARM64:
      if (r.has(0)) o.pc = v(0);
      o.x0 = v(1);
      if (r.has(2)) o.imm = v(2);
      break;
    case EV_WFX_ARM64:
      o.wfe = r.n0 === 1;
      if (r.has(0)) o.pc = v(0);
      break;
    case EV_MMIO_EMULATE:
      if (r.has(0)) o.pc = v(0);
      o.instruction = r.lo[1];
      break;
    case EV_SBI_ECALL:
      if (r.has(0)) o.pc = v(0);
      o.eid = v(1);
      o.fid = v(2);
      if (r.has(3)) o.a0 = v(3);
      break;
  }
  return o as unknown as TraceCompanion;
}

/** The name of the scanned line's event. */
export function eventName(r: LineRecord): string {
  return str(r, r.nameStart, r.nameEnd);
}

/** Any scanned event line as its public object. */
export function lineOf(r: LineRecord, kind: "exit" | "entry" | "companion" | "other"): TraceLine {
  const prefix = prefixOf(r);
  if (kind === "exit") return exitOf(r, prefix);
  if (kind === "entry") return entryOf(r, prefix);
  if (kind === "companion") return companionOf(r, prefix);
  return { type: "other", prefix, event: eventName(r) };
}

/** The text of the line (for messages). */
export function lineText(r: LineRecord): string {
  return textOf(r.buf, r.start, r.end);
}
