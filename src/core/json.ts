import { checkArg } from "./check-arg";
import { show, VmExitError } from "./error";
import type { ExitKind, VmExit } from "./exit";
import { EXIT_FIELDS, type FieldType } from "./fields";
import { CHECK, EXPECTED } from "./validate";

/** The JSON form of an exit: bigints as lowercase `"0x…"` strings, other numbers as numbers. */
export type ExitJSON = {
  /** The exit's kind, as in the exit. */
  readonly kind: ExitKind;
} & {
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
    `${path} must be ${EXPECTED[type]}, got ${show(v)}`,
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
    // own keys 0…5 and `length`: no holes, no extra properties
    if (!Array.isArray(v) || v.length !== 6 || Reflect.ownKeys(v).length !== 7) {
      throw new VmExitError(
        "malformed-json",
        `${p} must be an array of exactly 6 hex strings, got ${show(v)}`,
        p,
      );
    }
    const out: bigint[] = [];
    for (let i = 0; i < 6; i++) out.push(bigintFromJSON(v[i], `${p}[${i}]`));
    return out;
  },
};

/**
 * The lossless JSON form of an exit: bigints as lowercase `"0x…"` strings, other numbers as
 * numbers; `exitFromJSON` reverses it. A value that is not a `VmExit` (`isVmExit`) is a
 * `VmExitError("invalid-argument")` saying what is wrong.
 * @example exitToJSON(ioWrite({ port: 0x3f8, width: 1, data: 0x41 }))
 * // { kind: "IoWrite", port: 1016, width: 1, data: "0x41" }
 */
export function exitToJSON(exit: VmExit): ExitJSON {
  checkArg(exit, "exit", "exit");
  const out: Record<string, unknown> = { kind: exit.kind };
  const record = exit as unknown as Record<string, never>;
  for (const [name, type] of EXIT_FIELDS[exit.kind])
    out[name] = TO_JSON[type](record[name] as never);
  return out as ExitJSON;
}

/**
 * Validates a JSON value and rebuilds the exit. Any deviation — not an object, an unknown kind,
 * a missing or extra field, a wrong type, a value out of range, `-0` — is a
 * `VmExitError("malformed-json")` whose `field` is the JSON path (`$.args[5]`).
 * @example exitFromJSON(JSON.parse('{"kind":"CpuDown","state":"0x0"}')) // { kind: "CpuDown", state: 0n }
 */
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
