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

/** Raw VMX exit state as read from the VMCS (field encodings in the comments) plus guest registers. */
export interface VmxSnapshot {
  /** Full 32-bit VM-exit reason (VMCS 0x4402). */
  readonly exitReason: number;
  /** Exit qualification (0x6400). */
  readonly exitQualification?: RegValue;
  /** Guest-physical address (0x2400), for EPT violations and misconfigurations. */
  readonly guestPhysicalAddress?: RegValue;
  /** Guest linear address (0x640A). */
  readonly guestLinearAddress?: RegValue;
  /** VM-exit interruption information (0x4404). */
  readonly exitInterruptionInfo?: number;
  /** VM-exit interruption error code (0x4406). */
  readonly exitInterruptionErrorCode?: number;
  /** IDT-vectoring information (0x4408). */
  readonly idtVectoringInfo?: number;
  /** VM-exit instruction length (0x440C). */
  readonly instructionLength?: number;
  /** VM-exit instruction information (0x440E). */
  readonly instructionInfo?: number;
  /** Guest bytes at RIP, for decoding the MMIO instruction. */
  readonly instructionBytes?: Uint8Array | readonly number[];
  /** Guest general-purpose registers and RIP. */
  readonly regs?: X86Regs;
}

/** Options of `decodeVmx`, `decodeVmxExit` and `explainVmx`. */
export interface VmxDecodeOptions {
  /** Hypercall register convention (default `"axvisor"`). */
  readonly hypercallAbi?: X86HypercallAbi;
  /** Guest mode for instruction decode (default 64). */
  readonly cpuMode?: X86CpuMode;
  /** Guest-physical base of the APIC page for APIC-access exits (default 0xFEE00000, 4 KiB aligned). */
  readonly apicBase?: bigint;
  /** Whether a faulting guest-physical address is emulated MMIO (default: every decodable access is). */
  readonly isMmio?: IsMmio;
}

/** Options of `encodeVmx` and `canEncodeVmx` (the same meaning as for `decodeVmx`). */
export interface VmxEncodeOptions {
  /** Hypercall register convention to encode for (default `"axvisor"`). */
  readonly hypercallAbi?: X86HypercallAbi;
  /** Guest mode the MMIO instruction bytes are encoded for (default 64). */
  readonly cpuMode?: X86CpuMode;
}

/** The options of `decodeVmx`, `decodeVmxExit` and `explainVmx`, as data (`checkOptions` reads them). */
export const VMX_DECODE_OPTIONS: readonly OptionSpec[] = [
  HYPERCALL_ABI_OPTION,
  CPU_MODE_OPTION,
  APIC_BASE_OPTION,
  IS_MMIO_OPTION,
];

/** The options of `encodeVmx` and `canEncodeVmx`, as data. */
export const VMX_ENCODE_OPTIONS: readonly OptionSpec[] = [HYPERCALL_ABI_OPTION, CPU_MODE_OPTION];
