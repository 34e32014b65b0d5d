import { describe, expect, it } from "vitest";
import { checkArg } from "./check-arg";
import { VmExitError } from "./error";

/** The error `checkArg` throws, or undefined when it accepts. */
function rejection(f: () => void): VmExitError | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof VmExitError) return e;
    throw e;
  }
  return undefined;
}

describe("checkArg", () => {
  it("tells booleans from their look-alikes", () => {
    expect(rejection(() => checkArg(false, "boolean", "decode"))).toBeUndefined();
    for (const [v, shown] of [
      [0, "0"],
      ["true", '"true"'],
      [null, "null"],
    ] as const) {
      expect(rejection(() => checkArg(v, "boolean", "options.decode"))?.message).toBe(
        `options.decode must be a boolean, got ${shown}`,
      );
    }
  });

  it("takes an area's own check and names the argument in its message", () => {
    const even = (v: unknown) => (v === 2 || v === 4 ? undefined : "2 or 4");
    expect(rejection(() => checkArg(4, even, "n"))).toBeUndefined();
    const e = rejection(() => checkArg(3, even, "n"));
    expect([e?.code, e?.field, e?.message]).toEqual(["invalid-argument", "n", "n must be 2 or 4"]);
  });
});
