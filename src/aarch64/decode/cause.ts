// How the class decoders hand back the cause: each returns the exit and, when asked, writes the
// cause it built into `built` as its last step (after any call to the caller's `isMmio`, so a
// decode inside that callback cannot overwrite it). `decodeAarch64` reads it right after the
// call; `decodeAarch64Exit` does not ask, so no cause is built at all.
import { makeCause } from "../../core/cause";
import type { CauseBase, IsMmio } from "../../core/decoded";
import type { VmExit } from "../../core/exit";
import { bits, isSet } from "../../core/layout";
import type { Aarch64Cause, Aarch64EsrFields } from "../cause";
import { ESR_IL, ESR_ISS, ESR_ISS2 } from "../layout/esr";
import type { Aarch64Snapshot } from "../snapshot";
import { ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "../tables/ec";

/** The cause the last class decoder built, when it was asked to build one. */
export const built: { cause: Aarch64Cause | undefined } = { cause: undefined };

/**
 * A class decoder: the exit of an ESR of its class (`lo`/`hi` its halves, already checked), and
 * when `withCause` the cause in `built`.
 */
export type ClassDecoder = (
  s: Aarch64Snapshot,
  exception: "sync" | "serror",
  ec: number,
  lo: number,
  hi: number,
  isMmio: IsMmio | undefined,
  withCause: boolean,
) => VmExit;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Builds the cause of a synchronous exception or SError: the class's own `fields`, then the ESR
 * fields every such cause has, then the base, all written onto the one object literal.
 */
export function esrCause<K extends string, const F extends object>(
  cls: K,
  ec: number,
  exception: "sync" | "serror",
  lo: number,
  hi: number,
  fields: F,
): CauseBase<"aarch64", K> & Aarch64EsrFields & F {
  const c = fields as F & Mutable<Aarch64EsrFields>;
  c.exception = exception;
  c.description = ESR_EC_DESCRIPTIONS[ec] as string;
  c.il = isSet(ESR_IL, lo);
  c.iss = bits(ESR_ISS, lo);
  c.iss2 = bits(ESR_ISS2, hi);
  return makeCause("aarch64", ec, ESR_EC_NAMES[ec] as string, cls, c);
}
