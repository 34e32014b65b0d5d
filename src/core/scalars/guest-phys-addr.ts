import { toU64 } from "../u64";

declare const GuestPhysAddrBrand: unique symbol;

/** A guest-physical address: a bigint in 0…2^64−1 (type-only brand). */
export type GuestPhysAddr = bigint & {
  /** The type-only brand (no such property exists at run time). */
  readonly [GuestPhysAddrBrand]: true;
};

/** Validates and brands a guest-physical address. */
/* @__NO_SIDE_EFFECTS__ */
export function guestPhysAddr(v: bigint | number): GuestPhysAddr {
  return toU64(v, "addr") as GuestPhysAddr;
}
