import { show, VmExitError } from "./error";
import type { ExitKind, ExitOf } from "./exit";
import type { AccessWidth } from "./scalars/access-width";
import type { GuestPhysAddr } from "./scalars/guest-phys-addr";
import type { MappingFlags } from "./scalars/mapping-flags";
import * as unchecked from "./unchecked";
import { VALIDATE } from "./validate";

/**
 * What a constructor accepts for variant K: its fields without `kind`, u64 fields and the
 * hypercall arguments as plain `bigint | number`, branded scalars as plain numbers or bigints.
 */
export type ExitInput<K extends ExitKind> = {
  readonly [F in Exclude<keyof ExitOf<K>, "kind">]: ExitOf<K>[F] extends boolean
    ? boolean
    : ExitOf<K>[F] extends bigint
      ? bigint | number
      : ExitOf<K>[F] extends number
        ? number
        : ExitOf<K>[F] extends readonly bigint[]
          ? readonly [
              bigint | number,
              bigint | number,
              bigint | number,
              bigint | number,
              bigint | number,
              bigint | number,
            ]
          : ExitOf<K>[F];
};

function fieldsOf(kind: ExitKind, input: unknown): Record<string, unknown> {
  if (typeof input === "object" && input !== null) return input as Record<string, unknown>;
  throw new VmExitError("invalid-argument", `${kind} fields must be an object, got ${show(input)}`);
}

const u64 = VALIDATE.u64 as (v: unknown, field: string) => bigint;
const gpa = VALIDATE.gpa as (v: unknown, field: string) => GuestPhysAddr;
const width = VALIDATE.width as (v: unknown, field: string) => AccessWidth;
const reg = VALIDATE.reg as (v: unknown, field: string) => number;
const bool = VALIDATE.bool as (v: unknown, field: string) => boolean;

// Each constructor validates its fields, then builds the exit with the `unchecked` builder the
// decoders use, so every exit of a kind has the same shape (one hidden class, `kind` first);
// EXIT_FIELDS lists the same fields in the same order for the guards, JSON and formatting.

/**
 * A `Hypercall` exit, every field validated: a field of the wrong type or out of range is a
 * `VmExitError` (`"invalid-argument"` / `"out-of-range"`) naming it.
 * @example hypercall({ nr: 0x10, args: [1, 2, 3, 0, 0, 0] })
 */
/* @__NO_SIDE_EFFECTS__ */
export function hypercall(fields: ExitInput<"Hypercall">): ExitOf<"Hypercall"> {
  const f = fieldsOf("Hypercall", fields);
  const args = VALIDATE.args(f.args, "args") as ExitOf<"Hypercall">["args"];
  return unchecked.hypercall(u64(f.nr, "nr"), args);
}
/**
 * A `MmioRead` exit, every field validated: a field of the wrong type or out of range is a
 * `VmExitError` (`"invalid-argument"` / `"out-of-range"`) naming it.
 * @example mmioRead({ addr: 0x9000000, width: 4, reg: 3, regWidth: 8, signedExt: false })
 */
