import { describe, expectTypeOf, it } from "vitest";
import type { DecodedExit, VmExit } from "../../core/index";
import type { X86MemAccess } from "../insn/index";
import type { VmxCause } from "./cause";
import { decodeVmx } from "./decode";
import type { VmxInterruptionInfo, VmxInterruptionType } from "./interruption";
import type { VmxIoQualification, VmxQualification } from "./qualification";
import type { VmxExitReasonFlags } from "./reasons";
import type { VmxSnapshot } from "./snapshot";

describe("VmxCause types", () => {
  it("decodeVmx returns DecodedExit<VmxCause>", () => {
    expectTypeOf(decodeVmx).returns.toEqualTypeOf<DecodedExit<VmxCause>>();
    expectTypeOf<DecodedExit<VmxCause>["exit"]>().toEqualTypeOf<VmExit>();
  });
  it("has the common cause fields", () => {
    expectTypeOf<VmxCause["arch"]>().toEqualTypeOf<"x86-vmx">();
    expectTypeOf<VmxCause["code"]>().toEqualTypeOf<number>();
    expectTypeOf<VmxCause["name"]>().toEqualTypeOf<string>();
    expectTypeOf<VmxCause["flags"]>().toEqualTypeOf<VmxExitReasonFlags>();
    expectTypeOf<VmxCause["instruction"]>().toEqualTypeOf<X86MemAccess | undefined>();
    expectTypeOf<VmxCause["interruption"]>().toEqualTypeOf<VmxInterruptionInfo | undefined>();
  });
  it("narrows the qualification on type", () => {
    const q = {} as VmxQualification;
    if (q.type === "io") {
      expectTypeOf(q).toEqualTypeOf<VmxIoQualification>();
      expectTypeOf(q.size).toEqualTypeOf<1 | 2 | 4>();
      expectTypeOf(q.direction).toEqualTypeOf<"in" | "out">();
    }
    if (q.type === "ept-violation") {
      expectTypeOf(q.guestPhysicalAddress).toEqualTypeOf<bigint>();
      expectTypeOf(q.read).toEqualTypeOf<boolean>();
      // @ts-expect-error an EPT qualification has no port
      q.port;
    }
    if (q.type === "cr-access") {
      expectTypeOf(q.accessType).toEqualTypeOf<"mov-to-cr" | "mov-from-cr" | "clts" | "lmsw">();
    }
  });
  it("keeps the cause read-only", () => {
    const c = {} as VmxCause;
    // @ts-expect-error readonly
    c.code = 1;
    expectTypeOf<VmxInterruptionInfo["type"]>().toEqualTypeOf<VmxInterruptionType>();
  });
  it("types snapshot fields", () => {
    expectTypeOf<VmxSnapshot["exitReason"]>().toEqualTypeOf<number>();
    // @ts-expect-error unknown register name
    const s: VmxSnapshot = { exitReason: 12, regs: { eax: 1 } };
    void s;
    // @ts-expect-error options.cpuMode must be 16 | 32 | 64
    decodeVmx({ exitReason: 12 }, { cpuMode: 8 });
  });
});
