import { describe, expectTypeOf, it } from "vitest";
import type { DecodedExit } from "../core/decoded";
import type { VmExit } from "../core/exit";
import type {
  Aarch64Cause,
  Aarch64CauseClass,
  Aarch64DataAbortCause,
  Aarch64HvcSmcCause,
  Aarch64InstructionAbortCause,
  Aarch64InterruptCause,
  Aarch64OtherCause,
  Aarch64SErrorCause,
  Aarch64Sys64Cause,
  Aarch64WfxCause,
} from "./cause";
import { decodeAarch64, decodeAarch64Exit } from "./decode/decode";
import type { Aarch64LoadStore } from "./decode/load-store";
import type { canEncodeAarch64, encodeAarch64 } from "./encode";
import type { Aarch64Snapshot } from "./snapshot";
import type { FscClass } from "./tables/dfsc";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

/** The cause `class` narrows to, by exhaustive `switch`: a missing case would not compile. */
function classOf(c: Aarch64Cause): string {
  switch (c.class) {
    case "interrupt":
      return `${c.intid}`;
    case "serror":
      return `${c.aet}`;
    case "wfx":
      return c.mnemonic;
    case "hvc-smc":
      return c.conduit;
    case "sys64":
      return c.direction;
    case "instruction-abort":
      return `${c.gpa}`;
    case "data-abort":
      return c.notMmio ?? "mmio";
    case "other":
      return c.description;
    default: {
      const never: never = c;
      return never;
    }
  }
}

describe("Aarch64Cause types", () => {
  it("decodeAarch64 returns a DecodedExit of the cause union; the twin only the exit", () => {
    const d = decodeAarch64({ esr: 0x0600_0000 });
    type _d = Expect<Equal<typeof d, DecodedExit<Aarch64Cause>>>;
    type _exit = Expect<Equal<ReturnType<typeof decodeAarch64Exit>, VmExit>>;
    type _arch = Expect<Equal<typeof d.cause.arch, "aarch64">>;
    type _classes = Expect<
      Equal<
        Aarch64CauseClass,
        | "interrupt"
        | "serror"
        | "wfx"
        | "hvc-smc"
        | "sys64"
        | "instruction-abort"
        | "data-abort"
        | "other"
      >
    >;
    expectTypeOf(classOf).returns.toEqualTypeOf<string>();
  });

  it("narrows by class to each cause interface", () => {
    const c = decodeAarch64({ esr: 0x9381_0047 }).cause;
    type ByClass<K extends Aarch64CauseClass> = Extract<Aarch64Cause, { class: K }>;
    type _interrupt = Expect<Equal<ByClass<"interrupt">, Aarch64InterruptCause>>;
    type _serror = Expect<Equal<ByClass<"serror">, Aarch64SErrorCause>>;
    type _wfx = Expect<Equal<ByClass<"wfx">, Aarch64WfxCause>>;
    type _call = Expect<Equal<ByClass<"hvc-smc">, Aarch64HvcSmcCause>>;
    type _sys = Expect<Equal<ByClass<"sys64">, Aarch64Sys64Cause>>;
    type _iabt = Expect<Equal<ByClass<"instruction-abort">, Aarch64InstructionAbortCause>>;
    type _dabt = Expect<Equal<ByClass<"data-abort">, Aarch64DataAbortCause>>;
    type _other = Expect<Equal<ByClass<"other">, Aarch64OtherCause>>;
    if (c.class === "data-abort") {
      type _narrowed = Expect<Equal<typeof c, Aarch64DataAbortCause>>;
      type _sas = Expect<Equal<typeof c.sas, number>>;
      type _fsc = Expect<Equal<typeof c.fscClass, FscClass | undefined>>;
      type _gpa = Expect<Equal<typeof c.gpa, bigint | undefined>>;
      type _insn = Expect<Equal<typeof c.instruction, Aarch64LoadStore | undefined>>;
      type _why = Expect<Equal<typeof c.notMmio, string | undefined>>;
    }
    if (c.class === "sys64") {
      type _dir = Expect<Equal<typeof c.direction, "read" | "write">>;
      type _why = Expect<Equal<typeof c.notSendIpi, string | undefined>>;
    }
    if (c.class === "wfx") {
      type _m = Expect<Equal<typeof c.mnemonic, "WFI" | "WFE" | "WFIT" | "WFET">>;
      // @ts-expect-error a WFx cause has no instruction object: the trapped instruction is `mnemonic`
      c.instruction;
    }
    if (c.class === "hvc-smc") {
      type _conv = Expect<Equal<typeof c.convention, 32 | 64>>;
    }
    if (c.class === "instruction-abort") {
      // @ts-expect-error the faulting address is `gpa`, on every architecture
      c.ipa;
    }
    // @ts-expect-error sas exists only on data aborts
    c.sas;
    // @ts-expect-error the discriminant is `class`
    c.group;
  });

  it("snapshots take bigint or number registers and a closed exception set", () => {
    type _esr = Expect<Equal<Aarch64Snapshot["esr"], bigint | number>>;
    // @ts-expect-error "nmi" is not an AArch64 exception kind
    decodeAarch64({ esr: 0, exception: "nmi" });
    // @ts-expect-error esr is required
    decodeAarch64({ far: 0 });
    // @ts-expect-error isMmio is a function of the IPA
    decodeAarch64({ esr: 0 }, { isMmio: 5 });
    // @ts-expect-error there is no such option
    decodeAarch64Exit({ esr: 0 }, { cpuMode: 64 });
    type _enc = Expect<Equal<ReturnType<typeof encodeAarch64>, Aarch64Snapshot>>;
    type _can = Expect<Equal<ReturnType<typeof canEncodeAarch64>, boolean>>;
  });
});
