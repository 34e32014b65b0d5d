import { describe, expectTypeOf, it } from "vitest";
import type { CauseOf, SnapshotOf } from "../../codecs";
import type { DecodedExit } from "../../core/decoded";
import type { VmExit } from "../../core/exit";
import type { X86ApicIcr } from "../icr";
import type { X86MemAccess } from "../insn/access";
import type {
  SvmAvicIncompleteIpiCause,
  SvmCause,
  SvmCauseClass,
  SvmIoCause,
  SvmMsrCause,
  SvmNpfCause,
  SvmNpfFault,
} from "./cause";
import { decodeSvm, decodeSvmExit } from "./decode";
import type { SvmEventInfo, SvmEventType } from "./event";
import type { SvmGhcbMsrRequest } from "./ghcb";
import type { SvmSnapshot } from "./snapshot";
import { decodeSvmVmcb } from "./vmcb";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

declare const cause: SvmCause;

// The classes, exactly.
type _Classes = Expect<
  Equal<
    SvmCauseClass,
    | "cr-access"
    | "dr-access"
    | "cr-write-trap"
    | "exception"
    | "interrupt"
    | "invlpg"
    | "io"
    | "msr"
    | "task-switch"
    | "vmmcall"
    | "npf"
    | "avic-incomplete-ipi"
    | "avic-unaccelerated-access"
    | "vmgexit"
    | "entry-failure"
    | "other"
  >
>;
// The base every cause shares, and EXITINTINFO on every class.
type _Arch = Expect<Equal<SvmCause["arch"], "x86-svm">>;
type _Code = Expect<Equal<SvmCause["code"], number>>;
type _IntInfo = Expect<Equal<SvmCause["exitIntInfo"], SvmEventInfo | undefined>>;
type _Registry = Expect<Equal<CauseOf<"x86-svm">, SvmCause>>;
type _Snapshot = Expect<Equal<SnapshotOf<"x86-svm">, SvmSnapshot>>;
// @ts-expect-error only some classes carry the raw EXITINFO1: it is not on every cause
type _NoCommonInfo1 = SvmCause["exitInfo1"];

describe("SvmCause types", () => {
  it("decodeSvm returns the cause union; decodeSvmExit the exit alone; decodeSvmVmcb a page", () => {
    expectTypeOf(decodeSvm).returns.toEqualTypeOf<DecodedExit<SvmCause>>();
    expectTypeOf(decodeSvmExit).returns.toEqualTypeOf<VmExit>();
    expectTypeOf(decodeSvmExit).parameters.toEqualTypeOf<Parameters<typeof decodeSvm>>();
    expectTypeOf(decodeSvmVmcb).returns.toEqualTypeOf<DecodedExit<SvmCause>>();
    expectTypeOf(decodeSvmVmcb).parameter(0).toEqualTypeOf<Uint8Array | ArrayBuffer | DataView>();
  });

  it("narrows by class with one switch", () => {
    switch (cause.class) {
      case "npf": {
        type _T = Expect<Equal<typeof cause, SvmNpfCause>>;
        expectTypeOf(cause.gpa).toEqualTypeOf<bigint>();
        expectTypeOf(cause.errorCode).toEqualTypeOf<bigint>();
        expectTypeOf(cause.fault).toEqualTypeOf<SvmNpfFault>();
        expectTypeOf(cause.fault.fetch).toEqualTypeOf<boolean>();
        // @ts-expect-error the error-code bits are in `fault`
        cause.fetch;
        expectTypeOf(cause.instruction).toEqualTypeOf<X86MemAccess | undefined>();
        expectTypeOf(cause.notMmio).toEqualTypeOf<string | undefined>();
        // @ts-expect-error an NPF has no port
        cause.port;
        break;
      }
      case "io": {
        type _T = Expect<Equal<typeof cause, SvmIoCause>>;
        expectTypeOf(cause.size).toEqualTypeOf<1 | 2 | 4>();
        expectTypeOf(cause.addressSize).toEqualTypeOf<16 | 32 | 64 | undefined>();
        expectTypeOf(cause.nextRip).toEqualTypeOf<bigint | undefined>();
        break;
      }
      case "msr":
        expectTypeOf(cause).toEqualTypeOf<SvmMsrCause>();
        expectTypeOf(cause.icr).toEqualTypeOf<X86ApicIcr | undefined>();
        // @ts-expect-error an MSR access has no guest-physical address
        cause.gpa;
        break;
      case "avic-incomplete-ipi":
        expectTypeOf(cause).toEqualTypeOf<SvmAvicIncompleteIpiCause>();
        expectTypeOf(cause.icr).toEqualTypeOf<X86ApicIcr>();
        expectTypeOf(cause.apicMode).toEqualTypeOf<"xapic" | "x2apic">();
        break;
      case "avic-unaccelerated-access":
        expectTypeOf(cause.gpa).toEqualTypeOf<bigint | undefined>();
        expectTypeOf(cause.trap).toEqualTypeOf<boolean>();
        break;
      case "vmgexit":
        expectTypeOf(cause.msrProtocol).toEqualTypeOf<SvmGhcbMsrRequest | undefined>();
        break;
      case "entry-failure":
        expectTypeOf(cause.exitCode).toEqualTypeOf<bigint>();
        break;
      case "task-switch":
        expectTypeOf(cause.source).toEqualTypeOf<
          "call" | "iret" | "jmp" | "task-gate" | undefined
        >();
        break;
      case "vmmcall":
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
    expectTypeOf<SvmEventInfo["type"]>().toEqualTypeOf<SvmEventType>();
  });

  it("types snapshot fields and options", () => {
    expectTypeOf<SvmSnapshot["exitCode"]>().toEqualTypeOf<bigint | number>();
    // @ts-expect-error unknown register name
    const s: SvmSnapshot = { exitCode: 0x78, regs: { eax: 1 } };
    void s;
    // @ts-expect-error options.x2apic is a boolean
    decodeSvm({ exitCode: 0x401, exitInfo1: 0 }, { x2apic: 1 });
    // @ts-expect-error options.apicBase is a bigint
    decodeSvmExit({ exitCode: 0x78 }, { apicBase: 0xfee00000 });
    // @ts-expect-error EXITINTINFO is a 32-bit number
    decodeSvm({ exitCode: 0x78, exitIntInfo: 1n });
  });
});
