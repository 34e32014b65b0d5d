import { describe, expectTypeOf, it } from "vitest";
import type { ExplainNode } from "../../core/explain";
import type { Aarch64Snapshot } from "../snapshot";
import {
  AARCH64_SYS_REGS,
  type Aarch64SysReg,
  aarch64SysRegName,
  sysRegNameOfFields,
} from "../tables/sysreg-names";
import { explainEsr } from "./esr";
import { explainAarch64 } from "./snapshot";

describe("explain types", () => {
  it("explainEsr takes a bigint or a number and returns ExplainNode[]", () => {
    expectTypeOf(explainEsr).parameter(0).toEqualTypeOf<bigint | number>();
    expectTypeOf(explainEsr(0x5a00_0000)).toEqualTypeOf<ExplainNode[]>();
    expectTypeOf(explainEsr(0x5a00_0000n)).toEqualTypeOf<ExplainNode[]>();
    // @ts-expect-error a string is not an ESR
    explainEsr("0x5a000000");
    // @ts-expect-error the ESR is required
    explainEsr();
  });

  it("explainAarch64 takes an Aarch64Snapshot", () => {
    expectTypeOf(explainAarch64).parameter(0).toEqualTypeOf<Aarch64Snapshot>();
    expectTypeOf(explainAarch64({ esr: 0 })).toEqualTypeOf<ExplainNode[]>();
    // @ts-expect-error esr is required
    explainAarch64({ far: 0 });
    // @ts-expect-error exception is one of four kinds
    explainAarch64({ esr: 0, exception: "nmi" });
  });

  it("nodes are read-only with bigint values", () => {
    const [node] = explainEsr(0);
    expectTypeOf(node).toEqualTypeOf<ExplainNode | undefined>();
    if (node !== undefined) {
      expectTypeOf(node.value).toEqualTypeOf<bigint>();
      expectTypeOf(node.bits).toEqualTypeOf<readonly [hi: number, lo: number]>();
      // @ts-expect-error nodes are immutable
      node.value = 1n;
    }
  });

  it("sysRegNameOfFields may not know a register", () => {
    expectTypeOf(sysRegNameOfFields(3, 3, 14, 0, 2)).toEqualTypeOf<string | undefined>();
    expectTypeOf(aarch64SysRegName(0x32f800)).toEqualTypeOf<string | undefined>();
    expectTypeOf(AARCH64_SYS_REGS).toEqualTypeOf<readonly Aarch64SysReg[]>();
    // @ts-expect-error the table is read-only
    AARCH64_SYS_REGS.push({ name: "X", op0: 0, op1: 0, crn: 0, crm: 0, op2: 0 });
    // @ts-expect-error five encoding fields are needed
    sysRegNameOfFields(3, 3, 14, 0);
  });
});
