// The one place each exit's object literal is written (`kind` first, fields in EXIT_FIELDS order).
// The public constructors validate and then call these; the decoders, which validate the raw
// register state once, call them directly with values already known to be in range (checking
// every field again cost an SBI hypercall seven more bigint range checks). Not part of the
// package's API; the property tests check every decoded exit with `isVmExit`.
import type { ExitOf } from "./exit";
import type { AccessWidth } from "./scalars/access-width";
import type { GuestPhysAddr } from "./scalars/guest-phys-addr";
import type { MappingFlags } from "./scalars/mapping-flags";
import type { Port } from "./scalars/port";
import type { SysRegAddr } from "./scalars/sys-reg-addr";

/** A `Hypercall` exit from a u64 `nr` and six u64 arguments. */
export function hypercall(
  nr: bigint,
  args: readonly [bigint, bigint, bigint, bigint, bigint, bigint],
): ExitOf<"Hypercall"> {
  return { kind: "Hypercall", nr, args };
}

/** A `MmioRead` exit; `addr` is a u64, `reg` in 0…31. */
export function mmioRead(
  addr: bigint,
  width: AccessWidth,
  reg: number,
  regWidth: AccessWidth,
  signedExt: boolean,
): ExitOf<"MmioRead"> {
  return { kind: "MmioRead", addr: addr as GuestPhysAddr, width, reg, regWidth, signedExt };
}

/** A `MmioWrite` exit; `addr` and `data` are u64s. */
export function mmioWrite(addr: bigint, width: AccessWidth, data: bigint): ExitOf<"MmioWrite"> {
  return { kind: "MmioWrite", addr: addr as GuestPhysAddr, width, data };
}

/** A `SysRegRead` exit; `addr` is a u32, `reg` in 0…31. */
export function sysRegRead(addr: number, reg: number): ExitOf<"SysRegRead"> {
  return { kind: "SysRegRead", addr: addr as SysRegAddr, reg };
}

/** A `SysRegWrite` exit; `addr` is a u32, `value` a u64. */
export function sysRegWrite(addr: number, value: bigint): ExitOf<"SysRegWrite"> {
  return { kind: "SysRegWrite", addr: addr as SysRegAddr, value };
}

/** An `ExternalInterrupt` exit; `vector` is a u64. */
export function externalInterrupt(vector: bigint): ExitOf<"ExternalInterrupt"> {
  return { kind: "ExternalInterrupt", vector };
}

/** A `NestedPageFault` exit; `addr` is a u64. */
export function nestedPageFault(
  addr: bigint,
  accessFlags: MappingFlags,
): ExitOf<"NestedPageFault"> {
  return { kind: "NestedPageFault", addr: addr as GuestPhysAddr, accessFlags };
}

/** A `CpuUp` exit; all three values are u64s. */
export function cpuUp(targetCpu: bigint, entryPoint: bigint, arg: bigint): ExitOf<"CpuUp"> {
  return { kind: "CpuUp", targetCpu, entryPoint: entryPoint as GuestPhysAddr, arg };
}

/** A `SendIPI` exit; the three numbers are u64s. */
export function sendIpi(
  targetCpu: bigint,
  targetCpuAux: bigint,
  sendToAll: boolean,
  sendToSelf: boolean,
  vector: bigint,
): ExitOf<"SendIPI"> {
  return { kind: "SendIPI", targetCpu, targetCpuAux, sendToAll, sendToSelf, vector };
}

/** An `IoRead` exit; `port` in 0…0xFFFF. */
export function ioRead(port: number, width: AccessWidth): ExitOf<"IoRead"> {
  return { kind: "IoRead", port: port as Port, width };
}

/** An `IoWrite` exit; `port` in 0…0xFFFF, `data` a u64. */
export function ioWrite(port: number, width: AccessWidth, data: bigint): ExitOf<"IoWrite"> {
  return { kind: "IoWrite", port: port as Port, width, data };
}

/** A `CpuDown` exit; `state` is a u64. */
export function cpuDown(state: bigint): ExitOf<"CpuDown"> {
  return { kind: "CpuDown", state };
}

/** A `FailEntry` exit; the reason is a u64. */
export function failEntry(hardwareEntryFailureReason: bigint): ExitOf<"FailEntry"> {
  return { kind: "FailEntry", hardwareEntryFailureReason };
}
