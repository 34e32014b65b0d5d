import { show, VmExitError } from "../error";

declare const MappingFlagsBrand: unique symbol;

/** A set of `MappingFlags` bits (type-only brand). */
export type MappingFlags = number & {
  /** The type-only brand (no such property exists at run time). */
  readonly [MappingFlagsBrand]: true;
};

/** The defined mapping-flag bits, as in axaddrspace. */
export const MappingFlags = {
  /** Readable / the access was a read. */
  READ: 0x1 as MappingFlags,
  /** Writable / the access was a write. */
  WRITE: 0x2 as MappingFlags,
  /** Executable / the access was an instruction fetch. */
  EXECUTE: 0x4 as MappingFlags,
  /** Accessible from user mode. */
  USER: 0x8 as MappingFlags,
  /** Device memory. */
  DEVICE: 0x10 as MappingFlags,
  /** Uncached memory. */
  UNCACHED: 0x20 as MappingFlags,
} as const;

/** Names of the flag bits, indexed by bit number. */
export const MAPPING_FLAG_NAMES = [
  "READ",
  "WRITE",
  "EXECUTE",
  "USER",
  "DEVICE",
  "UNCACHED",
] as const;

const ALL_FLAGS = 0x3f;

/** True when `v` is an integer whose set bits are all defined flags. */
export function isMappingFlags(v: unknown): v is MappingFlags {
  return (
    typeof v === "number" &&
    Number.isInteger(v) &&
    v >= 0 &&
    (v & ~ALL_FLAGS) === 0 &&
    v <= ALL_FLAGS &&
    !Object.is(v, -0)
  );
}

/** Validates and brands a set of mapping flags (only bits 0x3F may be set). */
/* @__NO_SIDE_EFFECTS__ */
export function mappingFlags(v: number, field = "accessFlags"): MappingFlags {
  if (isMappingFlags(v)) return v;
  if (Object.is(v, -0)) return 0 as MappingFlags; // the number zero, stored as +0
  throw new VmExitError(
    typeof v === "number" && Number.isInteger(v) ? "out-of-range" : "invalid-argument",
    `${field} must be a set of the bits 0x3f (READ…UNCACHED), got ${show(v)}`,
    field,
  );
}

/**
 * Names the set bits, e.g. `READ | WRITE`; `(empty)` for none. A value that is not a set of the
 * defined bits is a `VmExitError` (as from `mappingFlags`).
 * @example formatMappingFlags(MappingFlags.READ | MappingFlags.WRITE) // "READ | WRITE"
 */
export function formatMappingFlags(flags: number): string {
  mappingFlags(flags, "flags");
  const names: string[] = [];
  for (let bit = 0; bit < MAPPING_FLAG_NAMES.length; bit++) {
    if (flags & (1 << bit)) names.push(MAPPING_FLAG_NAMES[bit] as string);
  }
  return names.length === 0 ? "(empty)" : names.join(" | ");
}
