// The local APIC interrupt command register (ICR): its layout as data, and what a write of it
// means as a `VmExit` (shared by the x2APIC WRMSR 0x830 of VMX and SVM and by SVM's AVIC exits).

import { nothing } from "../core/constructors";
import type { ExitOf, VmExit } from "../core/exit";
import { type BitField, bits, field, flag, reserved } from "../core/layout";
import { hex, joinU64 } from "../core/u64";
import * as unchecked from "../core/unchecked";
import { Unencodable } from "./unencodable";

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

/** ICR bits 7:0: the vector (for a Start-up IPI, the start page). */
const ICR_VECTOR: BitField = field("Vector", 7, 0);
/** ICR bits 10:8: the delivery mode. */
export const ICR_DELIVERY_MODE: BitField = field("Delivery mode", 10, 8, X86_ICR_DELIVERY_MODES);
/** ICR bit 11: the destination mode. */
const ICR_DESTINATION_MODE: BitField = flag("Destination mode", 11, "physical", "logical");
/** ICR bit 14: the level (INIT assert / de-assert). */
const ICR_LEVEL: BitField = flag("Level", 14, "de-assert", "assert");
/** ICR bit 15: the trigger mode. */
const ICR_TRIGGER_MODE: BitField = flag("Trigger mode", 15, "edge", "level");
/** ICR bits 19:18: the destination shorthand. */
const ICR_SHORTHAND: BitField = field("Destination shorthand", 19, 18, X86_ICR_SHORTHANDS);
/** ICR bits 63:32: the destination (x2APIC: a 32-bit APIC ID, or a logical cluster and bitmap). */
const ICR_DESTINATION: BitField = field("Destination", 63, 32);

/**
 * The x2APIC ICR, bit by bit (Intel SDM Vol. 3A "Interrupt Command Register"): bit 12 (delivery
 * status) and bits 17:16 (remote read) exist only in xAPIC mode and are reserved here.
 */
export const X86_ICR_LAYOUT: readonly BitField[] = [
  ICR_VECTOR,
  ICR_DELIVERY_MODE,
  ICR_DESTINATION_MODE,
  reserved(13, 12),
  ICR_LEVEL,
  ICR_TRIGGER_MODE,
  reserved(17, 16),
  ICR_SHORTHAND,
  reserved(31, 20),
  ICR_DESTINATION,
];

/** xAPIC ICR bit 12: delivery status (read-only; 1 = send pending). */
const XAPIC_ICR_DELIVERY_STATUS: BitField = flag("Delivery status", 12, "idle", "send pending");
/** xAPIC ICR bits 63:56: the destination (an 8-bit APIC ID, or a logical destination). */
const XAPIC_ICR_DESTINATION: BitField = field("Destination", 63, 56);

/**
 * The xAPIC ICR (MMIO 0x300 low, 0x310 high) as one 64-bit value, bit by bit (Intel SDM Vol. 3A
 * "Interrupt Command Register"): the destination is an 8-bit field in bits 63:56, bit 12 is the
 * delivery status; the remote-read status (17:16) is reserved on current processors.
 */
export const X86_XAPIC_ICR_LAYOUT: readonly BitField[] = [
  ICR_VECTOR,
  ICR_DELIVERY_MODE,
  ICR_DESTINATION_MODE,
  XAPIC_ICR_DELIVERY_STATUS,
  reserved(13, 13),
  ICR_LEVEL,
  ICR_TRIGGER_MODE,
  reserved(17, 16),
  ICR_SHORTHAND,
  reserved(55, 20),
  XAPIC_ICR_DESTINATION,
];

/** The xAPIC broadcast destination: 0xFF reaches every CPU, self included. */
export const X86_XAPIC_BROADCAST = 0xff;

/** A 64-bit ICR value, dissected. */
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
  /** The destination: x2APIC bits 63:32 (an x2APIC ID, or logical cluster/bitmap), xAPIC bits 63:56. */
  readonly destination: number;
}

/** The reserved delivery mode: a write with it is not an IPI (the APIC rejects it). */
export const ICR_RESERVED_DELIVERY_MODE = 3;

/**
 * Dissects an ICR given as its low half (bits 31:0, EAX) and its destination (x2APIC: bits 63:32,
 * EDX; xAPIC: bits 63:56).
 */
export function dissectIcr(lo: number, hi: number): X86ApicIcr {
  return {
    vector: bits(ICR_VECTOR, lo),
    deliveryMode: X86_ICR_DELIVERY_MODES[bits(ICR_DELIVERY_MODE, lo)] as X86IcrDeliveryMode,
    destinationMode: bits(ICR_DESTINATION_MODE, lo) === 0 ? "physical" : "logical",
    level: bits(ICR_LEVEL, lo) === 0 ? "deassert" : "assert",
    triggerMode: bits(ICR_TRIGGER_MODE, lo) === 0 ? "edge" : "level",
    shorthand: X86_ICR_SHORTHANDS[bits(ICR_SHORTHAND, lo)] as X86IcrShorthand,
    destination: bits(ICR_DESTINATION, hi),
  };
}

