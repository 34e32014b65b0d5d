import type { IsMmio, RegValue } from "../../core/decoded";

/** The guest general-purpose registers (and RIP) a VMX snapshot may carry, by lowercase name. */
export type X86Reg =
  | "rax"
  | "rbx"
  | "rcx"
  | "rdx"
  | "rsi"
  | "rdi"
  | "rbp"
  | "rsp"
  | "r8"
  | "r9"
  | "r10"
  | "r11"
  | "r12"
  | "r13"
  | "r14"
  | "r15"
  | "rip";

/** Register names in x86 encoding order (index 0–15 = RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8…R15). */
export const X86_REG_NAMES: readonly X86Reg[] = [
  "rax",
  "rcx",
  "rdx",
  "rbx",
  "rsp",
  "rbp",
  "rsi",
  "rdi",
  "r8",
  "r9",
  "r10",
  "r11",
  "r12",
  "r13",
  "r14",
  "r15",
];

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
  readonly regs?: Partial<Record<X86Reg, RegValue>>;
}

/** Which register convention a VMCALL uses: Axvisor (RDI, RSI, RDX, RCX, R8, R9) or KVM (RBX, RCX, RDX, RSI). */
export type VmxHypercallAbi = "axvisor" | "kvm";

/** The guest's execution mode, which decides default operand and address sizes of instruction decode. */
export type X86CpuMode = 16 | 32 | 64;

/** Options of `decodeVmx`. */
export interface VmxDecodeOptions {
  /** Hypercall register convention (default `"axvisor"`). */
  readonly hypercallAbi?: VmxHypercallAbi;
  /** Guest mode for instruction decode (default 64). */
  readonly cpuMode?: X86CpuMode;
  /** Guest-physical base of the APIC page for APIC-access exits (default 0xFEE00000). */
  readonly apicBase?: bigint;
  /** Whether a faulting guest-physical address is emulated MMIO (default: every decodable access is). */
  readonly isMmio?: IsMmio;
}

/** Options of `encodeVmx` and `canEncodeVmx` (the same meaning as for `decodeVmx`). */
export interface VmxEncodeOptions {
  /** Hypercall register convention to encode for (default `"axvisor"`). */
  readonly hypercallAbi?: VmxHypercallAbi;
  /** Guest mode the MMIO instruction bytes are encoded for (default 64). */
  readonly cpuMode?: X86CpuMode;
}
