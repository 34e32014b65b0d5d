import { show, VmExitError } from "./error";
import type { ExitKind, VmExit } from "./exit";
import { EXIT_FIELDS, type FieldType } from "./fields";
import { CHECK } from "./validate";

/** The JSON form of an exit: bigints as lowercase `"0x…"` strings, other numbers as numbers. */
export type ExitJSON = { readonly kind: ExitKind } & {
  readonly [field: string]: string | number | boolean | readonly string[];
};

const hasOwn = Object.prototype.hasOwnProperty;
const HEX_U64 = /^0x[0-9a-fA-F]{1,16}$/;

function bigintToJSON(v: bigint): string {
  return `0x${v.toString(16)}`;
}

function bigintFromJSON(v: unknown, path: string): bigint {
  if (typeof v !== "string" || !HEX_U64.test(v)) {
    throw new VmExitError(
      "malformed-json",
      `${path} must be a "0x…" hex string of at most 16 digits, got ${show(v)}`,
      path,
    );
  }
  return BigInt(v);
}

const TO_JSON: { readonly [T in FieldType]: (v: never) => unknown } = {
  u64: bigintToJSON,
  gpa: bigintToJSON,
  port: (v: number) => v,
  sysreg: (v: number) => v,
  width: (v: number) => v,
  flags: (v: number) => v,
  reg: (v: number) => v,
  bool: (v: boolean) => v,
  args: (v: readonly bigint[]) => v.map(bigintToJSON),
};

function plainFromJSON(v: unknown, path: string, type: FieldType): unknown {
  if (CHECK[type](v)) return v;
  throw new VmExitError(
    "malformed-json",
    `${path} is not a valid ${type === "bool" ? "boolean" : type} value: ${show(v)}`,
    path,
  );
}

const FROM_JSON: { readonly [T in FieldType]: (v: unknown, path: string) => unknown } = {
  u64: bigintFromJSON,
  gpa: bigintFromJSON,
  port: (v, p) => plainFromJSON(v, p, "port"),
  sysreg: (v, p) => plainFromJSON(v, p, "sysreg"),
  width: (v, p) => plainFromJSON(v, p, "width"),
  flags: (v, p) => plainFromJSON(v, p, "flags"),
  reg: (v, p) => plainFromJSON(v, p, "reg"),
  bool: (v, p) => plainFromJSON(v, p, "bool"),
  args: (v, p) => {
    if (!Array.isArray(v) || v.length !== 6) {
      throw new VmExitError("malformed-json", `${p} must be an array of 6 hex strings`, p);
    }
    return v.map((a, i) => bigintFromJSON(a, `${p}[${i}]`));
  },
};

/** The lossless JSON form of an exit (bigints as `"0x…"`); `exitFromJSON` reverses it. */
export function exitToJSON(exit: VmExit): ExitJSON {
  const out: Record<string, unknown> = { kind: exit.kind };
  const record = exit as unknown as Record<string, never>;
  for (const [name, type] of EXIT_FIELDS[exit.kind])
    out[name] = TO_JSON[type](record[name] as never);
  return out as ExitJSON;
}

/** Validates a JSON value and rebuilds the exit; any deviation throws `VmExitError` with its path. */
export function exitFromJSON(json: unknown): VmExit {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new VmExitError("malformed-json", `$ must be an object, got ${show(json)}`, "$");
  }
  const record = json as Record<string, unknown>;
  const kind = hasOwn.call(record, "kind") ? record.kind : undefined;
  if (typeof kind !== "string" || !hasOwn.call(EXIT_FIELDS, kind)) {
    throw new VmExitError("malformed-json", `$.kind is not a VmExit kind: ${show(kind)}`, "$.kind");
  }
  const fields = EXIT_FIELDS[kind as ExitKind];
  const out: Record<string, unknown> = { kind };
  for (const [name, type] of fields) {
    const path = `$.${name}`;
    if (!hasOwn.call(record, name)) {
      throw new VmExitError("malformed-json", `${path} is missing from ${kind}`, path);
    }
    out[name] = FROM_JSON[type](record[name], path);
  }
  for (const key of Object.keys(record)) {
    if (key !== "kind" && !fields.some(([name]) => name === key)) {
      throw new VmExitError("malformed-json", `$.${key} is not a field of ${kind}`, `$.${key}`);
    }
  }
  return out as unknown as VmExit;
}
