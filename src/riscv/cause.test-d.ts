import { describe, expectTypeOf, it } from "vitest";
import type { CauseOf } from "../codecs";
import type { DecodedExit } from "../core/decoded";
import type { VmExit } from "../core/exit";
import type { ExplainNode } from "../core/explain";
import {
  canEncodeRiscv,
  decodeRiscv,
  decodeRiscvExit,
  encodeRiscv,
  explainRiscv,
  explainScause,
  type RiscvCause,
  type RiscvCauseClass,
  type RiscvDecodeOptions,
  type RiscvExceptionCause,
  type RiscvGuestPageFaultCause,
  type RiscvInstruction,
  type RiscvInterruptCause,
  type RiscvSbiCallCause,
  type RiscvSnapshot,
  type RiscvVirtualInstructionCause,
  type SbiCall,
  SCAUSE_EXCEPTION_NAMES,
} from "./index";

/** True when X and Y are the same type (not merely assignable). */
type Equal<X, Y> =
  (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
/** Compiles only for `true`. */
type Expect<T extends true> = T;

describe("riscv types", () => {
  it("decodeRiscv returns DecodedExit<RiscvCause>; decodeRiscvExit the exit", () => {
    expectTypeOf(decodeRiscv).returns.toEqualTypeOf<DecodedExit<RiscvCause>>();
    expectTypeOf(decodeRiscv).parameter(0).toEqualTypeOf<RiscvSnapshot>();
    expectTypeOf(decodeRiscvExit).returns.toEqualTypeOf<VmExit>();
    expectTypeOf(decodeRiscvExit).parameters.toEqualTypeOf<
      [RiscvSnapshot, (RiscvDecodeOptions | undefined)?]
    >();
    expectTypeOf(encodeRiscv).returns.toEqualTypeOf<RiscvSnapshot>();
    expectTypeOf(encodeRiscv).parameter(0).toEqualTypeOf<VmExit>();
    expectTypeOf(canEncodeRiscv).returns.toEqualTypeOf<boolean>();
    expectTypeOf(explainRiscv).returns.toEqualTypeOf<ExplainNode[]>();
    expectTypeOf(explainRiscv).parameter(1).toEqualTypeOf<RiscvDecodeOptions | undefined>();
    expectTypeOf(explainScause).parameter(1).toEqualTypeOf<32 | 64 | undefined>();
    expectTypeOf(SCAUSE_EXCEPTION_NAMES).toEqualTypeOf<readonly (string | undefined)[]>();
    type _registry = Expect<Equal<CauseOf<"riscv">, RiscvCause>>;
  });

  it("the cause is a union discriminated by class", () => {
    type _classes = Expect<
      Equal<
        RiscvCauseClass,
        "interrupt" | "sbi-call" | "guest-page-fault" | "virtual-instruction" | "exception"
      >
    >;
    type _gpf = Expect<
      Equal<Extract<RiscvCause, { class: "guest-page-fault" }>, RiscvGuestPageFaultCause>
    >;
    type _sbi = Expect<Equal<Extract<RiscvCause, { class: "sbi-call" }>, RiscvSbiCallCause>>;
    type _irq = Expect<Equal<Extract<RiscvCause, { class: "interrupt" }>, RiscvInterruptCause>>;
    type _vi = Expect<
      Equal<Extract<RiscvCause, { class: "virtual-instruction" }>, RiscvVirtualInstructionCause>
    >;
    type _exc = Expect<Equal<Extract<RiscvCause, { class: "exception" }>, RiscvExceptionCause>>;
    // the base every cause has, on every arch
    type _base = Expect<Equal<RiscvCause["arch"], "riscv">>;
    type _code = Expect<Equal<RiscvCause["code"], number>>;
    type _name = Expect<Equal<RiscvCause["name"], string>>;
  });

  it("one switch on class narrows the cause", () => {
    const { cause } = decodeRiscv({ scause: 21 });
    switch (cause.class) {
      case "guest-page-fault": {
        type _t = Expect<Equal<typeof cause, RiscvGuestPageFaultCause>>;
        type _gpa = Expect<Equal<typeof cause.gpa, bigint>>;
        type _notMmio = Expect<Equal<typeof cause.notMmio, string | undefined>>;
        type _insn = Expect<Equal<typeof cause.instruction, RiscvInstruction | undefined>>;
        type _access = Expect<Equal<typeof cause.access, "fetch" | "load" | "store">>;
        break;
      }
      case "sbi-call": {
        type _sbi = Expect<Equal<typeof cause.sbi, SbiCall>>;
        type _eid = Expect<Equal<typeof cause.sbi.eid, number | undefined>>;
        // @ts-expect-error an SBI call has no gpa
        cause.gpa;
        break;
      }
      case "interrupt": {
        type _platform = Expect<Equal<typeof cause.platform, boolean>>;
        // @ts-expect-error an interrupt has no instruction
        cause.instruction;
        break;
      }
      case "virtual-instruction": {
        type _csr = Expect<Equal<typeof cause.csr, number | undefined>>;
        type _csrName = Expect<Equal<typeof cause.csrName, string | undefined>>;
        type _insn = Expect<Equal<typeof cause.instruction, RiscvInstruction | undefined>>;
        break;
      }
      case "exception": {
        type _custom = Expect<Equal<typeof cause.custom, boolean>>;
        break;
      }
      default: {
        type _never = Expect<Equal<typeof cause, never>>;
      }
    }
    // @ts-expect-error `category` is gone: `class` is the discriminant
    cause.category;
    // @ts-expect-error not a class of RISC-V
    if (cause.class === "data-abort") void cause;
  });

  it("instruction fields are typed", () => {
    type _length = Expect<Equal<RiscvInstruction["length"], 2 | 4>>;
    type _width = Expect<Equal<RiscvInstruction["width"], 1 | 2 | 4 | 8 | undefined>>;
    type _access = Expect<Equal<RiscvInstruction["access"], "load" | "store" | "amo" | undefined>>;
    type _source = Expect<Equal<RiscvInstruction["source"], "htinst" | "stval" | "snapshot">>;
  });

  it("snapshots accept bigint or number registers, xlen 32 | 64 only", () => {
    expectTypeOf<RiscvSnapshot>().toMatchTypeOf<{ scause: bigint | number }>();
    // @ts-expect-error xlen must be 32 or 64
    const bad: RiscvSnapshot = { scause: 1, xlen: 16 };
    // @ts-expect-error scause is required
    const missing: RiscvSnapshot = { stval: 1 };
    // @ts-expect-error registers are bigint | number
    const str: RiscvSnapshot = { scause: "1" };
    // @ts-expect-error isMmio is not an encode option
    encodeRiscv({ kind: "Halt" }, { isMmio: () => true });
    void bad;
    void missing;
    void str;
  });
});
