// How the class decoders hand back their result: the exit alone when `withCause` is false (for
// `decodeAarch64Exit`, which builds no cause at all), else the exit and the cause together, both
// as return values, so that an inlined decode whose cause is not used allocates none.
import { makeCause } from "../../core/cause";
import type { CauseBase, DecodedExit, IsMmio } from "../../core/decoded";
import type { VmExit } from "../../core/exit";
import type { Aarch64Cause } from "../cause";
import type { Aarch64Snapshot } from "../snapshot";
import { ESR_EC_NAMES } from "../tables/ec";

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

/**
 * Builds the cause of a synchronous exception or SError with `makeCause`: the base (`arch`,
 * `code` = EC, `name` = the EC's `kvm_exit` name, `class`) into the slots the class's literal
 * declares first. The literal then lists the ESR fields every such cause has (`exception`,
 * `description`, `il`, `iss`, `iss2`) with their values, and the class's own fields.
 */
export function esrCause<K extends string, const F extends object>(
  cls: K,
  ec: number,
  fields: F,
): CauseBase<"aarch64", K> & Omit<F, keyof CauseBase> {
  return makeCause("aarch64", ec, ESR_EC_NAMES[ec] as string, cls, fields);
}
