import { describe, expectTypeOf, it } from "vitest";
import type { VmExit } from "./exit";
import { type ExhaustiveHandlers, match } from "./match";
import type { GuestPhysAddr } from "./scalars/guest-phys-addr";
import type { Port } from "./scalars/port";

declare const exit: VmExit;

const all = {
  Hypercall: (e) => e.nr,
  MmioRead: (e) => e.reg,
  MmioWrite: (e) => e.data,
  SysRegRead: (e) => e.reg,
  SysRegWrite: (e) => e.value,
  IoRead: (e) => e.port,
  IoWrite: (e) => e.data,
  ExternalInterrupt: (e) => e.vector,
  NestedPageFault: (e) => e.accessFlags,
  Halt: () => "halt" as const,
  CpuUp: (e) => e.entryPoint,
  CpuDown: (e) => e.state,
  SystemDown: () => "down" as const,
  Nothing: () => null,
  FailEntry: (e) => e.hardwareEntryFailureReason,
  SendIPI: (e) => e.sendToAll,
} satisfies ExhaustiveHandlers;

describe("match types", () => {
  it("compiles with every handler and returns the union of results", () => {
    const r = match(exit, {
      Hypercall: (e) => e.nr,
      MmioRead: (e) => e.reg,
      MmioWrite: (e) => e.data,
      SysRegRead: (e) => e.reg,
      SysRegWrite: (e) => e.value,
      IoRead: (e) => e.port,
      IoWrite: (e) => e.data,
      ExternalInterrupt: (e) => e.vector,
      NestedPageFault: (e) => e.accessFlags,
      Halt: () => "halt" as const,
      CpuUp: (e) => e.entryPoint,
      CpuDown: (e) => e.state,
      SystemDown: () => "down" as const,
      Nothing: () => null,
      FailEntry: (e) => e.hardwareEntryFailureReason,
      SendIPI: (e) => e.sendToAll,
    });
    expectTypeOf(r).toEqualTypeOf<
      | bigint
      | number
      | Port
      | GuestPhysAddr
      | "halt"
      | "down"
      | null
      | boolean
      | import("./scalars/mapping-flags").MappingFlags
    >();
    expectTypeOf(match(exit, all)).toEqualTypeOf<ReturnType<(typeof all)[keyof typeof all]>>();
  });

  it("narrows each handler's parameter to its variant", () => {
    match(exit, {
      MmioRead: (e) => {
        expectTypeOf(e.kind).toEqualTypeOf<"MmioRead">();
        expectTypeOf(e.addr).toEqualTypeOf<GuestPhysAddr>();
        expectTypeOf(e.signedExt).toEqualTypeOf<boolean>();
      },
      IoWrite: (e) => {
        expectTypeOf(e.kind).toEqualTypeOf<"IoWrite">();
        expectTypeOf(e.port).toEqualTypeOf<Port>();
      },
      _: (e) => {
        expectTypeOf(e).toEqualTypeOf<VmExit>();
      },
    });
  });

  it("rejects a record with a handler missing and no _", () => {
    // @ts-expect-error SendIPI has no handler and there is no `_`
    match(exit, {
      Hypercall: () => 0,
      MmioRead: () => 0,
      MmioWrite: () => 0,
      SysRegRead: () => 0,
      SysRegWrite: () => 0,
      IoRead: () => 0,
      IoWrite: () => 0,
      ExternalInterrupt: () => 0,
      NestedPageFault: () => 0,
      Halt: () => 0,
      CpuUp: () => 0,
      CpuDown: () => 0,
      SystemDown: () => 0,
      Nothing: () => 0,
      FailEntry: () => 0,
    });
    // @ts-expect-error an empty record is not exhaustive
    match(exit, {});
  });

  it("accepts any subset with _ and types its result", () => {
    const r = match(exit, { Halt: () => 1 as const, _: () => "other" as const });
    expectTypeOf(r).toEqualTypeOf<1 | "other">();
    const only = match(exit, { _: () => true });
    expectTypeOf(only).toEqualTypeOf<boolean>();
  });

  it("rejects handlers for kinds that do not exist and wrong parameter types", () => {
    // @ts-expect-error Halted is not a kind
    match(exit, { Halted: () => 1, _: () => 2 });
    // @ts-expect-error the IoRead handler cannot take a MmioRead
    match(exit, { IoRead: (e: { kind: "MmioRead" }) => e, _: () => 2 });
  });
});
