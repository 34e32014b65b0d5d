// How the class decoders hand back their result: the exit alone when `withCause` is false (for
// `decodeAarch64Exit`, which builds no cause at all), else the exit and the cause together, both
// as return values, so that an inlined decode whose cause is not used allocates none.
import type { DecodedExit, IsMmio } from "../../core/decoded";
import type { VmExit } from "../../core/exit";
import type { Aarch64Cause } from "../cause";
import type { Aarch64Snapshot } from "../snapshot";

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
