// Copies what a scanned line says into the vCPU's open exit: the `kvm_exit` line itself, and each
// companion event's values at their fixed offsets.
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
} from "../scan/events";
import type { LineRecord } from "../scan/record";
import {
  APIC_REG,
  APIC_RW,
  APIC_VAL,
  AVA_OFFSET,
  AVA_TRAP,
  AVA_VEC,
  AVA_WRITE,
  AVI_ICRH,
  AVI_ICRL,
  AVI_ID,
  AVI_INDEX,
  EI_FAILED,
  EI_LEN,
  EI_MODE,
  EMU_INSN,
  FAST_GPA,
  GF_ESR,
  GF_FAR,
  GF_IPA,
  GF_RISCV,
  HC,
  HVC_IMM,
  HVC_X0,
  IPI_DST,
  IPI_ICR,
  MMIO_N,
  MR_GPA,
  MR_LEN,
  MR_TYPE,
  MR_VAL,
  MSR_DATA,
  MSR_GP,
  MSR_INDEX,
  MSR_W,
  MW_GPA,
  MW_LEN,
  MW_VAL,
  PF_ADDR,
  PF_ERR,
  PIO_COUNT,
  PIO_HAS_VAL,
  PIO_PORT,
  PIO_RW,
  PIO_SIZE,
  PIO_VAL,
  SA_OPS,
  SA_WRITE,
  SBI_A0,
  SBI_EXT,
  SBI_FID,
  SR_ESR,
  type VcpuState,
  WFX_E,
} from "./state";

/** `MW_LEN` / `MR_LEN` of a direction no `kvm_mmio` event was seen for. */
export const ABSENT = 0xffff_ffff;

/** QEMU names vCPU threads `CPU <n>/KVM`: the vCPU id from such a task name, or -1. */
export function vcpuFromTask(r: LineRecord): number {
  const b = r.buf;
  const s = r.taskStart;
  const e = r.taskEnd;
  // "CPU " digits "/KVM"
  if (
    s < 0 ||
    e - s < 9 ||
    b[s] !== 0x43 ||
    b[s + 1] !== 0x50 ||
    b[s + 2] !== 0x55 ||
    b[s + 3] !== 0x20
  ) {
    return -1;
  }
  if (b[e - 4] !== 0x2f || b[e - 3] !== 0x4b || b[e - 2] !== 0x56 || b[e - 1] !== 0x4d) return -1;
  let v = 0;
  for (let i = s + 4; i < e - 4; i++) {
    const d = (b[i] as number) - 0x30;
    if (d < 0 || d > 9 || i - s > 13) return -1;
    v = v * 10 + d;
  }
  return e - 4 > s + 4 ? v : -1;
}

/** Starts the state's exit from a `kvm_exit` line. */
export function storeExit(st: VcpuState, r: LineRecord, line: number): void {
  st.open = true;
  st.line = line;
  st.sec = r.sec;
  st.nsec = r.nsec;
  st.pid = r.pid;
  st.cpu = r.cpu;
  st.vcpu = r.vcpu >= 0 ? r.vcpu : vcpuFromTask(r);
  st.exitArch = r.exitArch;
  st.reason = r.reason;
  st.hi.set(r.hi);
  st.lo.set(r.lo);
  st.set = r.set;
  st.n0 = r.n0;
  st.n1 = r.n1;
  st.n2 = r.n2;
  st.n3 = r.n3;
  st.n4 = r.n4;
  st.n5 = r.n5;
  st.seen = 0;
  st.companions = 0;
  st.cv[MMIO_N] = 0;
  st.cv[MW_LEN] = ABSENT;
  st.cv[MR_LEN] = ABSENT;
  st.cv[EI_LEN] = 0;
  st.extra = undefined;
}

function copy64(st: VcpuState, off: number, r: LineRecord, slot: number): void {
  st.cv[off] = r.hi[slot] as number;
  st.cv[off + 1] = r.lo[slot] as number;
}

