// RISC-V: the `kvm_exit` line holds scause, stval, htval and htinst; companions add
//
//   kvm_mmio            the data of an MMIO store (every register the trace lacks is set to it)
//   kvm_mmio_emulate    the instruction of an access htinst does not give (other trees)
//   kvm_sbi_ecall       a7 (EID), a6 (FID) and a0 of an SBI call (other trees)
import { codecs } from "../../codecs";
import type { AnyCodec } from "../../core/codec";
import { EV_MMIO, EV_MMIO_EMULATE, EV_SBI_ECALL } from "../scan/events";
import { R_HTINST, R_HTVAL, R_SCAUSE, R_STVAL } from "../scan/riscv-exit";
import { type Reconstruction, reconstruction } from "./complete";
import type { TraceOptions } from "./options";
import {
  EMU_INSN,
  MR_GPA,
  MR_LEN,
  MR_VAL,
  MW_GPA,
  MW_LEN,
  MW_VAL,
  SBI_A0,
  SBI_EXT,
  SBI_FID,
  type VcpuState,
} from "./state";
import { ABSENT } from "./store";
import { classOf, cvValue, maskedValue, slotValue } from "./values";

const ECALL_VS = 10;
const LOAD_GPF = 21;
const STORE_GPF = 23;

/** XLEN as the line shows it: 32 when scause is a 32-bit value with bit 31 (interrupt) set. */
export function riscvXlen(hi: number, lo: number): 32 | 64 {
  return hi === 0 && (lo & 0x8000_0000) !== 0 ? 32 : 64;
}

/** What the trace determines of a RISC-V exit. */
export function riscvReconstruction(st: VcpuState, opts: TraceOptions): Reconstruction {
  const codec = codecs.riscv as AnyCodec;
  const hi = st.hi[R_SCAUSE] as number;
  const lo = st.lo[R_SCAUSE] as number;
  const xlen = riscvXlen(hi, lo);
  const interrupt = xlen === 32 ? (lo & 0x8000_0000) !== 0 : (hi & 0x8000_0000) !== 0;
  const code = xlen === 32 ? lo & 0x7fff_ffff : lo;
  const scause = slotValue(st, R_SCAUSE);
  const stval = st.has(R_STVAL) ? slotValue(st, R_STVAL) : undefined;
  const htval = st.has(R_HTVAL) ? slotValue(st, R_HTVAL) : undefined;
  const htinst = st.has(R_HTINST) ? slotValue(st, R_HTINST) : undefined;
  const instruction = st.saw(EV_MMIO_EMULATE) ? (st.cv[EMU_INSN + 1] as number) : undefined;
  const sbi = st.saw(EV_SBI_ECALL);
  const a7 = sbi ? cvValue(st, SBI_EXT) : undefined;
  const a6 = sbi ? cvValue(st, SBI_FID) : undefined;
  const a0 = sbi ? cvValue(st, SBI_A0) : undefined;
  let mmio: Reconstruction["mmio"];
  let fill: number | bigint | undefined;
  const gpf = !interrupt && (code === LOAD_GPF || code === STORE_GPF);
  if (gpf && st.saw(EV_MMIO)) {
    const write = st.cv[MW_LEN] !== ABSENT;
    const valOff = write ? MW_VAL : MR_VAL;
    const len = st.cv[write ? MW_LEN : MR_LEN] as number;
    if (write) fill = maskedValue(st.cv[valOff] as number, st.cv[valOff + 1] as number, len);
    const htinstLo = st.has(R_HTINST) ? (st.lo[R_HTINST] as number) : 0;
    if (htinstLo === 0 && instruction === undefined) {
      mmio = { write, gpa: cvValue(st, write ? MW_GPA : MR_GPA), len, val: cvValue(st, valOff) };
    }
  }
  const x = sbi ? xRegs(a0, a6, a7, undefined) : undefined;
  const snapshot = riscvSnapshot(scause, xlen, stval, htval, htinst, instruction, x);
  const out = reconstruction(
    codec,
    snapshot,
    opts.of("riscv"),
    !interrupt && code === ECALL_VS && !sbi,
  );
  out.classId = classOf(3, lo ^ (st.has(R_HTINST) ? (st.lo[R_HTINST] as number) : 0), st.seen);
  out.mmio = mmio;
  if (fill !== undefined) {
    const filled = xRegs(a0, a6, a7, fill);
    out.decodeSnapshot = riscvSnapshot(scause, xlen, stval, htval, htinst, instruction, filled);
  }
  return out;
}

/** A RISC-V snapshot: every key present (one object shape), the ones the trace lacks undefined. */
function riscvSnapshot(
  scause: number | bigint,
  xlen: 32 | 64,
  stval: number | bigint | undefined,
  htval: number | bigint | undefined,
  htinst: number | bigint | undefined,
  instruction: number | undefined,
  x: (number | bigint | undefined)[] | undefined,
): Record<string, unknown> {
  return { scause, xlen, stval, htval, htinst, instruction, x };
}

/** x0…x31 as a packed array: a0, a6, a7 as the SBI call gave them, `value` in the others (x0 is never read). */
function xRegs(
  a0: number | bigint | undefined,
  a6: number | bigint | undefined,
  a7: number | bigint | undefined,
  value: number | bigint | undefined,
): (number | bigint | undefined)[] {
  const x: (number | bigint | undefined)[] = [undefined];
  for (let i = 1; i < 32; i++) {
    x.push(i === 10 ? (a0 ?? value) : i === 16 ? (a6 ?? value) : i === 17 ? (a7 ?? value) : value);
  }
  return x;
}
