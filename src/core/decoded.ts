import type { VmExit } from "./exit";

/** The architectures vmexit decodes. */
export type Arch = "x86-vmx" | "aarch64" | "riscv";

/** The architectures, in the order of this list. */
export const ARCHES = ["x86-vmx", "aarch64", "riscv"] as const satisfies readonly Arch[];

/** A register value as a decoder accepts it: a bigint, or a non-negative safe integer. */
export type RegValue = bigint | number;

/** What every arch-specific cause has: the arch, its raw class number and the Linux trace name. */
export interface CauseBase<A extends Arch = Arch> {
  /** Which decoder produced it. */
  readonly arch: A;
  /** The raw class number: VMX basic reason, ESR EC, or scause exception/interrupt code. */
  readonly code: number;
  /** The name Linux's `kvm_exit` tracepoint prints, else the architecture's name. */
  readonly name: string;
}

/** A decoder's result: the typed exit and the arch-specific cause that explains it. */
export interface DecodedExit<C> {
  /** The exit in the shared vocabulary. */
  readonly exit: VmExit;
  /** What the hardware reported, dissected. */
  readonly cause: C;
}

/** Caller-supplied test of whether a faulting guest-physical address is emulated MMIO. */
export type IsMmio = (gpa: bigint) => boolean;
