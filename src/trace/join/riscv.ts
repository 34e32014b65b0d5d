// RISC-V: the `kvm_exit` line holds scause, stval, htval and htinst; companions add
//
//   kvm_mmio            the data of an MMIO store (every register the trace lacks is set to it)
//   kvm_mmio_emulate    the instruction of an access htinst does not give (other trees)
//   kvm_sbi_ecall       a7 (EID), a6 (FID) and a0 of an SBI call (other trees)
import { codecs } from "../../codecs";
import type { AnyCodec } from "../../core/codec";
import { EV_MMIO, EV_MMIO_EMULATE, EV_SBI_ECALL } from "../scan/events";
import { R_HTINST, R_HTVAL, R_SCAUSE, R_STVAL } from "../scan/riscv-exit";
import type { Reconstruction } from "./complete";
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
import { classOf, cvBig, cvValue, maskedValue, slotValue } from "./values";

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
  const snapshot: Record<string, unknown> = { scause: slotValue(st, R_SCAUSE), xlen };
  if (st.has(R_STVAL)) snapshot.stval = slotValue(st, R_STVAL);
  if (st.has(R_HTVAL)) snapshot.htval = slotValue(st, R_HTVAL);
  if (st.has(R_HTINST)) snapshot.htinst = slotValue(st, R_HTINST);
  if (st.saw(EV_MMIO_EMULATE)) snapshot.instruction = st.cv[EMU_INSN + 1];
  const x: (number | bigint | undefined)[] = [];
  let callKnown = false;
  if (st.saw(EV_SBI_ECALL)) {
    x[17] = cvValue(st, SBI_EXT);
    x[16] = cvValue(st, SBI_FID);
    x[10] = cvValue(st, SBI_A0);
    callKnown = true;
  }
  let mmio: Reconstruction["mmio"];
  let fill: number | bigint | undefined;
  const gpf = !interrupt && (code === LOAD_GPF || code === STORE_GPF);
  if (gpf && st.saw(EV_MMIO)) {
    const write = st.cv[MW_LEN] !== ABSENT;
    const valOff = write ? MW_VAL : MR_VAL;
    const len = st.cv[write ? MW_LEN : MR_LEN] as number;
    if (write) fill = maskedValue(st.cv[valOff] as number, st.cv[valOff + 1] as number, len);
    const htinst = st.has(R_HTINST) ? (st.lo[R_HTINST] as number) : 0;
    if (htinst === 0 && snapshot.instruction === undefined) {
      mmio = { write, gpa: cvBig(st, write ? MW_GPA : MR_GPA), len, val: cvBig(st, valOff) };
    }
  }
  if (x.length > 0) snapshot.x = x;
  const out: { -readonly [K in keyof Reconstruction]: Reconstruction[K] } = {
    codec,
    snapshot,
    options: opts.of("riscv"),
    kindChosenByGuest: !interrupt && code === ECALL_VS && !callKnown,
    classId: classOf(3, lo ^ (st.has(R_HTINST) ? (st.lo[R_HTINST] as number) : 0), st.seen),
  };
  if (mmio !== undefined) out.mmio = mmio;
  if (fill !== undefined) {
    const filled = x.slice();
    for (let i = 1; i < 32; i++) if (filled[i] === undefined) filled[i] = fill;
    out.decodeSnapshot = { ...snapshot, x: filled };
  }
  return out;
}
