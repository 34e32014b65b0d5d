import type { VmExit } from "./exit";

/** The exit formats vmexit decodes, one codec each (the keys of `codecs`). */
export type Arch = "x86-vmx" | "x86-svm" | "aarch64" | "riscv";

/** A register value as a decoder accepts it: a bigint, or a non-negative safe integer. */
export type RegValue = bigint | number;

/**
 * What every arch-specific cause has: the arch, its raw class number, the Linux trace name and
 * `class`, the string that names the exit class so that a cause narrows with one `switch`.
 */
export interface CauseBase<A extends Arch = Arch, K extends string = string> {
  /** Which decoder produced it. */
  readonly arch: A;
  /** The raw class number: VMX basic reason, SVM exit code, ESR EC, or scause code. */
  readonly code: number;
  /** The name Linux's `kvm_exit` tracepoint prints, else the architecture's name. */
  readonly name: string;
  /** The exit class (`"ept-violation"`, `"io"`, `"data-abort"`, `"sbi-call"`, …): the discriminant. */
  readonly class: K;
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
