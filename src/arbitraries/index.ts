import fc from "fast-check";
import {
  cpuDown,
  cpuUp,
  externalInterrupt,
  failEntry,
  halt,
  hypercall,
  ioRead,
  ioWrite,
  mmioRead,
  mmioWrite,
  nestedPageFault,
  nothing,
  sendIpi,
  sysRegRead,
  sysRegWrite,
  systemDown,
} from "../core/constructors";
import type { ExitKind, ExitOf, VmExit } from "../core/exit";
import { type AccessWidth, accessWidth as toAccessWidth } from "../core/scalars/access-width";
import { type GuestPhysAddr, guestPhysAddr as toGpa } from "../core/scalars/guest-phys-addr";
import { type MappingFlags, mappingFlags as toFlags } from "../core/scalars/mapping-flags";
import { type Port, port as toPort } from "../core/scalars/port";
import { type SysRegAddr, sysRegAddr as toSysRegAddr } from "../core/scalars/sys-reg-addr";
import { U64_MAX } from "../core/u64";

/** Any u64 as a bigint, biased towards small values and the edges. */
export function u64(): fc.Arbitrary<bigint> {
  return fc.oneof(
    fc.bigInt({ min: 0n, max: U64_MAX }),
    fc.bigInt({ min: 0n, max: 0xffff_ffffn }),
    fc.constantFrom(0n, 1n, 0x7fff_ffffn, 0x8000_0000n, 0xffff_ffffn, 0x1_0000_0000n, U64_MAX),
  );
}

/** Any guest-physical address. */
export function guestPhysAddr(): fc.Arbitrary<GuestPhysAddr> {
  return u64().map(toGpa);
}

/** Any I/O port, 0…0xFFFF. */
export function port(): fc.Arbitrary<Port> {
  return fc.integer({ min: 0, max: 0xffff }).map(toPort);
}

/** Any system-register address, 0…0xFFFF_FFFF. */
export function sysRegAddr(): fc.Arbitrary<SysRegAddr> {
  return fc.integer({ min: 0, max: 0xffff_ffff }).map(toSysRegAddr);
}

/** Any access width: 1, 2, 4 or 8. */
export function accessWidth(): fc.Arbitrary<AccessWidth> {
  return fc.constantFrom(1, 2, 4, 8).map((v) => toAccessWidth(v));
}

/** Any set of mapping flags (bits 0x3F). */
export function mappingFlags(): fc.Arbitrary<MappingFlags> {
  return fc.integer({ min: 0, max: 0x3f }).map((v) => toFlags(v));
}

/** Any register index a `reg` field allows, 0…31. */
export function regIndex(): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 31 });
}

const args6 = fc.tuple(u64(), u64(), u64(), u64(), u64(), u64());

/** Arbitraries for every variant, keyed by kind. */
export const exitArbitraries: { readonly [K in ExitKind]: fc.Arbitrary<ExitOf<K>> } = {
  Hypercall: fc.record({ nr: u64(), args: args6 }).map(hypercall),
  MmioRead: fc
    .record({
      addr: u64(),
      width: accessWidth(),
      reg: regIndex(),
      regWidth: accessWidth(),
      signedExt: fc.boolean(),
    })
    .map(mmioRead),
  MmioWrite: fc.record({ addr: u64(), width: accessWidth(), data: u64() }).map(mmioWrite),
  SysRegRead: fc.record({ addr: sysRegAddr(), reg: regIndex() }).map(sysRegRead),
  SysRegWrite: fc.record({ addr: sysRegAddr(), value: u64() }).map(sysRegWrite),
  IoRead: fc.record({ port: port(), width: accessWidth() }).map(ioRead),
  IoWrite: fc.record({ port: port(), width: accessWidth(), data: u64() }).map(ioWrite),
  ExternalInterrupt: fc.record({ vector: u64() }).map(externalInterrupt),
  NestedPageFault: fc.record({ addr: u64(), accessFlags: mappingFlags() }).map(nestedPageFault),
  Halt: fc.constant(null).map(halt),
  CpuUp: fc.record({ targetCpu: u64(), entryPoint: u64(), arg: u64() }).map(cpuUp),
  CpuDown: fc.record({ state: u64() }).map(cpuDown),
  SystemDown: fc.constant(null).map(systemDown),
  Nothing: fc.constant(null).map(nothing),
  FailEntry: fc.record({ hardwareEntryFailureReason: u64() }).map(failEntry),
  SendIPI: fc
    .record({
      targetCpu: u64(),
      targetCpuAux: u64(),
      sendToAll: fc.boolean(),
      sendToSelf: fc.boolean(),
      vector: u64(),
    })
    .map(sendIpi),
};

/** Any exit of the given kind. */
export function exitOf<K extends ExitKind>(kind: K): fc.Arbitrary<ExitOf<K>> {
  return exitArbitraries[kind] as fc.Arbitrary<ExitOf<K>>;
}

/** Any exit of any kind. */
export function vmExit(): fc.Arbitrary<VmExit> {
  return fc.oneof(...Object.values(exitArbitraries)) as fc.Arbitrary<VmExit>;
}

export * from "./aarch64";
export { type ArchArbitraries, arbitrariesByArch, schemaGarbage } from "./registry";
export * from "./riscv";
export * from "./svm";
export * from "./x86";
