import type { ExitKind } from "./exit";

/** How a field is represented and validated. */
export type FieldType =
  | "u64"
  | "gpa"
  | "port"
  | "sysreg"
  | "width"
  | "flags"
  | "reg"
  | "bool"
  | "args";

/** One field of a variant: its name and type. */
export type FieldSpec = readonly [name: string, type: FieldType];

/** The fields of every variant, in declaration order: the data behind constructors, guards and JSON. */
export const EXIT_FIELDS: { readonly [K in ExitKind]: readonly FieldSpec[] } = {
  Hypercall: [
    ["nr", "u64"],
    ["args", "args"],
  ],
  MmioRead: [
    ["addr", "gpa"],
    ["width", "width"],
    ["reg", "reg"],
    ["regWidth", "width"],
    ["signedExt", "bool"],
  ],
  MmioWrite: [
    ["addr", "gpa"],
    ["width", "width"],
    ["data", "u64"],
  ],
  SysRegRead: [
    ["addr", "sysreg"],
    ["reg", "reg"],
  ],
  SysRegWrite: [
    ["addr", "sysreg"],
    ["value", "u64"],
  ],
  IoRead: [
    ["port", "port"],
    ["width", "width"],
  ],
  IoWrite: [
    ["port", "port"],
    ["width", "width"],
    ["data", "u64"],
  ],
  ExternalInterrupt: [["vector", "u64"]],
  NestedPageFault: [
    ["addr", "gpa"],
    ["accessFlags", "flags"],
  ],
  Halt: [],
  CpuUp: [
    ["targetCpu", "u64"],
    ["entryPoint", "gpa"],
    ["arg", "u64"],
  ],
  CpuDown: [["state", "u64"]],
  SystemDown: [],
  Nothing: [],
  FailEntry: [["hardwareEntryFailureReason", "u64"]],
  SendIPI: [
    ["targetCpu", "u64"],
    ["targetCpuAux", "u64"],
    ["sendToAll", "bool"],
    ["sendToSelf", "bool"],
    ["vector", "u64"],
  ],
};
