import type { CauseBase, DecodedExit } from "../core/decoded";
import type { VmExit } from "../core/exit";
import type { RiscvPseudoInstruction } from "./insn/format";
import type { RiscvHtinstKind } from "./insn/htinst";
import type { RiscvInstruction } from "./insn/instruction";
import type { RiscvXlen } from "./snapshot";

/** Fields every RISC-V cause has besides the base (`arch`, `code`, `name`, `class`). */
export interface RiscvCauseCommon<K extends string = string> extends CauseBase<"riscv", K> {
  /** XLEN the snapshot was decoded with. */
  readonly xlen: RiscvXlen;
  /** The raw scause value. */
  readonly scause: bigint;
  /** The privileged spec's description of the code. */
  readonly description: string;
}

/** An interrupt (scause bit XLEN−1 set). */
export interface RiscvInterruptCause extends RiscvCauseCommon<"interrupt"> {
  /** True for codes ≥ 16 (designated for platform use). */
  readonly platform: boolean;
}

/** An SBI call dissected: a7 = EID, a6 = FID, a0…a5 = arguments. */
export interface SbiCall {
  /** Extension ID as an unsigned 32-bit number, or `undefined` when a7 is not a sign-extended 32-bit value. */
  readonly eid: number | undefined;
  /** Function ID as an unsigned 32-bit number (`undefined` for legacy calls, absent a6, or a6 not a 32-bit value). */
  readonly fid: number | undefined;
  /** Extension name (`HSM`, `legacy`, `vendor`, `hypercall`, …), `undefined` when unknown. */
  readonly extension: string | undefined;
  /** Function name, `undefined` when unknown. */
  readonly function: string | undefined;
  /** True for the legacy (v0.1) extensions 0x00–0x0F. */
  readonly legacy: boolean;
  /** True when a7 is the configured hypercall EID. */
  readonly hypercall: boolean;
  /** a0…a5 as supplied (`undefined` where absent). */
  readonly args: readonly [
    bigint | undefined,
    bigint | undefined,
    bigint | undefined,
    bigint | undefined,
    bigint | undefined,
    bigint | undefined,
  ];
  /** a6 as supplied. */
  readonly a6: bigint | undefined;
  /** a7 as supplied. */
  readonly a7: bigint;
}

/** ECALL from VS-mode (code 10): an SBI call. */
export interface RiscvSbiCallCause extends RiscvCauseCommon<"sbi-call"> {
  /** The SBI call. */
  readonly sbi: SbiCall;
}

/** Instruction, load or store/AMO guest-page fault (codes 20, 21, 23). */
export interface RiscvGuestPageFaultCause extends RiscvCauseCommon<"guest-page-fault"> {
  /** Which access faulted. */
  readonly access: "fetch" | "load" | "store";
  /** Guest-physical address: (htval << 2) | (stval & 3). */
  readonly gpa: bigint;
  /** stval: the faulting guest-virtual address. */
  readonly stval: bigint;
  /** htval: GPA >> 2. */
  readonly htval: bigint;
  /** htinst as supplied (0 when absent). */
  readonly htinst: bigint;
  /** What htinst held. */
  readonly htinstKind: RiscvHtinstKind;
  /** The pseudo-instruction's meaning when htinst held one (implicit VS-stage page-table access). */
  readonly pseudo: RiscvPseudoInstruction | undefined;
  /** The decoded instruction (from htinst, else `snapshot.instruction`), when one was available. */
  readonly instruction: RiscvInstruction | undefined;
  /** Why the fault stayed a `NestedPageFault`; `undefined` when it is MMIO (`MmioRead` / `MmioWrite`). */
  readonly notMmio: string | undefined;
}

/** Virtual-instruction trap (code 22). */
export interface RiscvVirtualInstructionCause extends RiscvCauseCommon<"virtual-instruction"> {
  /** stval as supplied (0 when absent). */
  readonly stval: bigint;
  /** The decoded instruction (from stval, else `snapshot.instruction`), when one was available. */
  readonly instruction: RiscvInstruction | undefined;
  /** CSR number for CSR instructions. */
  readonly csr: number | undefined;
  /** CSR name, when it is a common standard CSR. */
  readonly csrName: string | undefined;
}

/** Any other exception (codes 0–19 other than 10, and custom-use codes). */
export interface RiscvExceptionCause extends RiscvCauseCommon<"exception"> {
  /** True for codes designated for custom use (24–31, 48–63). */
  readonly custom: boolean;
  /** stval as supplied. */
  readonly stval: bigint | undefined;
}

/** The dissected cause of a RISC-V trap, discriminated by `class`. */
export type RiscvCause =
  | RiscvInterruptCause
  | RiscvSbiCallCause
  | RiscvGuestPageFaultCause
  | RiscvVirtualInstructionCause
  | RiscvExceptionCause;

/** The exit classes of a RISC-V cause (the values of `cause.class`). */
export type RiscvCauseClass = RiscvCause["class"];

/** What a class decoder returns: the exit, or (asked for the cause) the exit and its cause. */
export type ClassResult = VmExit | DecodedExit<RiscvCause>;
