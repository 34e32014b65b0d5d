import fc from "fast-check";
import type { SnapshotOf } from "../codecs";
import { codecs } from "../codecs";
import type { SnapshotKey, ValueSpec } from "../core/codec";
import type { Arch } from "../core/decoded";
import type { VmExit } from "../core/exit";
import { U64_MAX } from "../core/u64";
import { aarch64ExpressibleExit, aarch64GuestControlled, aarch64Snapshot } from "./aarch64";
import { riscvExpressibleExit, riscvGuestControlled, riscvSnapshot } from "./riscv";
import { svmExpressibleExit, svmGuestControlled, svmSnapshot } from "./svm";
import { vmxExpressibleExit, vmxGuestControlled, vmxSnapshot } from "./x86";

/** The arbitraries every architecture provides to the property tests. */
export interface ArchArbitraries<A extends Arch> {
  /** Valid snapshots: state the hardware can produce, with every register the exit needs. */
  snapshot(): fc.Arbitrary<SnapshotOf<A>>;
  /** Exits the architecture's encoder can express. */
  expressibleExit(): fc.Arbitrary<VmExit>;
  /**
   * Valid hardware state with arbitrary guest-controlled values (registers, values written,
   * instruction bytes and words): decoding these must never throw.
   */
  guestControlled(): fc.Arbitrary<SnapshotOf<A>>;
  /** Arbitrary values for every snapshot key: decoding gives a valid exit or a `VmExitError`. */
  garbage(): fc.Arbitrary<SnapshotOf<A>>;
}

const anyU64 = fc.oneof(
  fc.bigInt({ min: 0n, max: U64_MAX }),
  fc.bigInt({ min: 0n, max: 0xffff_ffffn }),
  fc.constantFrom(0n, 1n, 0xffn, 0x8000_0000n, 0xffff_ffffn, U64_MAX),
);

function garbageValue(spec: ValueSpec): fc.Arbitrary<unknown> {
  switch (spec.type) {
    case "u64":
    case "named":
      return spec.type === "named" && spec.bits === 32
        ? fc.integer({ min: 0, max: 0xffff_ffff })
        : anyU64;
    case "u32":
      return fc.integer({ min: 0, max: 0xffff_ffff });
    case "bytes":
      return fc.uint8Array({ maxLength: 16 });
    case "choice":
      return fc.constantFrom(...spec.values);
    case "boolean":
      return fc.boolean();
    case "function":
      return fc.constant(() => true);
  }
}

/** Snapshots with arbitrary values of the right types for every key of a codec's schema. */
export function schemaGarbage(keys: readonly SnapshotKey[]): fc.Arbitrary<Record<string, unknown>> {
  const entries = keys.map((k) =>
    fc.record({ key: fc.constant(k), value: garbageValue(k.value), present: fc.boolean() }),
  );
  return fc.tuple(...entries).map((values) => {
    const out: Record<string, unknown> = {};
    for (const { key, value, present } of values) {
      if (!present && key.required !== true) continue;
      const [prop, slot] = key.path;
      if (slot === undefined) out[prop] = value;
      else {
        if (out[prop] === undefined) out[prop] = typeof slot === "number" ? [] : {};
        (out[prop] as Record<string | number, unknown>)[slot] = value;
      }
    }
    return out;
  });
}

/**
 * The arbitraries of every architecture, by arch: what the registry-wide property tests iterate.
 * @example fc.assert(fc.property(arbitrariesByArch.riscv.snapshot(), (s) => { decodeRiscv(s); }))
 */
export const arbitrariesByArch: { readonly [A in Arch]: ArchArbitraries<A> } = {
  "x86-vmx": {
    snapshot: () => vmxSnapshot(),
    expressibleExit: () => vmxExpressibleExit(),
    guestControlled: vmxGuestControlled,
    garbage: () => schemaGarbage(codecs["x86-vmx"].snapshotKeys) as never,
  },
  "x86-svm": {
    snapshot: () => svmSnapshot(),
    expressibleExit: () => svmExpressibleExit(),
    guestControlled: svmGuestControlled,
    garbage: () => schemaGarbage(codecs["x86-svm"].snapshotKeys) as never,
  },
  aarch64: {
    snapshot: aarch64Snapshot,
    expressibleExit: aarch64ExpressibleExit,
    guestControlled: aarch64GuestControlled,
    garbage: () => schemaGarbage(codecs.aarch64.snapshotKeys) as never,
  },
  riscv: {
    snapshot: riscvSnapshot,
    expressibleExit: riscvExpressibleExit,
    guestControlled: riscvGuestControlled,
    garbage: () => schemaGarbage(codecs.riscv.snapshotKeys) as never,
  },
};
