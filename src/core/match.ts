import { show, VmExitError } from "./error";
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
export function match(exit: VmExit, handlers: object): unknown {
  // One call site per kind (rather than `handlers[exit.kind](exit)`) keeps each site monomorphic,
  // so V8 can inline the handlers (`npm run bench`: 95 M exits/s against 65 M for the keyed call).
  const h = handlers as AnyHandlers;
  switch (exit.kind) {
    case "Hypercall":
      return (h.Hypercall ?? fallback(h, exit))(exit);
    case "MmioRead":
      return (h.MmioRead ?? fallback(h, exit))(exit);
    case "MmioWrite":
      return (h.MmioWrite ?? fallback(h, exit))(exit);
    case "SysRegRead":
      return (h.SysRegRead ?? fallback(h, exit))(exit);
    case "SysRegWrite":
      return (h.SysRegWrite ?? fallback(h, exit))(exit);
    case "IoRead":
      return (h.IoRead ?? fallback(h, exit))(exit);
    case "IoWrite":
      return (h.IoWrite ?? fallback(h, exit))(exit);
    case "ExternalInterrupt":
      return (h.ExternalInterrupt ?? fallback(h, exit))(exit);
    case "NestedPageFault":
      return (h.NestedPageFault ?? fallback(h, exit))(exit);
    case "Halt":
      return (h.Halt ?? fallback(h, exit))(exit);
    case "CpuUp":
      return (h.CpuUp ?? fallback(h, exit))(exit);
    case "CpuDown":
      return (h.CpuDown ?? fallback(h, exit))(exit);
    case "SystemDown":
      return (h.SystemDown ?? fallback(h, exit))(exit);
    case "Nothing":
      return (h.Nothing ?? fallback(h, exit))(exit);
    case "FailEntry":
      return (h.FailEntry ?? fallback(h, exit))(exit);
    case "SendIPI":
      return (h.SendIPI ?? fallback(h, exit))(exit);
    default:
      throw new VmExitError(
        "invalid-argument",
        `match needs a VmExit, got kind ${show((exit as { kind?: unknown }).kind)}`,
        "exit",
      );
  }
}

type Handler = (exit: VmExit) => unknown;
type AnyHandlers = { readonly [K in ExitKind | "_"]?: Handler };

function fallback(handlers: AnyHandlers, exit: VmExit): Handler {
  if (typeof handlers._ === "function") return handlers._;
  throw new VmExitError(
    "invalid-argument",
    `match has no handler for ${exit.kind} and no _`,
    "handlers",
  );
}
