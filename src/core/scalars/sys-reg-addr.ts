import { toInt } from "../u64";

declare const SysRegAddrBrand: unique symbol;

/**
 * A system-register address, 0…0xFFFF_FFFF: the MSR index on x86, `ISS & 0x3FFC1E` on AArch64,
 * the CSR number on RISC-V (type-only brand).
 */
export type SysRegAddr = number & {
  /** The type-only brand (no such property exists at run time). */
  readonly [SysRegAddrBrand]: true;
};

/** Validates and brands a system-register address. */
/* @__NO_SIDE_EFFECTS__ */
export function sysRegAddr(v: number): SysRegAddr {
  return toInt(v, "addr", 0, 0xffff_ffff) as SysRegAddr;
}
