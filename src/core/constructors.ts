import { show, VmExitError } from "./error";
import type { ExitKind, ExitOf } from "./exit";
import { EXIT_FIELDS } from "./fields";
import { VALIDATE } from "./validate";

type Loosen<T> = T extends boolean
  ? boolean
  : T extends bigint
    ? bigint | number
    : T extends number
      ? number
      : T extends readonly bigint[]
        ? { readonly [I in keyof T]: bigint | number }
        : T;

/** What a constructor accepts for variant K: scalars as plain `number | bigint`, unbranded. */
export type ExitInput<K extends ExitKind> = {
  readonly [F in Exclude<keyof ExitOf<K>, "kind">]: Loosen<ExitOf<K>[F]>;
};

/** Builds a validated exit of `kind` from field values (the shared body of every constructor). */
export function buildExit<K extends ExitKind>(kind: K, input: unknown): ExitOf<K> {
  const fields = EXIT_FIELDS[kind];
  const out: Record<string, unknown> = { kind };
  if (fields.length === 0) return out as unknown as ExitOf<K>;
  if (typeof input !== "object" || input === null) {
    throw new VmExitError(
      "invalid-argument",
      `${kind} fields must be an object, got ${show(input)}`,
    );
  }
  const record = input as Record<string, unknown>;
  for (const [name, type] of fields) out[name] = VALIDATE[type](record[name], name);
  return out as unknown as ExitOf<K>;
}

/** A `Hypercall` exit. */
/* @__NO_SIDE_EFFECTS__ */
export function hypercall(fields: ExitInput<"Hypercall">): ExitOf<"Hypercall"> {
  return buildExit("Hypercall", fields);
}
/** A `MmioRead` exit. */
/* @__NO_SIDE_EFFECTS__ */
export function mmioRead(fields: ExitInput<"MmioRead">): ExitOf<"MmioRead"> {
  return buildExit("MmioRead", fields);
}
/** A `MmioWrite` exit. */
/* @__NO_SIDE_EFFECTS__ */
export function mmioWrite(fields: ExitInput<"MmioWrite">): ExitOf<"MmioWrite"> {
  return buildExit("MmioWrite", fields);
}
/** A `SysRegRead` exit. */
/* @__NO_SIDE_EFFECTS__ */
export function sysRegRead(fields: ExitInput<"SysRegRead">): ExitOf<"SysRegRead"> {
  return buildExit("SysRegRead", fields);
}
/** A `SysRegWrite` exit. */
/* @__NO_SIDE_EFFECTS__ */
export function sysRegWrite(fields: ExitInput<"SysRegWrite">): ExitOf<"SysRegWrite"> {
  return buildExit("SysRegWrite", fields);
}
/** An `IoRead` exit. */
/* @__NO_SIDE_EFFECTS__ */
export function ioRead(fields: ExitInput<"IoRead">): ExitOf<"IoRead"> {
  return buildExit("IoRead", fields);
}
/** An `IoWrite` exit. */
/* @__NO_SIDE_EFFECTS__ */
export function ioWrite(fields: ExitInput<"IoWrite">): ExitOf<"IoWrite"> {
  return buildExit("IoWrite", fields);
}
/** An `ExternalInterrupt` exit. */
/* @__NO_SIDE_EFFECTS__ */
export function externalInterrupt(
  fields: ExitInput<"ExternalInterrupt">,
): ExitOf<"ExternalInterrupt"> {
  return buildExit("ExternalInterrupt", fields);
}
/** A `NestedPageFault` exit. */
/* @__NO_SIDE_EFFECTS__ */
export function nestedPageFault(fields: ExitInput<"NestedPageFault">): ExitOf<"NestedPageFault"> {
  return buildExit("NestedPageFault", fields);
}
/** A `Halt` exit. */
/* @__NO_SIDE_EFFECTS__ */
export function halt(): ExitOf<"Halt"> {
  return { kind: "Halt" };
}
/** A `CpuUp` exit. */
/* @__NO_SIDE_EFFECTS__ */
export function cpuUp(fields: ExitInput<"CpuUp">): ExitOf<"CpuUp"> {
  return buildExit("CpuUp", fields);
}
/** A `CpuDown` exit (`state` is the Rust `_state`). */
/* @__NO_SIDE_EFFECTS__ */
export function cpuDown(fields: ExitInput<"CpuDown">): ExitOf<"CpuDown"> {
  return buildExit("CpuDown", fields);
}
/** A `SystemDown` exit. */
/* @__NO_SIDE_EFFECTS__ */
export function systemDown(): ExitOf<"SystemDown"> {
  return { kind: "SystemDown" };
}
/** A `Nothing` exit. */
/* @__NO_SIDE_EFFECTS__ */
export function nothing(): ExitOf<"Nothing"> {
  return { kind: "Nothing" };
}
/** A `FailEntry` exit. */
/* @__NO_SIDE_EFFECTS__ */
export function failEntry(fields: ExitInput<"FailEntry">): ExitOf<"FailEntry"> {
  return buildExit("FailEntry", fields);
}
/** A `SendIPI` exit. */
/* @__NO_SIDE_EFFECTS__ */
export function sendIpi(fields: ExitInput<"SendIPI">): ExitOf<"SendIPI"> {
  return buildExit("SendIPI", fields);
}
