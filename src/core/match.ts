import { VmExitError } from "./error";
import type { ExitKind, ExitOf, VmExit } from "./exit";

/** One handler per kind: what `match` needs to be exhaustive. */
export type ExhaustiveHandlers = { readonly [K in ExitKind]: (exit: ExitOf<K>) => unknown };

/** Any subset of handlers plus `_`, the fallback for the kinds not listed. */
export type PartialHandlers = { readonly [K in ExitKind]?: (exit: ExitOf<K>) => unknown } & {
  readonly _: (exit: VmExit) => unknown;
};

/** The union of the results of the handlers in H. */
export type MatchResult<H> = {
  [K in keyof H]: H[K] extends (...args: never[]) => infer R ? R : never;
}[keyof H];

type NoExtraKeys<H> = { readonly [K in Exclude<keyof H, ExitKind | "_">]: never };

/**
 * Calls the handler for `exit.kind`. Without `_` every kind needs a handler (checked by the
 * compiler); with `_` any subset compiles and `_` handles the rest.
 */
export function match<H extends ExhaustiveHandlers>(
  exit: VmExit,
  handlers: H & NoExtraKeys<H>,
): MatchResult<H>;
export function match<H extends PartialHandlers>(
  exit: VmExit,
  handlers: H & NoExtraKeys<H>,
): MatchResult<H>;
export function match(
  exit: VmExit,
  handlers: Record<string, ((exit: VmExit) => unknown) | undefined>,
): unknown {
  const handler = handlers[exit.kind] ?? handlers._;
  if (typeof handler !== "function") {
    throw new VmExitError(
      "invalid-argument",
      `match has no handler for ${exit.kind} and no _`,
      "handlers",
    );
  }
  return handler(exit);
}
