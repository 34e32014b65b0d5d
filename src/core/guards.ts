import { checkArg } from "./check-arg";
import type { ExitKind, ExitOf, VmExit } from "./exit";
import { exitProblem, isExitKind } from "./exit-shape";

/**
 * Full structural validation: a plain object whose own properties are exactly a known `kind`
 * and that variant's fields (nothing inherited, no extra or symbol keys, not a class instance),
 * each of its exact runtime type and range (`bigint` for u64 fields, a dense plain `args` array
 * of six, no `-0`). Never throws: anything else is `false`.
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
