// The shape of a `VmExit` as data: what `isVmExit`, the argument guard and the encoders check.
import { show } from "./error";
import type { ExitKind } from "./exit";
import { EXIT_FIELDS, type FieldType } from "./fields";
import { argsProblem, CHECK, EXPECTED } from "./validate";

const hasOwn = Object.prototype.hasOwnProperty;
const getProto = Object.getPrototypeOf;
const ownNames = Object.getOwnPropertyNames;
const ownSymbols = Object.getOwnPropertySymbols;

/** True when `kind` is one of the sixteen `ExitKind`s. */
export function isExitKind(kind: unknown): kind is ExitKind {
  return typeof kind === "string" && hasOwn.call(EXIT_FIELDS, kind);
}

/** A plain object: its prototype is null or the `Object.prototype` of some realm. */
function isPlainObject(value: object): boolean {
  const proto: unknown = getProto(value);
  return proto === null || getProto(proto as object) === null;
}

// Per kind, the field names and their checks as parallel arrays (read by index on every call).
const NAMES = /* @__PURE__ */ fieldTable((name) => name);
const TYPES = /* @__PURE__ */ fieldTable((_, type) => type);

function fieldTable<T>(pick: (name: string, type: FieldType) => T): {
  readonly [K in ExitKind]: readonly T[];
} {
  const out: Partial<Record<ExitKind, readonly T[]>> = {};
  for (const kind of Object.keys(EXIT_FIELDS) as ExitKind[]) {
    out[kind] = EXIT_FIELDS[kind].map(([name, type]) => pick(name, type));
  }
  return out as { readonly [K in ExitKind]: readonly T[] };
}

/**
 * What keeps `value` from being a `VmExit`, as a phrase (`"args[2] is a hole"`), or `undefined`
 * when it is one: a plain object whose own properties are exactly `kind` and the fields of that
 * kind (no symbol keys, nothing inherited), each of its exact runtime type and range.
 */
export function exitProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return `it is ${show(value)}, not an object`;
  try {
    return objectProblem(value);
  } catch {
    return "it cannot be inspected (a revoked proxy, or a proxy trap threw)";
  }
}

function objectProblem(value: object): string | undefined {
  if (!isPlainObject(value)) return "it is not a plain object (an array or a class instance)";
  if (!hasOwn.call(value, "kind")) return "it has no own kind";
  const record = value as Record<string, unknown>;
  const kind = record.kind;
  if (!isExitKind(kind)) return `kind ${show(kind)} is not an exit kind`;
  const names = NAMES[kind];
  const types = TYPES[kind];
  const n = names.length;
  if (ownNames(value).length !== n + 1 || ownSymbols(value).length !== 0) {
    return extraProblem(value, kind, names);
  }
  for (let i = 0; i < n; i++) {
    const name = names[i] as string;
    if (!hasOwn.call(value, name)) return `${kind} has no ${name}`;
    const type = types[i] as FieldType;
    const v = record[name];
    if (!CHECK[type](v)) {
      return type === "args" ? argsProblem(v) : `${name} must be ${EXPECTED[type]}, got ${show(v)}`;
    }
  }
  return undefined;
}

function extraProblem(value: object, kind: ExitKind, names: readonly string[]): string {
  for (const key of Reflect.ownKeys(value)) {
    if (key !== "kind" && !names.includes(key as string)) {
      return `${typeof key === "symbol" ? "a symbol key" : key} is not a field of ${kind}`;
    }
  }
  return `${kind} needs ${names.join(", ")}`;
}
