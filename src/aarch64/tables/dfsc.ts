import { u32 } from "./u32";

// Fault status codes (ESR_ELx.ISS.DFSC / IFSC, bits 5:0) of data and instruction aborts.
// Sources: Arm ARM D24.2.40 (ISS encoding for a Data Abort); Linux `ESR_ELx_FSC_*`; QEMU
// `arm_fi_to_lfsc()`; google/aarch64-esr-decoder `describe_fsc`. Level −1 needs FEAT_LPA2,
// level −2 needs FEAT_D128. Address size fault level −1 is 0x29 (Arm ARM, QEMU); Linux's
// `ESR_ELx_FSC_ADDRSZ_nL(-1)` says 0x25, which the Arm ARM assigns to a GPF on a walk, level 1.

/** What kind of fault a DFSC/IFSC reports. */
export type FscClass =
  | "address-size"
  | "translation"
  | "access-flag"
  | "permission"
  | "sync-external"
  | "sync-external-walk"
  | "tag-check"
  | "parity"
  | "parity-walk"
  | "alignment"
  | "granule-protection"
  | "granule-protection-walk"
  | "tlb-conflict"
  | "atomic-update"
  | "implementation-defined";

/** Translation table level a fault status code names (−2 and −1 with FEAT_D128 / FEAT_LPA2). */
export type FscLevel = -2 | -1 | 0 | 1 | 2 | 3;

/** One allocated fault status code: its meaning, class and level. */
export interface FscInfo {
  /** The Arm ARM's description, e.g. `Translation fault, level 3`. */
  readonly description: string;
  /** The class of fault. */
  readonly fscClass: FscClass;
  /** The translation table level, for the codes that name one. */
  readonly level?: FscLevel;
}

function levelled(fscClass: FscClass, what: string, level: FscLevel): FscInfo {
  return { description: `${what}, level ${level}`, fscClass, level };
}

function plain(fscClass: FscClass, description: string): FscInfo {
  return { description, fscClass };
}

function buildTable(): readonly (FscInfo | undefined)[] {
  const t: (FscInfo | undefined)[] = new Array<FscInfo | undefined>(64).fill(undefined);
  const levels: readonly FscLevel[] = [0, 1, 2, 3];
  for (const l of levels) {
    t[0x00 + l] = levelled("address-size", "Address size fault", l);
    t[0x04 + l] = levelled("translation", "Translation fault", l);
    t[0x08 + l] = levelled("access-flag", "Access flag fault", l);
    t[0x0c + l] = levelled("permission", "Permission fault", l);
    t[0x14 + l] = levelled(
      "sync-external-walk",
      "Synchronous External abort on translation table walk",
      l,
    );
    t[0x1c + l] = levelled(
      "parity-walk",
      "Synchronous parity or ECC error on memory access on translation table walk",
      l,
    );
    t[0x24 + l] = levelled(
      "granule-protection-walk",
      "Granule Protection Fault on translation table walk",
      l,
    );
  }
  t[0x10] = plain("sync-external", "Synchronous External abort, not on translation table walk");
  t[0x11] = plain("tag-check", "Synchronous Tag Check Fault (FEAT_MTE)");
  t[0x12] = levelled(
    "sync-external-walk",
    "Synchronous External abort on translation table walk",
    -2,
  );
  t[0x13] = levelled(
    "sync-external-walk",
    "Synchronous External abort on translation table walk",
    -1,
  );
  t[0x18] = plain(
    "parity",
    "Synchronous parity or ECC error on memory access, not on translation table walk",
  );
  t[0x1b] = levelled(
    "parity-walk",
    "Synchronous parity or ECC error on memory access on translation table walk",
    -1,
  );
  t[0x21] = plain("alignment", "Alignment fault");
  t[0x22] = levelled(
    "granule-protection-walk",
    "Granule Protection Fault on translation table walk",
    -2,
  );
  t[0x23] = levelled(
    "granule-protection-walk",
    "Granule Protection Fault on translation table walk",
    -1,
  );
  t[0x28] = plain("granule-protection", "Granule Protection Fault, not on translation table walk");
  t[0x29] = levelled("address-size", "Address size fault", -1);
  t[0x2a] = levelled("translation", "Translation fault", -2);
  t[0x2b] = levelled("translation", "Translation fault", -1);
  t[0x2c] = levelled("address-size", "Address size fault", -2);
  t[0x30] = plain("tlb-conflict", "TLB conflict abort");
  t[0x31] = plain("atomic-update", "Unsupported atomic hardware update fault (FEAT_HAFDBS)");
  t[0x34] = plain("implementation-defined", "IMPLEMENTATION DEFINED fault (Lockdown)");
  t[0x35] = plain(
    "implementation-defined",
    "IMPLEMENTATION DEFINED fault (Unsupported Exclusive or Atomic access)",
  );
  return t;
}

/** Every fault status code, indexed by the 6-bit DFSC/IFSC; `undefined` when reserved. */
export const FSC_TABLE: readonly (FscInfo | undefined)[] = /* @__PURE__ */ buildTable();

/**
 * The meaning of a 6-bit DFSC/IFSC (bits 5:0 of `code`, an integer in 0…0xFFFFFFFF such as a
 * whole ISS), `Reserved fault status code 0x…` when unallocated; another `code` → `VmExitError`.
 */
export function describeFsc(code: number): string {
  const fsc = u32(code, "code") & 0x3f;
  const info = FSC_TABLE[fsc];
  return info === undefined ? `Reserved fault status code 0x${fsc.toString(16)}` : info.description;
}
