import { show, VmExitError } from "../core/error";
import { SCAUSE_EXCEPTION_NAMES, SCAUSE_INTERRUPT_NAMES } from "../riscv/index";
import { hexValue } from "./hex";
import type { RiscvTraceExit, TracePrefix, TraceRiscvSnapshot } from "./types";

// `SEPC:0x%lx, SCAUSE:0x%lx, STVAL:0x%lx, HTVAL:0x%lx, HTINST:0x%lx`; later fields may be cut.
const PAIR = /([A-Z]+):\s*0x([0-9a-fA-F]*)/g;
const BIT63 = 0x8000_0000_0000_0000n;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Splits scause into interrupt flag, code and XLEN (bit 31 set in a 32-bit value means RV32). */
function cause(scause: number | bigint): { interrupt: boolean; code: number; xlen: 32 | 64 } {
  if (typeof scause === "bigint") {
    if (scause >= BIT63) return { interrupt: true, code: Number(scause - BIT63), xlen: 64 };
    return { interrupt: false, code: Number(scause), xlen: 64 };
  }
  if (scause >= 0x8000_0000 && scause <= 0xffff_ffff) {
    return { interrupt: true, code: scause - 0x8000_0000, xlen: 32 };
  }
  return { interrupt: false, code: scause, xlen: 64 };
}

function causeName(interrupt: boolean, code: number): string {
  const name = interrupt ? SCAUSE_INTERRUPT_NAMES[code] : SCAUSE_EXCEPTION_NAMES[code];
  return name ?? `${interrupt ? "IRQ" : "EXC"}_0x${code.toString(16)}`;
}

/** Parses the text of a RISC-V `kvm_exit` event. */
export function parseRiscvExit(prefix: TracePrefix, body: string): RiscvTraceExit {
  const regs: Record<string, number | bigint> = {};
  for (const m of body.matchAll(PAIR)) {
    const key = m[1] as string;
    regs[key] = hexValue(m[2] as string, key);
  }
  const scause = regs.SCAUSE;
  if (scause === undefined) {
    throw new VmExitError(
      "malformed-trace",
      `a RISC-V kvm_exit must have SCAUSE:0x…, got ${show(body)}`,
      "SCAUSE",
    );
  }
  const { interrupt, code, xlen } = cause(scause);
  const snapshot: Mutable<TraceRiscvSnapshot> = { scause, xlen };
  if (regs.STVAL !== undefined) snapshot.stval = regs.STVAL;
  if (regs.HTVAL !== undefined) snapshot.htval = regs.HTVAL;
  if (regs.HTINST !== undefined) snapshot.htinst = regs.HTINST;
  const out: Mutable<RiscvTraceExit> = {
    type: "exit",
    prefix,
    arch: "riscv",
    name: causeName(interrupt, code),
    code,
    snapshot,
    interrupt,
  };
  if (regs.SEPC !== undefined) out.pc = BigInt(regs.SEPC);
  return out;
}
