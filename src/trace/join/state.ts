// The open exit of one vCPU: the numbers of its `kvm_exit` line and of the companion events joined
// to it so far, kept in typed arrays so that a state is reused from exit to exit (no allocation
// per line).
import { SLOTS } from "../scan/record";
import type { X86Reason } from "../scan/x86-reason";

// Offsets into `VcpuState.cv`; a 64-bit value takes two words (high, low).
/** `kvm_page_fault` address (GPA). */
export const PF_ADDR = 0;
/** `kvm_page_fault` error code. */
export const PF_ERR = 2;
/** First `kvm_mmio` write: gpa. */
export const MW_GPA = 4;
/** First `kvm_mmio` write: value. */
export const MW_VAL = 6;
/** First `kvm_mmio` write: length. */
export const MW_LEN = 8;
/** Last `kvm_mmio` read (or unsatisfied read): gpa. */
export const MR_GPA = 9;
/** Last `kvm_mmio` read: value. */
export const MR_VAL = 11;
/** Last `kvm_mmio` read: length. */
export const MR_LEN = 13;
/** Last `kvm_mmio` read: type (0 unsatisfied, 1 read). */
export const MR_TYPE = 14;
/** Number of `kvm_mmio` events. */
export const MMIO_N = 15;
/** `kvm_fast_mmio` gpa. */
export const FAST_GPA = 16;
/** `kvm_pio`: 1 for a write. */
export const PIO_RW = 18;
/** `kvm_pio` port. */
export const PIO_PORT = 19;
/** `kvm_pio` size. */
export const PIO_SIZE = 20;
/** `kvm_pio` count. */
export const PIO_COUNT = 21;
/** `kvm_pio` value. */
export const PIO_VAL = 22;
/** `kvm_pio`: 1 when the value was printed. */
export const PIO_HAS_VAL = 23;
/** `kvm_msr`: 1 for a write. */
export const MSR_W = 24;
/** `kvm_msr` index. */
export const MSR_INDEX = 25;
/** `kvm_msr` data. */
export const MSR_DATA = 26;
/** `kvm_msr`: 1 when the access raised #GP. */
export const MSR_GP = 28;
/** `kvm_hypercall` nr, a0…a3 (five 64-bit values). */
export const HC = 29;
/** `kvm_apic_ipi` destination. */
export const IPI_DST = 39;
/** `kvm_apic_ipi` ICR low, rebuilt. */
export const IPI_ICR = 40;
/** `kvm_apic`: 1 for a write. */
export const APIC_RW = 41;
/** `kvm_apic` register offset. */
export const APIC_REG = 42;
/** `kvm_apic` value. */
export const APIC_VAL = 43;
/** `kvm_avic_incomplete_ipi` ICR high. */
export const AVI_ICRH = 45;
/** `kvm_avic_incomplete_ipi` ICR low. */
export const AVI_ICRL = 46;
/** `kvm_avic_incomplete_ipi` id. */
export const AVI_ID = 47;
/** `kvm_avic_incomplete_ipi` index. */
export const AVI_INDEX = 48;
/** `kvm_avic_unaccelerated_access` offset. */
export const AVA_OFFSET = 49;
/** `kvm_avic_unaccelerated_access`: 1 for a trap. */
export const AVA_TRAP = 50;
/** `kvm_avic_unaccelerated_access`: 1 for a write. */
export const AVA_WRITE = 51;
/** `kvm_avic_unaccelerated_access` vector. */
export const AVA_VEC = 52;
/** `kvm_guest_fault` IPA (RISC-V: GPA). */
export const GF_IPA = 53;
/** `kvm_guest_fault` hsr (ESR_EL2). */
export const GF_ESR = 55;
/** `kvm_guest_fault` hxfar (FAR_EL2). */
export const GF_FAR = 57;
/** `kvm_guest_fault`: 1 for RISC-V's variant (GPA only). */
export const GF_RISCV = 59;
/** `kvm_handle_sys_reg` ESR_EL2. */
export const SR_ESR = 60;
/** `kvm_sys_access` Op0, Op1, CRn, CRm, Op2. */
export const SA_OPS = 62;
/** `kvm_sys_access`: 1 for a write. */
export const SA_WRITE = 67;
/** `kvm_hvc_arm64` x0. */
export const HVC_X0 = 68;
/** `kvm_hvc_arm64` immediate. */
export const HVC_IMM = 70;
/** `kvm_wfx_arm64`: 1 for WFE. */
export const WFX_E = 72;
/** `kvm_mmio_emulate` instruction word. */
export const EMU_INSN = 73;
/** `kvm_sbi_ecall` extension (a7). */
export const SBI_EXT = 75;
/** `kvm_sbi_ecall` function (a6). */
export const SBI_FID = 77;
/** `kvm_sbi_ecall` a0. */
export const SBI_A0 = 79;
/** `kvm_emulate_insn` byte count (0: not printed as hex). */
export const EI_LEN = 81;
/** `kvm_emulate_insn` CPU mode (16, 32, 64; 0 unknown). */
export const EI_MODE = 82;
/** `kvm_emulate_insn`: 1 when emulation failed. */
export const EI_FAILED = 83;
const CV_WORDS = 84;

/** The open (or last) exit of one vCPU and what its companions said. */
export class VcpuState {
  /** The pairing key. */
  key: number | string = 0;
  /** True between the `kvm_exit` and its close. */
  open = false;
  /** Line number of the `kvm_exit`. */
  line = 0;
  /** Timestamp of the `kvm_exit` (seconds; -1 without one). */
  sec = -1;
  /** Timestamp nanoseconds. */
  nsec = 0;
  /** Thread id of the `kvm_exit` line, or -1. */
  pid = -1;
  /** Host CPU of the `kvm_exit` line, or -1. */
  cpu = -1;
  /** vCPU id (the `vcpu` field, or QEMU's `CPU n/KVM` thread name), or -1. */
  vcpu = -1;
  /** The exit format (`EXIT_*`). */
  exitArch = 0;
  /** x86: the reason. */
  reason: X86Reason | undefined = undefined;
  /** The exit line's 64-bit values, high halves. */
  readonly hi = new Uint32Array(SLOTS);
  /** The exit line's 64-bit values, low halves. */
  readonly lo = new Uint32Array(SLOTS);
  /** Which exit-line slots were read. */
  set = 0;
  /** The exit line's small fields. */
  n0 = 0;
  /** The exit line's small fields. */
  n1 = 0;
  /** The exit line's small fields. */
  n2 = 0;
  /** The exit line's small fields. */
  n3 = 0;
  /** The exit line's small fields. */
  n4 = 0;
  /** The exit line's small fields. */
  n5 = 0;
  /** Bit `1 << event id`: that companion event was joined. */
  seen = 0;
  /** Companion events joined. */
  companions = 0;
  /** Companion values (offsets above). */
  readonly cv = new Uint32Array(CV_WORDS);
  /** `kvm_emulate_insn` bytes. */
  readonly bytes = new Uint8Array(15);
  /** What the item reader keeps (the parsed line and joined events); unused by statistics. */
  extra: unknown = undefined;

  /** True when companion event `id` was joined. */
  saw(id: number): boolean {
    return (this.seen & (1 << id)) !== 0;
  }

  /** Stores a 64-bit value at `off`. */
  put64(off: number, hi: number, lo: number): void {
    this.cv[off] = hi;
    this.cv[off + 1] = lo;
  }

  /** True when exit slot `i` was read. */
  has(i: number): boolean {
    return (this.set & (1 << i)) !== 0;
  }
}
