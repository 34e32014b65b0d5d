// How the class decoders hand back their result: the exit alone when `withCause` is false (for
// `decodeAarch64Exit`, which builds no cause at all), else the exit and the cause together, both
// as return values, so that an inlined decode whose cause is not used allocates none.
import { makeCause } from "../../core/cause";
import type { CauseBase, DecodedExit, IsMmio } from "../../core/decoded";
import type { VmExit } from "../../core/exit";
import { bits, isSet } from "../../core/layout";
import type { Aarch64Cause, Aarch64EsrFields } from "../cause";
import { ESR_IL, ESR_ISS, ESR_ISS2 } from "../layout/esr";
import type { Aarch64Snapshot } from "../snapshot";
import { ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "../tables/ec";

/** What a class decoder returns: the exit, or with `withCause` the exit and its cause. */
export type ClassResult = VmExit | DecodedExit<Aarch64Cause>;

/**
 * A class decoder: the exit of an ESR of its class (`lo`/`hi` its halves, already checked), and
 * when `withCause` the `DecodedExit` with the cause.
 */
export type ClassDecoder = (
  s: Aarch64Snapshot,
  exception: "sync" | "serror",
  ec: number,
  lo: number,
  hi: number,
  isMmio: IsMmio | undefined,
  withCause: boolean,
) => ClassResult;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Builds the cause of a synchronous exception or SError: writes the ESR fields every such cause
 * has (`exception`, `description`, `il`, `iss`, `iss2`), then the base (`makeCause`), into the
 * slots the class's field literal declares first, in that order: `arch`, `code`, `name`,
 * `class`, `exception`, `description`, `il`, `iss`, `iss2`, each `SLOT`.
 */
export function esrCause<K extends string, const F extends object>(
  cls: K,
  ec: number,
  exception: "sync" | "serror",
  lo: number,
  hi: number,
  fields: F,
): CauseBase<"aarch64", K> & Aarch64EsrFields & Omit<F, keyof CauseBase | keyof Aarch64EsrFields> {
  const c = fields as unknown as Mutable<Aarch64EsrFields>;
  c.exception = exception;
  c.description = ESR_EC_DESCRIPTIONS[ec] as string;
  c.il = isSet(ESR_IL, lo);
  c.iss = bits(ESR_ISS, lo);
  c.iss2 = bits(ESR_ISS2, hi);
  return makeCause("aarch64", ec, ESR_EC_NAMES[ec] as string, cls, fields) as never;
}
