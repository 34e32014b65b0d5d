import { describe, expect, it } from "vitest";
import { makeCause } from "./cause";

describe("makeCause", () => {
  it("is the cause literal itself, keys in the order written (base first)", () => {
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
