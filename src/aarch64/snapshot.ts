import type { IsMmio, RegValue } from "../core/decoded";

/** How the exception reached EL2: a synchronous trap, or an IRQ, FIQ or SError. */
export type Aarch64Exception = "sync" | "irq" | "fiq" | "serror";

/** Raw AArch64 exit state as a hypervisor at EL2 sees it. */
export interface Aarch64Snapshot {
  /** ESR_EL2, 64-bit (ISS2 in bits 55:32). */
  readonly esr: RegValue;
  /** FAR_EL2: the faulting virtual address (bits 11:0 complete the IPA). */
  readonly far?: RegValue;
  /** HPFAR_EL2: FIPA in bits 47:4 = IPA bits 55:12. */
  readonly hpfar?: RegValue;
  /** The guest's x0…x30 (index 31 is XZR and never read). */
  readonly x?: readonly (RegValue | undefined)[];
  /** Which exception was taken; default `"sync"`. */
  readonly exception?: Aarch64Exception;
  /** The INTID the host acknowledged, for `irq` / `fiq`. */
  readonly irq?: RegValue;
  /** The A64 instruction word at the faulting PC, for data aborts with ISV = 0. */
  readonly instruction?: number;
}

/** Options of `decodeAarch64`. */
export interface Aarch64DecodeOptions {
  /** Whether a faulting IPA is emulated MMIO; when it returns false the fault is a `NestedPageFault`. */
  readonly isMmio?: IsMmio;
}

/** Options of `encodeAarch64` and `canEncodeAarch64`: there are none (an empty object is accepted). */
export type Aarch64EncodeOptions = Readonly<Record<string, never>>;
