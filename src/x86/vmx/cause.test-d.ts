import { describe, expectTypeOf, it } from "vitest";
import type { DecodedExit } from "../../core/decoded";
import type { VmExit } from "../../core/exit";
import type { X86ApicIcr } from "../icr";
import type { X86MemAccess } from "../insn/access";
import type {
  VmxApicAccessCause,
  VmxCause,
  VmxCauseClass,
  VmxEptFault,
  VmxEptMisconfigCause,
  VmxEptViolationCause,
  VmxIoCause,
  VmxMsrCause,
} from "./cause";
import { decodeVmx, decodeVmxExit } from "./decode";
import type { VmxInterruptionInfo, VmxInterruptionType } from "./interruption";
import type { VmxExitReasonFlags } from "./reasons";
import type { VmxSnapshot } from "./snapshot";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

declare const cause: VmxCause;

// The classes, exactly.
type _Classes = Expect<
  Equal<
    VmxCauseClass,
    | "exception-nmi"
    | "external-interrupt"
    | "task-switch"
    | "invlpg"
    | "vmcall"
    | "cr-access"
    | "dr-access"
    | "io"
    | "msr"
    | "entry-failure"
    | "apic-access"
    | "eoi-induced"
    | "apic-write"
    | "ept-violation"
    | "ept-misconfig"
    | "other"
  >
>;
// The base every cause shares.
type _Base = Expect<Equal<VmxCause["arch"], "x86-vmx">>;
type _Code = Expect<Equal<VmxCause["code"], number>>;
type _Flags = Expect<Equal<VmxCause["flags"], VmxExitReasonFlags>>;
type _Other = Expect<
  Equal<Extract<VmxCause, { class: "other" }>["qualification"], bigint | undefined>
>;
type _Interruption = Expect<
  Equal<
    Extract<VmxCause, { class: "exception-nmi" }>["interruption"],
    VmxInterruptionInfo | undefined
  >
>;
// @ts-expect-error only some classes carry the raw qualification: it is not on every cause
type _NoCommonQualification = VmxCause["qualification"];

describe("VmxCause types", () => {
  it("decodeVmx returns the cause union; decodeVmxExit the exit alone", () => {
    expectTypeOf(decodeVmx).returns.toEqualTypeOf<DecodedExit<VmxCause>>();
    expectTypeOf(decodeVmxExit).returns.toEqualTypeOf<VmExit>();
    expectTypeOf(decodeVmxExit).parameters.toEqualTypeOf<Parameters<typeof decodeVmx>>();
  });

  it("narrows by class with one switch", () => {
    switch (cause.class) {
      case "ept-violation": {
        type _T = Expect<Equal<typeof cause, VmxEptViolationCause>>;
        expectTypeOf(cause.gpa).toEqualTypeOf<bigint>();
        expectTypeOf(cause.fault).toEqualTypeOf<VmxEptFault>();
        expectTypeOf(cause.fault.finalTranslation).toEqualTypeOf<boolean>();
        // @ts-expect-error the qualification bits are in `fault`
        cause.write;
        expectTypeOf(cause.instruction).toEqualTypeOf<X86MemAccess | undefined>();
        expectTypeOf(cause.notMmio).toEqualTypeOf<string | undefined>();
        // @ts-expect-error an EPT violation has no port
        cause.port;
        break;
      }
      case "ept-misconfig":
        expectTypeOf(cause).toEqualTypeOf<VmxEptMisconfigCause>();
        expectTypeOf(cause.gpa).toEqualTypeOf<bigint>();
        // @ts-expect-error an EPT misconfiguration's qualification is undefined: no access bits
        cause.fault;
        break;
      case "io": {
        type _T = Expect<Equal<typeof cause, VmxIoCause>>;
        expectTypeOf(cause.size).toEqualTypeOf<1 | 2 | 4>();
        expectTypeOf(cause.direction).toEqualTypeOf<"in" | "out">();
        expectTypeOf(cause.port).toEqualTypeOf<number>();
        break;
      }
      case "msr":
        expectTypeOf(cause).toEqualTypeOf<VmxMsrCause>();
        expectTypeOf(cause.direction).toEqualTypeOf<"read" | "write">();
        expectTypeOf(cause.icr).toEqualTypeOf<X86ApicIcr | undefined>();
        // @ts-expect-error an MSR access has no guest-physical address
        cause.gpa;
        break;
      case "apic-access":
        expectTypeOf(cause).toEqualTypeOf<VmxApicAccessCause>();
        expectTypeOf(cause.gpa).toEqualTypeOf<bigint | undefined>();
        break;
      case "cr-access":
        expectTypeOf(cause.accessType).toEqualTypeOf<
          "mov-to-cr" | "mov-from-cr" | "clts" | "lmsw" | undefined
        >();
        break;
      case "vmcall":
        expectTypeOf(cause.hypercallAbi).toEqualTypeOf<"axvisor" | "kvm">();
        break;
      default:
        // @ts-expect-error only the memory-access classes have `notMmio`
        cause.notMmio;
    }
  });

  it("keeps the cause read-only", () => {
    // @ts-expect-error readonly
    cause.code = 1;
    if (cause.class === "io") {
      // @ts-expect-error readonly
      cause.port = 1;
    }
    expectTypeOf<VmxInterruptionInfo["type"]>().toEqualTypeOf<VmxInterruptionType>();
  });

  it("types snapshot fields and options", () => {
    expectTypeOf<VmxSnapshot["exitReason"]>().toEqualTypeOf<number>();
    // @ts-expect-error unknown register name
    const s: VmxSnapshot = { exitReason: 12, regs: { eax: 1 } };
    void s;
    // @ts-expect-error options.cpuMode must be 16 | 32 | 64
    decodeVmx({ exitReason: 12 }, { cpuMode: 8 });
    // @ts-expect-error options.apicBase is a bigint
    decodeVmxExit({ exitReason: 12 }, { apicBase: 0xfee00000 });
  });
});
