import { describe, expectTypeOf, it } from "vitest";
import { VmExitError, type VmExitErrorCode } from "./error";

describe("VmExitError types", () => {
  it("narrows through instanceof (the brand's Symbol.hasInstance is a type predicate)", () => {
    const e: unknown = new VmExitError("invalid-argument", "m");
    if (e instanceof VmExitError) {
      expectTypeOf(e).toEqualTypeOf<VmExitError>();
      expectTypeOf(e.code).toEqualTypeOf<VmExitErrorCode>();
      expectTypeOf(e.field).toEqualTypeOf<string | undefined>();
    }
    // @ts-expect-error the code is one of the documented codes
    new VmExitError("bogus", "m");
    // @ts-expect-error the message is required
    new VmExitError("out-of-range");
  });
});
