import { describe, expectTypeOf, it } from "vitest";
import { makeCause } from "./cause";

describe("makeCause types", () => {
  it("keeps the literal's exact type and demands the whole base", () => {
    const c = makeCause({ arch: "aarch64", code: 1, name: "WFx", class: "wfx", ti: 0 });
    expectTypeOf(c.class).toEqualTypeOf<"wfx">();
    expectTypeOf(c.ti).toEqualTypeOf<0>();
    // @ts-expect-error: no class
    makeCause({ arch: "aarch64", code: 1, name: "WFx" });
    // @ts-expect-error: not an architecture of the registry
    makeCause({ arch: "sparc", code: 1, name: "X", class: "x" });
  });
});
