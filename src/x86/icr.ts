import { nothing } from "../core/constructors";
import { VmExitError } from "../core/error";
import type { VmExit } from "../core/exit";
import { hex } from "../core/u64";
import * as unchecked from "../core/unchecked";

/** The x2APIC interrupt command register MSR (0x800 + (0x300 >> 4)). */
export const X86_X2APIC_ICR_MSR = 0x830;

/** The x2APIC broadcast destination: ICR[63:32] = 0xFFFFFFFF reaches every CPU, self included (Linux `X2APIC_BROADCAST`). */
export const X86_X2APIC_BROADCAST = 0xffff_ffff;

/** ICR delivery mode names indexed by bits 10:8 (Linux `kvm_deliver_mode`; 3 is reserved). */
export const X86_ICR_DELIVERY_MODES = [
  "Fixed",
  "LowestPrio",
  "SMI",
  "reserved",
  "NMI",
  "INIT",
  "StartUp",
  "ExtINT",
] as const;

/** An ICR delivery mode name. */
export type X86IcrDeliveryMode = (typeof X86_ICR_DELIVERY_MODES)[number];

/** ICR destination shorthand names indexed by bits 19:18. */
export const X86_ICR_SHORTHANDS = [
  "none",
  "self",
  "all-including-self",
  "all-excluding-self",
] as const;

/** An ICR destination shorthand. */
export type X86IcrShorthand = (typeof X86_ICR_SHORTHANDS)[number];

/** A 64-bit x2APIC ICR value (WRMSR 0x830, EDX:EAX), dissected. */
export interface X86ApicIcr {
  /** Bits 7:0: vector (for Start-up: the start page). */
  readonly vector: number;
  /** Bits 10:8: delivery mode. */
  readonly deliveryMode: X86IcrDeliveryMode;
  /** Bit 11: destination mode. */
  readonly destinationMode: "physical" | "logical";
  /** Bit 14: level (1 = assert). */
  readonly level: "assert" | "deassert";
  /** Bit 15: trigger mode. */
  readonly triggerMode: "edge" | "level";
  /** Bits 19:18: destination shorthand. */
  readonly shorthand: X86IcrShorthand;
  /** Bits 63:32: destination (x2APIC ID, or logical cluster/bitmap). */
  readonly destination: number;
}

/** Dissects an ICR given as its low (EAX) and high (EDX) halves. */
export function dissectIcr(lo: number, hi: number): X86ApicIcr {
  return {
    vector: lo & 0xff,
    deliveryMode: X86_ICR_DELIVERY_MODES[(lo >>> 8) & 7] as X86IcrDeliveryMode,
    destinationMode: (lo & 0x800) === 0 ? "physical" : "logical",
    level: (lo & 0x4000) === 0 ? "deassert" : "assert",
    triggerMode: (lo & 0x8000) === 0 ? "edge" : "level",
    shorthand: X86_ICR_SHORTHANDS[(lo >>> 18) & 3] as X86IcrShorthand,
    destination: hi >>> 0,
  };
}

/** The exit an x2APIC ICR write means, with a note when it is `Nothing`. */
export interface X86IcrOutcome {
  /** `SendIPI`, `CpuUp` or `Nothing`. */
  readonly exit: VmExit;
  /** Why the write is `Nothing`, when it is. */
  readonly detail?: string;
}

/**
 * Maps an ICR write to `SendIPI` (Fixed, LowestPrio, NMI), `CpuUp` (Start-up to one physical APIC ID)
 * or `Nothing` (INIT, SMI, ExtINT, and Start-up to a set of CPUs). A destination of 0xFFFFFFFF with
 * no shorthand is the x2APIC broadcast: all CPUs including self.
 */
export function icrExit(icr: X86ApicIcr, lo: number): X86IcrOutcome {
  const mode = (lo >>> 8) & 7;
  const shorthand = (lo >>> 18) & 3;
  const broadcast = shorthand === 0 && icr.destination === X86_X2APIC_BROADCAST;
  if (mode === 0 || mode === 1 || mode === 4) {
    return {
      exit: unchecked.sendIpi(
        BigInt(icr.destination),
        0n,
        shorthand >= 2 || broadcast,
        shorthand === 1 || shorthand === 2 || broadcast,
        BigInt(mode === 4 ? 2 : icr.vector),
      ),
    };
  }
  if (mode === 6) {
    if (shorthand !== 0) {
      return {
        exit: nothing(),
        detail: `Start-up IPI with shorthand ${icr.shorthand}: CpuUp names one target CPU`,
      };
    }
    if (broadcast) {
      return {
        exit: nothing(),
        detail:
          "Start-up IPI to the x2APIC broadcast destination 0xFFFFFFFF: CpuUp names one target CPU",
      };
    }
    if (icr.destinationMode === "logical") {
      return {
        exit: nothing(),
        detail: `Start-up IPI to logical destination ${hex(icr.destination)}: CpuUp names one APIC ID`,
      };
    }
    return {
      exit: unchecked.cpuUp(BigInt(icr.destination), BigInt(icr.vector << 12), 0n),
    };
  }
  if (mode === 3) {
    throw new VmExitError(
      "reserved-encoding",
      `ICR delivery mode (bits 10:8) 3 is reserved, got ICR low ${hex(lo >>> 0)}`,
      "regs.rax",
    );
  }
  return { exit: nothing(), detail: `${icr.deliveryMode} IPI (ICR delivery mode ${mode})` };
}
