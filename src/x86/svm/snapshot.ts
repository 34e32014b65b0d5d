import type { OptionSpec } from "../../core/codec";
import type { IsMmio, RegValue } from "../../core/decoded";
import type { X86CpuMode } from "../insn/access";
import {
  APIC_BASE_OPTION,
  CPU_MODE_OPTION,
  HYPERCALL_ABI_OPTION,
  IS_MMIO_OPTION,
  type X86HypercallAbi,
} from "../options";
import type { X86Regs } from "../regs";

/**
 * Raw SVM #VMEXIT state as the VMCB holds it (control-area offsets in the comments) plus the guest
 * registers the VMCB does not hold and the interrupt vector the host acknowledged.
 */
export interface SvmSnapshot {
  /** EXITCODE (VMCB 0x070), a u64: VMEXIT_INVALID is 2^64 − 1. */
  readonly exitCode: RegValue;
  /** EXITINFO1 (0x078). */
  readonly exitInfo1?: RegValue;
  /** EXITINFO2 (0x080). */
  readonly exitInfo2?: RegValue;
  /** EXITINTINFO (0x088): the event whose delivery the exit interrupted (EVENTINJ layout). */
  readonly exitIntInfo?: number;
  /** The EXITINTINFO error code (0x08C), valid when EXITINTINFO bits 31 and 11 are set. */
  readonly exitIntInfoErrorCode?: number;
  /** NEXT_RIP (0x0C8), with NRIP save: the address of the next instruction. */
  readonly nextRip?: RegValue;
  /** The decode-assist instruction bytes (count at 0x0D0, bytes from 0x0D1), or guest bytes at RIP. */
  readonly instructionBytes?: Uint8Array | readonly number[];
  /** The vector the host acknowledged after an INTR exit (SVM does not report it). */
  readonly interruptVector?: number;
  /** The GHCB GPA field (0x0A0): the GHCB MSR of an SEV-ES guest, for VMGEXIT. */
  readonly ghcbGpa?: RegValue;
  /** Guest general-purpose registers and RIP (the VMCB save area holds RAX, RSP and RIP). */
  readonly regs?: X86Regs;
}

/** Options of `decodeSvm`, `decodeSvmExit`, `decodeSvmVmcb` and `explainSvm`. */
export interface SvmDecodeOptions {
  /** Hypercall register convention (default `"axvisor"`). */
  readonly hypercallAbi?: X86HypercallAbi;
  /** Guest mode for instruction decode (default 64). */
  readonly cpuMode?: X86CpuMode;
  /** Guest-physical base of the APIC page for AVIC accesses (default 0xFEE00000, 4 KiB aligned). */
  readonly apicBase?: bigint;
  /** Whether a faulting guest-physical address is emulated MMIO (default: every decodable access is). */
  readonly isMmio?: IsMmio;
  /** The guest's APIC is in x2APIC mode: an AVIC ICR's destination is bits 63:32, not 63:56 (default false). */
  readonly x2apic?: boolean;
}

/** Options of `encodeSvm` and `canEncodeSvm` (the same meaning as for `decodeSvm`). */
export interface SvmEncodeOptions {
  /** Hypercall register convention to encode for (default `"axvisor"`). */
  readonly hypercallAbi?: X86HypercallAbi;
  /** Guest mode the MMIO instruction bytes and the I/O address size are encoded for (default 64). */
  readonly cpuMode?: X86CpuMode;
}

/** `x2apic`: the guest APIC mode an AVIC incomplete IPI's ICR is read in. */
const X2APIC_OPTION: OptionSpec = {
  key: "x2apic",
  cli: "x2apic",
  value: { type: "boolean" },
  help: "the guest APIC is in x2APIC mode (AVIC ICR destination in bits 63:32)",
};

/** The options of `decodeSvm`, `decodeSvmExit` and `explainSvm`, as data (`checkOptions` reads them). */
export const SVM_DECODE_OPTIONS: readonly OptionSpec[] = [
  HYPERCALL_ABI_OPTION,
  CPU_MODE_OPTION,
  APIC_BASE_OPTION,
  IS_MMIO_OPTION,
  X2APIC_OPTION,
];

/** The options of `encodeSvm` and `canEncodeSvm`, as data. */
export const SVM_ENCODE_OPTIONS: readonly OptionSpec[] = [HYPERCALL_ABI_OPTION, CPU_MODE_OPTION];
