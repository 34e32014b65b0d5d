import type { ExitKind, ExitOf, VmExit } from "./exit";
import { EXIT_FIELDS } from "./fields";
import { CHECK } from "./validate";

const hasOwn = Object.prototype.hasOwnProperty;

/** Full structural validation: a plain object with a known `kind`, exactly its fields, each in range. */
export function isVmExit(value: unknown): value is VmExit {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  const kind = record.kind;
  if (typeof kind !== "string" || !hasOwn.call(EXIT_FIELDS, kind)) return false;
  const fields = EXIT_FIELDS[kind as ExitKind];
  if (Object.keys(record).length !== fields.length + 1) return false;
  for (const [name, type] of fields) {
    if (!hasOwn.call(record, name) || !CHECK[type](record[name])) return false;
  }
  return true;
}

/** Narrows an exit to the variant of `kind`. */
export function isExit<K extends ExitKind>(exit: VmExit, kind: K): exit is ExitOf<K> {
  return exit.kind === kind;
}