/* @__NO_SIDE_EFFECTS__ */
export function mmioRead(fields: ExitInput<"MmioRead">): ExitOf<"MmioRead"> {
  const f = fieldsOf("MmioRead", fields);
  return unchecked.mmioRead(
    gpa(f.addr, "addr"),
    width(f.width, "width"),
    reg(f.reg, "reg"),
    width(f.regWidth, "regWidth"),
    bool(f.signedExt, "signedExt"),
  );
}
/**
 * A `MmioWrite` exit, every field validated: a field of the wrong type or out of range is a
 * `VmExitError` (`"invalid-argument"` / `"out-of-range"`) naming it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function mmioWrite(fields: ExitInput<"MmioWrite">): ExitOf<"MmioWrite"> {
  const f = fieldsOf("MmioWrite", fields);
  return unchecked.mmioWrite(gpa(f.addr, "addr"), width(f.width, "width"), u64(f.data, "data"));
}
/**
 * A `SysRegRead` exit, every field validated: a field of the wrong type or out of range is a
 * `VmExitError` (`"invalid-argument"` / `"out-of-range"`) naming it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function sysRegRead(fields: ExitInput<"SysRegRead">): ExitOf<"SysRegRead"> {
  const f = fieldsOf("SysRegRead", fields);
  return unchecked.sysRegRead(VALIDATE.sysreg(f.addr, "addr") as number, reg(f.reg, "reg"));
}
/**
 * A `SysRegWrite` exit, every field validated: a field of the wrong type or out of range is a
 * `VmExitError` (`"invalid-argument"` / `"out-of-range"`) naming it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function sysRegWrite(fields: ExitInput<"SysRegWrite">): ExitOf<"SysRegWrite"> {
  const f = fieldsOf("SysRegWrite", fields);
  return unchecked.sysRegWrite(VALIDATE.sysreg(f.addr, "addr") as number, u64(f.value, "value"));
}
/**
 * An `IoRead` exit, every field validated: a field of the wrong type or out of range is a
 * `VmExitError` (`"invalid-argument"` / `"out-of-range"`) naming it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function ioRead(fields: ExitInput<"IoRead">): ExitOf<"IoRead"> {
  const f = fieldsOf("IoRead", fields);
  return unchecked.ioRead(VALIDATE.port(f.port, "port") as number, width(f.width, "width"));
}
/**
 * An `IoWrite` exit, every field validated: a field of the wrong type or out of range is a
 * `VmExitError` (`"invalid-argument"` / `"out-of-range"`) naming it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function ioWrite(fields: ExitInput<"IoWrite">): ExitOf<"IoWrite"> {
  const f = fieldsOf("IoWrite", fields);
  return unchecked.ioWrite(
    VALIDATE.port(f.port, "port") as number,
    width(f.width, "width"),
    u64(f.data, "data"),
  );
}
/**
 * An `ExternalInterrupt` exit, every field validated: a field of the wrong type or out of range is a
 * `VmExitError` (`"invalid-argument"` / `"out-of-range"`) naming it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function externalInterrupt(
  fields: ExitInput<"ExternalInterrupt">,
): ExitOf<"ExternalInterrupt"> {
  const f = fieldsOf("ExternalInterrupt", fields);
  return unchecked.externalInterrupt(u64(f.vector, "vector"));
}
/**
 * A `NestedPageFault` exit, every field validated: a field of the wrong type or out of range is a
 * `VmExitError` (`"invalid-argument"` / `"out-of-range"`) naming it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function nestedPageFault(fields: ExitInput<"NestedPageFault">): ExitOf<"NestedPageFault"> {
  const f = fieldsOf("NestedPageFault", fields);
  return unchecked.nestedPageFault(
    gpa(f.addr, "addr"),
    VALIDATE.flags(f.accessFlags, "accessFlags") as MappingFlags,
  );
}
/** A `Halt` exit (no fields). */
/* @__NO_SIDE_EFFECTS__ */
export function halt(): ExitOf<"Halt"> {
  return { kind: "Halt" };
}
/**
 * A `CpuUp` exit, every field validated: a field of the wrong type or out of range is a
 * `VmExitError` (`"invalid-argument"` / `"out-of-range"`) naming it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function cpuUp(fields: ExitInput<"CpuUp">): ExitOf<"CpuUp"> {
  const f = fieldsOf("CpuUp", fields);
  return unchecked.cpuUp(
    u64(f.targetCpu, "targetCpu"),
    gpa(f.entryPoint, "entryPoint"),
    u64(f.arg, "arg"),
  );
}
/**
 * A `CpuDown` exit, every field validated (`state` is the Rust `_state`): a field of the wrong type or out of range is a
 * `VmExitError` (`"invalid-argument"` / `"out-of-range"`) naming it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function cpuDown(fields: ExitInput<"CpuDown">): ExitOf<"CpuDown"> {
  const f = fieldsOf("CpuDown", fields);
  return unchecked.cpuDown(u64(f.state, "state"));
}
/** A `SystemDown` exit (no fields). */
/* @__NO_SIDE_EFFECTS__ */
export function systemDown(): ExitOf<"SystemDown"> {
  return { kind: "SystemDown" };
}
/** A `Nothing` exit (no fields). */
/* @__NO_SIDE_EFFECTS__ */
export function nothing(): ExitOf<"Nothing"> {
  return { kind: "Nothing" };
}
/**
 * A `FailEntry` exit, every field validated: a field of the wrong type or out of range is a
 * `VmExitError` (`"invalid-argument"` / `"out-of-range"`) naming it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function failEntry(fields: ExitInput<"FailEntry">): ExitOf<"FailEntry"> {
  const f = fieldsOf("FailEntry", fields);
  return unchecked.failEntry(u64(f.hardwareEntryFailureReason, "hardwareEntryFailureReason"));
}
/**
 * A `SendIPI` exit, every field validated: a field of the wrong type or out of range is a
 * `VmExitError` (`"invalid-argument"` / `"out-of-range"`) naming it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function sendIpi(fields: ExitInput<"SendIPI">): ExitOf<"SendIPI"> {
  const f = fieldsOf("SendIPI", fields);
  return unchecked.sendIpi(
    u64(f.targetCpu, "targetCpu"),
    u64(f.targetCpuAux, "targetCpuAux"),
    bool(f.sendToAll, "sendToAll"),
    bool(f.sendToSelf, "sendToSelf"),
    u64(f.vector, "vector"),
  );
}
