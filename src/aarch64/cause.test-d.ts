import { describe, expectTypeOf, it } from "vitest";
import type { DecodedExit } from "../core/decoded";
import type { VmExit } from "../core/exit";
import type {
  Aarch64Cause,
  Aarch64CauseGroup,
  Aarch64DataAbortCause,
  Aarch64SysRegCause,
} from "./cause";
import { decodeAarch64 } from "./decode";
import type { FscClass } from "./dfsc";
import { canEncodeAarch64, encodeAarch64 } from "./encode";
import type { Aarch64Snapshot } from "./snapshot";

describe("Aarch64Cause types", () => {
  it("decodeAarch64 returns a DecodedExit of the cause union", () => {
    const d = decodeAarch64({ esr: 0x0600_0000 });
    expectTypeOf(d).toEqualTypeOf<DecodedExit<Aarch64Cause>>();
    expectTypeOf(d.exit).toEqualTypeOf<VmExit>();
    expectTypeOf(d.cause.arch).toEqualTypeOf<"aarch64">();
    expectTypeOf<Aarch64CauseGroup>().toEqualTypeOf<
      | "interrupt"
      | "serror"
      | "wfx"
      | "call"
      | "sysreg"
      | "instruction-abort"
      | "data-abort"
      | "other"
    >();
  });
  it("narrows by group to the typed ISS fields", () => {
    const c = decodeAarch64({ esr: 0x9381_0047 }).cause;
    if (c.group === "data-abort") {
      expectTypeOf(c).toEqualTypeOf<Aarch64DataAbortCause>();
      expectTypeOf(c.sas).toEqualTypeOf<number>();
      expectTypeOf(c.wnr).toEqualTypeOf<boolean>();
      expectTypeOf(c.fscClass).toEqualTypeOf<FscClass | undefined>();
      expectTypeOf(c.ipa).toEqualTypeOf<bigint | undefined>();
    }
    if (c.group === "sysreg") {
      expectTypeOf(c).toEqualTypeOf<Aarch64SysRegCause>();
      expectTypeOf(c.direction).toEqualTypeOf<"read" | "write">();
      expectTypeOf(c.register).toEqualTypeOf<string | undefined>();
    }
    if (c.group === "wfx") {
      expectTypeOf(c.instruction).toEqualTypeOf<"WFI" | "WFE" | "WFIT" | "WFET">();
    }
    if (c.group === "call") {
      expectTypeOf(c.conduit).toEqualTypeOf<"hvc" | "smc">();
      expectTypeOf(c.convention).toEqualTypeOf<32 | 64>();
    }
    // @ts-expect-error sas exists only on data aborts
    c.sas;
  });
  it("snapshots take bigint or number registers and a closed exception set", () => {
    expectTypeOf<Aarch64Snapshot["esr"]>().toEqualTypeOf<bigint | number>();
    // @ts-expect-error "nmi" is not an AArch64 exception kind
    decodeAarch64({ esr: 0, exception: "nmi" });
    // @ts-expect-error esr is required
    decodeAarch64({ far: 0 });
    expectTypeOf(encodeAarch64).returns.toEqualTypeOf<Aarch64Snapshot>();
    expectTypeOf(canEncodeAarch64).returns.toEqualTypeOf<boolean>();
  });
});
