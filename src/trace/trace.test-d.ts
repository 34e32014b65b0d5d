import { describe, expectTypeOf, it } from "vitest";
import type { ExitOf, VmExit } from "../core/exit";
import type { GuestPhysAddr } from "../core/scalars/guest-phys-addr";
import type { MmioEvent, PioEvent, TraceCompanion } from "./companions";
import type { PartialExit } from "./join/complete";
import { parseTraceLine } from "./line";
import type { TraceCompanionItem, TraceExitItem, TraceItem } from "./read";
import { type StatGroupBy, statTrace, type TraceStatReport } from "./stat";
import type { TraceLine, TracePrefix } from "./types";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expect<T extends true>(): T | undefined {
  return undefined;
}

describe("trace types", () => {
  it("items narrow on type", () => {
    const item = {} as TraceItem;
    if (item.type === "exit") {
      expectTypeOf(item).toEqualTypeOf<TraceExitItem>();
      expectTypeOf(item.exit).toEqualTypeOf<VmExit | undefined>();
      expectTypeOf(item.missing).toEqualTypeOf<readonly string[] | undefined>();
    }
    if (item.type === "companion") expectTypeOf(item).toEqualTypeOf<TraceCompanionItem>();
    // @ts-expect-error an entry item has no exit
    if (item.type === "entry") void item.exit;
  });

  it("a partial exit narrows on kind and holds only that variant's fields, all optional", () => {
    const p = {} as PartialExit;
    if (p.kind === "MmioWrite") {
      expect<Equal<typeof p.addr, GuestPhysAddr | undefined>>();
      expect<Equal<typeof p.data, bigint | undefined>>();
      // @ts-expect-error no port on an MMIO write
      void p.port;
    }
    // a complete exit is a partial one
    expectTypeOf<ExitOf<"IoWrite">>().toMatchTypeOf<PartialExit>();
  });

  it("companions narrow on event", () => {
    const c = {} as TraceCompanion;
    if (c.event === "kvm_mmio") {
      expectTypeOf(c).toEqualTypeOf<MmioEvent>();
      expectTypeOf(c.access).toEqualTypeOf<"unsatisfied-read" | "read" | "write">();
    }
    if (c.event === "kvm_pio") {
      expectTypeOf(c).toEqualTypeOf<PioEvent>();
      // @ts-expect-error kvm_pio has no gpa
      void c.gpa;
    }
  });

  it("timestamps are bigints; parseTraceLine may return undefined", () => {
    expect<Equal<TracePrefix["timestamp"], bigint | undefined>>();
    expectTypeOf(parseTraceLine).returns.toEqualTypeOf<TraceLine | undefined>();
  });

  it("statistics take the groupings by name", () => {
    expectTypeOf<StatGroupBy>().toEqualTypeOf<
      "reason" | "kind" | "mmio" | "ioport" | "msr" | "hypercall" | "vcpu"
    >();
    expectTypeOf(statTrace).returns.toEqualTypeOf<Promise<TraceStatReport>>();
    // @ts-expect-error not a grouping
    void statTrace([], { by: "port" });
  });
});
