import type { DecodeOptionsOf, SnapshotOf } from "../codecs";
import type { Arch, RegValue } from "../core/decoded";
import type { MmioReadExit, SysRegReadExit } from "../core/exit";

/** The x86 exit formats: they share the register file, the MOV decoder and RDMSR's EDX:EAX. */
export type X86Arch = Extract<Arch, `x86-${string}`>;

/** One register write: the architectural register number and its whole new content. */
export interface RegisterWrite {
  /** The register written: x86 0–15 (RAX…R15 in encoding order), AArch64 X0–X30, RISC-V x1–x31. */
  readonly reg: number;
  /** The register's whole new value (64 bits; 32 on RV32). */
  readonly value: bigint;
}

/** What RDMSR writes: EDX:EAX, each zero-extended into its 64-bit register. */
export interface X86MsrWrite {
  /** The new RAX: bits 31:0 of the MSR value, bits 63:32 cleared. */
  readonly rax: bigint;
  /** The new RDX: bits 63:32 of the MSR value, bits 63:32 cleared. */
  readonly rdx: bigint;
}

/**
 * What completing a read returns on `A`: always a write on x86; on AArch64 and RISC-V `undefined`
 * when the destination is the zero register (XZR, x0), whose writes the architecture discards.
 */
export type ReadCompletion<A extends Arch> = A extends X86Arch
  ? RegisterWrite
  : RegisterWrite | undefined;

/** What completing a system-register read returns on `A`: EDX:EAX on x86, else a register write. */
export type SysRegReadCompletion<A extends Arch> = A extends X86Arch
  ? X86MsrWrite
  : RegisterWrite | undefined;

/** How one architecture completes exits: an entry of the completion table, one per `Arch`. */
export interface ArchCompletion<A extends Arch> {
  /** The register write a `MmioRead` that returned `data` makes (`old`: the register's value). */
  readonly mmioRead: (
    exit: MmioReadExit,
    data: RegValue,
    old: RegValue | undefined,
  ) => ReadCompletion<A>;
  /** The register writes a `SysRegRead` that returned `value` makes. */
  readonly sysRegRead: (exit: SysRegReadExit, value: RegValue) => SysRegReadCompletion<A>;
  /** The bytes to add to the PC to step over the trapping instruction. */
  readonly instructionLength: (
    snapshot: SnapshotOf<A>,
    options: DecodeOptionsOf<A> | undefined,
  ) => number;
}
