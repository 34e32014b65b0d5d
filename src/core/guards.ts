import type { ExitKind, ExitOf, VmExit } from "./exit";
import { exitProblem, isExitKind } from "./exit-shape";
import { checkArg } from "./guard";

/**
 * Full structural validation: a plain object with a known `kind` and exactly that variant's
 * fields, each an own data property of its exact type and range (`bigint` for u64 fields, dense
 * `args`, no `-0`). Never throws.
 * @example isVmExit({ kind: "IoRead", port: 0x60, width: 1 }) // true
 */
export function isVmExit(value: unknown): value is VmExit {
  return exitProblem(value) === undefined;
}

/**
 * Narrows an exit to the variant of `kind`; a value that is not an object or a `kind` that is
 * not an `ExitKind` is a `VmExitError("invalid-argument")`.
 * @example if (isExit(exit, "MmioRead")) console.log(exit.addr);
 */
export function isExit<K extends ExitKind>(exit: VmExit, kind: K): exit is ExitOf<K> {
  if (typeof exit === "object" && exit !== null && isExitKind(kind)) return exit.kind === kind;
  checkArg(exit, "object", "exit");
  checkArg(kind, "kind", "kind");
  return false;
}
