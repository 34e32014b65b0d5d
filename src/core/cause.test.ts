import { describe, expect, it } from "vitest";
import { makeCause } from "./cause";

describe("makeCause", () => {
  it("five arguments: the base first, then the class's fields", () => {
    const cause = makeCause("riscv", 5, "IRQ_S_TIMER", "interrupt", { platform: false });
    expect(Object.keys(cause)).toEqual(["arch", "code", "name", "class", "platform"]);
    expect(cause).toEqual({
      arch: "riscv",
      code: 5,
      name: "IRQ_S_TIMER",
      class: "interrupt",
      platform: false,
    });
  });

  it("one argument: the cause literal itself, keys in the order written", () => {
    const literal = {
      arch: "riscv",
      code: 5,
      name: "IRQ_S_TIMER",
      class: "interrupt",
      platform: true,
    } as const;
    const cause = makeCause(literal);
    expect(cause).toBe(literal);
    expect(Object.keys(cause)).toEqual(["arch", "code", "name", "class", "platform"]);
  });
});
