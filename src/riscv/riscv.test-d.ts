import { describe, expectTypeOf, it } from "vitest";
import type { DecodedExit } from "../core/decoded";
import type { VmExit } from "../core/exit";
import type { ExplainNode } from "../core/explain";
import {
  canEncodeRiscv,
  decodeRiscv,
  encodeRiscv,
  explainRiscv,
  explainScause,
  type RiscvCause,
  type RiscvGuestPageFaultCause,
  type RiscvInstruction,
  type RiscvSnapshot,
  type SbiCall,
  SCAUSE_EXCEPTION_NAMES,
} from "./index";

describe("riscv types", () => {
  it("decodeRiscv returns DecodedExit<RiscvCause>", () => {
    expectTypeOf(decodeRiscv).returns.toEqualTypeOf<DecodedExit<RiscvCause>>();
    expectTypeOf(decodeRiscv).parameter(0).toEqualTypeOf<RiscvSnapshot>();
    expectTypeOf(encodeRiscv).returns.toEqualTypeOf<RiscvSnapshot>();
    expectTypeOf(encodeRiscv).parameter(0).toEqualTypeOf<VmExit>();
    expectTypeOf(canEncodeRiscv).returns.toEqualTypeOf<boolean>();
    expectTypeOf(explainRiscv).returns.toEqualTypeOf<ExplainNode[]>();
    expectTypeOf(explainScause).parameter(1).toEqualTypeOf<32 | 64 | undefined>();
    expectTypeOf(SCAUSE_EXCEPTION_NAMES).toEqualTypeOf<readonly (string | undefined)[]>();
  });

  it("the cause narrows on category", () => {
    const { cause } = decodeRiscv({ scause: 21 });
    expectTypeOf(cause.arch).toEqualTypeOf<"riscv">();
    expectTypeOf(cause.code).toEqualTypeOf<number>();
    expectTypeOf(cause.category).toEqualTypeOf<
      "interrupt" | "ecall" | "guest-page-fault" | "virtual-instruction" | "exception"
    >();
    if (cause.category === "guest-page-fault") {
      expectTypeOf(cause).toEqualTypeOf<RiscvGuestPageFaultCause>();
      expectTypeOf(cause.gpa).toEqualTypeOf<bigint>();
      expectTypeOf(cause.access).toEqualTypeOf<"fetch" | "load" | "store">();
      expectTypeOf(cause.instruction).toEqualTypeOf<RiscvInstruction | undefined>();
      expectTypeOf(cause.instructionSource).toEqualTypeOf<
        "htinst" | "stval" | "snapshot" | undefined
      >();
      expectTypeOf(cause.interrupt).toEqualTypeOf<false>();
    }
    if (cause.category === "ecall") {
      expectTypeOf(cause.sbi).toEqualTypeOf<SbiCall>();
      expectTypeOf(cause.sbi.eid).toEqualTypeOf<number | undefined>();
      // @ts-expect-error an ecall cause has no gpa
      cause.gpa;
    }
    if (cause.category === "interrupt") {
      expectTypeOf(cause.interrupt).toEqualTypeOf<true>();
      expectTypeOf(cause.platform).toEqualTypeOf<boolean>();
    }
    if (cause.category === "virtual-instruction") {
      expectTypeOf(cause.csr).toEqualTypeOf<number | undefined>();
      expectTypeOf(cause.csrName).toEqualTypeOf<string | undefined>();
    }
  });

  it("instruction fields are typed", () => {
    expectTypeOf<RiscvInstruction["length"]>().toEqualTypeOf<2 | 4>();
    expectTypeOf<RiscvInstruction["width"]>().toEqualTypeOf<1 | 2 | 4 | 8 | undefined>();
    expectTypeOf<RiscvInstruction["access"]>().toEqualTypeOf<
      "load" | "store" | "amo" | undefined
    >();
  });

  it("snapshots accept bigint or number registers, xlen 32 | 64 only", () => {
    expectTypeOf<RiscvSnapshot>().toMatchTypeOf<{ scause: bigint | number }>();
    // @ts-expect-error xlen must be 32 or 64
    const bad: RiscvSnapshot = { scause: 1, xlen: 16 };
    // @ts-expect-error scause is required
    const missing: RiscvSnapshot = { stval: 1 };
    // @ts-expect-error registers are bigint | number
    const str: RiscvSnapshot = { scause: "1" };
    void bad;
    void missing;
    void str;
  });
});