/**
 * The exit an ICR write means: `SendIPI` for Fixed, LowestPrio and NMI (vector 2); `CpuUp` for a
 * Start-up IPI to one physical APIC ID (entry point = vector << 12); `Nothing` for INIT, SMI,
 * ExtINT and a Start-up IPI to a set of CPUs (`icrNote` says why); `undefined` for the reserved
 * delivery mode 3, which is no IPI at all: the caller reports what the guest did (VMX: the raw
 * MSR write). `lo` is ICR[31:0]; `destination` the destination field (x2APIC: ICR[63:32]);
 * `broadcast` the destination that means every CPU (x2APIC: 0xFFFFFFFF), which with no
 * shorthand reaches all CPUs including self.
 */
export function icrExit(lo: number, destination: number, broadcast: number): VmExit | undefined {
  const mode = bits(ICR_DELIVERY_MODE, lo);
  const shorthand = bits(ICR_SHORTHAND, lo);
  const toAll = shorthand === 0 && destination === broadcast;
  if (mode === 0 || mode === 1 || mode === 4) {
    return unchecked.sendIpi(
      joinU64(destination, 0),
      0n,
      shorthand >= 2 || toAll,
      shorthand === 1 || shorthand === 2 || toAll,
      joinU64(mode === 4 ? 2 : bits(ICR_VECTOR, lo), 0),
    );
  }
  if (mode === ICR_RESERVED_DELIVERY_MODE) return undefined;
  if (mode === 6 && shorthand === 0 && !toAll && bits(ICR_DESTINATION_MODE, lo) === 0) {
    return unchecked.cpuUp(joinU64(destination, 0), joinU64(bits(ICR_VECTOR, lo) << 12, 0), 0n);
  }
  return nothing();
}

/** Why an ICR write is `Nothing` (or, for delivery mode 3, not an IPI); `undefined` when it is an IPI. */
export function icrNote(lo: number, destination: number, broadcast: number): string | undefined {
  const mode = bits(ICR_DELIVERY_MODE, lo);
  const shorthand = bits(ICR_SHORTHAND, lo);
  if (mode === 0 || mode === 1 || mode === 4) return undefined;
  if (mode === ICR_RESERVED_DELIVERY_MODE) {
    return `ICR delivery mode (bits 10:8) 3 is reserved (ICR low ${hex(lo >>> 0)}): no IPI is sent; the APIC rejects the write`;
  }
  if (mode !== 6) return `${X86_ICR_DELIVERY_MODES[mode]} IPI (ICR delivery mode ${mode})`;
  if (shorthand !== 0) {
    return `Start-up IPI with shorthand ${X86_ICR_SHORTHANDS[shorthand]}: CpuUp names one target CPU`;
  }
  if (destination === broadcast) {
    return `Start-up IPI to the broadcast destination ${hex(broadcast)}: CpuUp names one target CPU`;
  }
  if (bits(ICR_DESTINATION_MODE, lo) !== 0) {
    return `Start-up IPI to logical destination ${hex(destination)}: CpuUp names one APIC ID`;
  }
  return undefined;
}

/** 0xFFFFFFFF as a bigint. */
const BROADCAST = BigInt(X86_X2APIC_BROADCAST);

/**
 * The x2APIC ICR value (low and high halves) whose write decodes to `exit`, or why there is none:
 * `SendIPI` as Fixed with the shorthand from (sendToAll, sendToSelf), `CpuUp` as Start-up.
 */
export function x2apicIcrOf(
  exit: ExitOf<"SendIPI"> | ExitOf<"CpuUp">,
): { readonly lo: number; readonly hi: number } | Unencodable {
  if (exit.kind === "CpuUp") {
    if (exit.arg !== 0n) {
      return new Unencodable("arg", `a Start-up IPI carries no argument, got ${hex(exit.arg)}`);
    }
    if (exit.targetCpu >= BROADCAST) {
      return new Unencodable(
        "targetCpu",
        `x2APIC IDs are 32 bits and 0xFFFFFFFF is the broadcast destination, got ${hex(exit.targetCpu)}`,
      );
    }
    if ((exit.entryPoint & 0xfffn) !== 0n || exit.entryPoint > 0xff000n) {
      return new Unencodable(
        "entryPoint",
        `a Start-up IPI starts at a page below 1 MiB (vector << 12), got ${hex(exit.entryPoint)}`,
      );
    }
    // delivery mode 6 (Start-up) << 8 | start page
    return { lo: 0x600 | Number(exit.entryPoint >> 12n), hi: Number(exit.targetCpu) };
  }
  if (exit.targetCpuAux !== 0n) {
    return new Unencodable(
      "targetCpuAux",
      `the ICR has one destination field, got targetCpuAux ${hex(exit.targetCpuAux)}`,
    );
  }
  if (exit.targetCpu > BROADCAST) {
    return new Unencodable("targetCpu", `x2APIC IDs are 32 bits, got ${hex(exit.targetCpu)}`);
  }
  if (exit.vector > 0xffn) {
    return new Unencodable("vector", `vectors are 8 bits, got ${hex(exit.vector)}`);
  }
  if (!exit.sendToAll && !exit.sendToSelf && exit.targetCpu === BROADCAST) {
    return new Unencodable(
      "targetCpu",
      "destination 0xFFFFFFFF with no shorthand is the x2APIC broadcast (decodes as sendToAll and sendToSelf)",
    );
  }
  // shorthand 00 none, 01 self, 10 all including self, 11 all excluding self; delivery mode 0 (Fixed)
  const shorthand = exit.sendToAll ? (exit.sendToSelf ? 2 : 3) : exit.sendToSelf ? 1 : 0;
  return { lo: ((shorthand << 18) | Number(exit.vector)) >>> 0, hi: Number(exit.targetCpu) };
}