/** Joins a companion event to the state (the first of each kind wins, except reads of kvm_mmio, whose completion is last). */
export function storeCompanion(st: VcpuState, r: LineRecord): void {
  const id = r.event;
  const first = !st.saw(id);
  st.seen |= 1 << id;
  st.companions++;
  const cv = st.cv;
  switch (id) {
    case EV_PAGE_FAULT:
      if (!first) return;
      copy64(st, PF_ADDR, r, 1);
      if (r.has(2)) copy64(st, PF_ERR, r, 2);
      else st.put64(PF_ERR, 0xffff_ffff, 0xffff_ffff);
      return;
    case EV_EMULATE_INSN:
      // the last decode wins: KVM re-emulates after a userspace round trip
      cv[EI_LEN] = r.n1;
      cv[EI_MODE] = r.n2;
      cv[EI_FAILED] = r.n3;
      st.bytes.set(r.bytes);
      return;
    case EV_MMIO:
      cv[MMIO_N] = (cv[MMIO_N] as number) + 1;
      if (r.n0 === 2) {
        // the first write is the access (a second one is another fragment or instruction)
        if (cv[MW_LEN] !== ABSENT) return;
        copy64(st, MW_GPA, r, 1);
        if (r.has(2)) copy64(st, MW_VAL, r, 2);
        else st.put64(MW_VAL, 0, 0);
        cv[MW_LEN] = r.n1;
      } else {
        // a read's value arrives after the userspace round trip: the last read wins
        copy64(st, MR_GPA, r, 1);
        if (r.has(2)) copy64(st, MR_VAL, r, 2);
        else st.put64(MR_VAL, 0, 0);
        cv[MR_LEN] = r.n1;
        cv[MR_TYPE] = r.n0;
      }
      return;
    case EV_FAST_MMIO:
      if (first) copy64(st, FAST_GPA, r, 1);
      return;
    case EV_PIO:
      // an IN's value arrives after the userspace round trip: the last event wins
      cv[PIO_RW] = r.n0;
      cv[PIO_PORT] = r.n1;
      cv[PIO_SIZE] = r.n2;
      cv[PIO_COUNT] = r.n3;
      cv[PIO_HAS_VAL] = r.has(2) ? 1 : 0;
      cv[PIO_VAL] = r.lo[2] as number;
      return;
    case EV_MSR:
      cv[MSR_W] = r.n0;
      cv[MSR_INDEX] = r.n1;
      copy64(st, MSR_DATA, r, 2);
      cv[MSR_GP] = r.n2;
      return;
    case EV_HYPERCALL:
      if (!first) return;
      for (let i = 0; i < 5; i++) copy64(st, HC + 2 * i, r, i);
      return;
    case EV_APIC_IPI:
      if (!first) return;
      cv[IPI_DST] = r.n0;
      cv[IPI_ICR] = r.n1;
      return;
    case EV_APIC:
      if (!first) return;
      cv[APIC_RW] = r.n0;
      cv[APIC_REG] = r.n1;
      copy64(st, APIC_VAL, r, 2);
      return;
    case EV_AVIC_IPI:
      if (!first) return;
      cv[AVI_ICRH] = r.n0;
      cv[AVI_ICRL] = r.n1;
      cv[AVI_ID] = r.n2;
      cv[AVI_INDEX] = r.n3;
      return;
    case EV_AVIC_ACCESS:
      if (!first) return;
      cv[AVA_OFFSET] = r.n0;
      cv[AVA_TRAP] = r.n1;
      cv[AVA_WRITE] = r.n2;
      cv[AVA_VEC] = r.n3;
      return;
    case EV_GUEST_FAULT:
      if (!first) return;
      copy64(st, GF_IPA, r, 1);
      cv[GF_RISCV] = r.n0;
      if (r.n0 === 0) {
        copy64(st, GF_ESR, r, 2);
        copy64(st, GF_FAR, r, 3);
      }
      return;
    case EV_HANDLE_SYS_REG:
      if (first) copy64(st, SR_ESR, r, 2);
      return;
    case EV_SYS_ACCESS:
      if (!first) return;
      cv[SA_OPS] = r.n0;
      cv[SA_OPS + 1] = r.n1;
      cv[SA_OPS + 2] = r.n2;
      cv[SA_OPS + 3] = r.n3;
      cv[SA_OPS + 4] = r.n4;
      cv[SA_WRITE] = r.n5;
      return;
    case EV_HVC_ARM64:
      if (!first) return;
      copy64(st, HVC_X0, r, 1);
      copy64(st, HVC_IMM, r, 2);
      return;
    case EV_WFX_ARM64:
      if (first) cv[WFX_E] = r.n0;
      return;
    case EV_MMIO_EMULATE:
      if (first) copy64(st, EMU_INSN, r, 1);
      return;
    case EV_SBI_ECALL:
      if (!first) return;
      copy64(st, SBI_EXT, r, 1);
      copy64(st, SBI_FID, r, 2);
      copy64(st, SBI_A0, r, 3);
      return;
    default:
      return;
  }
}
