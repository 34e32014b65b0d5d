import { bits } from "../../core/layout";
import type { AccessWidth } from "../../core/scalars/access-width";
import {
  type Aarch64LoadStoreForm,
  ACCESS,
  accessIndex,
  loadStoreClass,
  RN,
  RT,
} from "../layout/load-store";
import { u32 } from "../tables/u32";

/** A decoded A64 load or store of one general-purpose register (LDR, STRB, LDURSH, LDTR, LDAPR, …). */
export interface Aarch64LoadStore {
  /** The mnemonic, e.g. `LDRSH`, `STURB`, `LDTRSW`, `LDAPUR`, `STLURH`. */
  readonly mnemonic: string;
  /** The addressing form. */
  readonly form: Aarch64LoadStoreForm;
  /** True for stores. */
  readonly isWrite: boolean;
  /** Bytes accessed: 1 << size. */
  readonly width: AccessWidth;
  /** Width of the register Rt: 4 (Wt) or 8 (Xt). */
  readonly regWidth: 4 | 8;
  /** True for the sign-extending loads (LDRSB, LDRSH, LDRSW and their forms). */
  readonly signedExt: boolean;
  /** The transfer register Rt (31 = WZR/XZR). */
  readonly rt: number;
  /** The base register Rn (31 = SP); `undefined` for the PC-relative literal form. */
  readonly rn: number | undefined;
  /** True for the pre/post-index forms, which also update Rn. */
  readonly writeback: boolean;
}

const WIDTHS: readonly AccessWidth[] = [1, 2, 4, 8];

/**
 * Decodes an A64 instruction word that loads or stores one general-purpose register; `undefined`
 * for any other instruction (SIMD&FP, pairs, exclusives, atomics, prefetches, non-memory). A
 * `word` that is not an integer in 0…0xFFFFFFFF → `VmExitError` naming `word`.
 * @example decodeA64LoadStore(0xb9400041) // LDR w1, [x2]: { mnemonic: "LDR", width: 4, rt: 1, rn: 2, … }
 */
export function decodeA64LoadStore(word: number): Aarch64LoadStore | undefined {
  u32(word, "word");
  const c = loadStoreClass(word);
  if (c === undefined) return undefined;
  const index = accessIndex(c, word);
  const mnemonic = index === undefined ? undefined : c.names[index];
  if (mnemonic === undefined) return undefined;
  const [isWrite, regWidth, signedExt] = ACCESS[index as number] as NonNullable<
    (typeof ACCESS)[number]
  >;
  return {
    mnemonic,
    form: c.form,
    isWrite,
    width: WIDTHS[(index as number) >>> 2] as AccessWidth,
    regWidth,
    signedExt,
    rt: bits(RT, word),
    rn: c.form === "literal" ? undefined : bits(RN, word),
    writeback: c.writeback,
  };
}
