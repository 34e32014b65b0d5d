import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exitOf, vmExit } from "../../arbitraries/index";
import { vmxExpressibleExit, vmxGuestControlled, vmxSnapshot } from "../../arbitraries/x86";
import { VmExitError } from "../../core/error";
import type { VmExit } from "../../core/exit";
import { isVmExit } from "../../core/guards";
import { X86_REG_NAMES } from "../regs";
import { decodeVmx, decodeVmxExit } from "./decode";
import { canEncodeVmx, encodeVmx } from "./encode";
import { explainVmx } from "./explain";
import type { VmxDecodeOptions, VmxEncodeOptions, VmxSnapshot } from "./snapshot";

const OPTION_SETS: readonly VmxEncodeOptions[] = [
  {},
  { hypercallAbi: "kvm" },
  { cpuMode: 32 },
  { cpuMode: 16 },
];

/** Decoding must give a valid exit or throw VmExitError, never anything else. */
function validOrVmExitError(snapshot: VmxSnapshot, options?: object): void {
  try {
    const d = decodeVmx(snapshot, options);
    expect(isVmExit(d.exit)).toBe(true);
  } catch (e) {
    if (!(e instanceof VmExitError)) throw e;
  }
}

const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const regValue = fc.oneof(u64, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));

describe("x86 VMX properties", () => {
  for (const options of OPTION_SETS) {
    it(`decode(encode(e)) ≡ e for expressible exits, options ${JSON.stringify(options)}`, () => {
      fc.assert(
        fc.property(vmxExpressibleExit(options), (exit) => {
          expect(canEncodeVmx(exit, options)).toBe(true);
          expect(decodeVmx(encodeVmx(exit, options), options).exit).toEqual(exit);
        }),
        { numRuns: 400 },
      );
    });
  }

  it("canEncodeVmx agrees with encodeVmx on arbitrary exits", () => {
    fc.assert(
      fc.property(vmExit(), fc.constantFrom(...OPTION_SETS), (exit: VmExit, options) => {
        let ok = true;
        try {
          const snapshot = encodeVmx(exit, options);
          expect(decodeVmx(snapshot, options).exit).toEqual(exit);
        } catch (e) {
          expect(e).toBeInstanceOf(VmExitError);
          expect((e as VmExitError).code).toBe("unrepresentable");
          ok = false;
        }
        expect(canEncodeVmx(exit, options)).toBe(ok);
      }),
      { numRuns: 1000 },
    );
  });

  it("MMIO exits round-trip whenever the encoder accepts them", () => {
    fc.assert(
      fc.property(
        fc.oneof(exitOf("MmioRead"), exitOf("MmioWrite")),
        fc.constantFrom(...OPTION_SETS),
        (exit, options) => {
          if (!canEncodeVmx(exit, options)) return;
          expect(decodeVmx(encodeVmx(exit, options), options).exit).toEqual(exit);
        },
      ),
      { numRuns: 1000 },
    );
  });

  for (const options of OPTION_SETS) {
    it(`valid snapshots always decode to a valid exit, options ${JSON.stringify(options)}`, () => {
      fc.assert(
        fc.property(vmxSnapshot(options), (snapshot) => {
          expect(isVmExit(decodeVmx(snapshot, options).exit)).toBe(true);
          expect(explainVmx(snapshot).length).toBeGreaterThan(0);
        }),
        { numRuns: 300 },
      );
    });
  }

  it("guest-chosen values in valid hardware state never make decodeVmx or explainVmx throw", () => {
    // every register, the bytes at RIP, the MSR value (often the x2APIC ICR, any delivery mode)
    // are the guest's; the options are any valid ones, the APIC base page-aligned
    const options = fc.record(
      {
        hypercallAbi: fc.constantFrom("axvisor" as const, "kvm" as const),
        cpuMode: fc.constantFrom(16 as const, 32 as const, 64 as const),
        apicBase: fc.bigInt({ min: 0n, max: 2n ** 52n - 1n }).map((v) => v << 12n),
        isMmio: fc.func(fc.boolean()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(vmxGuestControlled(), options, (s, o: VmxDecodeOptions) => {
        const d = decodeVmx(s, o);
        expect(isVmExit(d.exit)).toBe(true);
        expect(decodeVmxExit(s, o)).toEqual(d.exit);
        expect(explainVmx(s, o).length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });

  it("decode, decodeExit and explain agree on a snapshot with one malformed field", () => {
    // every VMCS field and register, given a value of the wrong type or out of range, on
    // hardware state of any reason: the three reject it alike or ignore it alike
    const fields = [
      "exitQualification",
      "guestPhysicalAddress",
      "guestLinearAddress",
      "exitInterruptionInfo",
      "exitInterruptionErrorCode",
      "idtVectoringInfo",
      "instructionLength",
      "instructionInfo",
      "instructionBytes",
      "regs",
      ...X86_REG_NAMES.map((r) => `regs.${r}`),
    ];
    const badValue = fc.constantFrom(-1, 2 ** 64, 1.5, "1", null, 2n ** 64n, -1n, [300], {});
    const outcome = (f: () => unknown): string => {
      try {
        f();
        return "ok";
      } catch (e) {
        if (!(e instanceof VmExitError)) throw e;
        return e.code;
      }
    };
    fc.assert(
      fc.property(vmxGuestControlled(), fc.constantFrom(...fields), badValue, (s, field, bad) => {
        const broken: Record<string, unknown> = { ...s, regs: { ...s.regs } };
        const [top, reg] = field.split(".") as [string, string | undefined];
        if (reg === undefined) broken[top] = bad;
        else (broken.regs as Record<string, unknown>)[reg] = bad;
        const snapshot = broken as unknown as VmxSnapshot;
        const decoded = outcome(() => decodeVmx(snapshot));
        expect(outcome(() => decodeVmxExit(snapshot))).toBe(decoded);
        const explained = outcome(() => explainVmx(snapshot));
        if (decoded === "missing-register") return;
        expect(explained).toBe(decoded);
      }),
      { numRuns: 3000 },
    );
  });

  it("decodeVmxExit is decodeVmx(s).exit on valid snapshots", () => {
    fc.assert(
      fc.property(vmxSnapshot(), (s) => {
        expect(decodeVmxExit(s)).toEqual(decodeVmx(s).exit);
      }),
      { numRuns: 1000 },
    );
  });

  it("arbitrary 32-bit reasons, 64-bit qualifications, registers and bytes → valid exit or VmExitError", () => {
    const regs = fc.dictionary(fc.constantFrom(...X86_REG_NAMES), regValue);
    const snapshot = fc.record(
      {
        exitReason: fc.oneof(
          fc.integer({ min: 0, max: 0xffff_ffff }),
          fc.integer({ min: 0, max: 90 }),
        ),
        exitQualification: regValue,
        guestPhysicalAddress: regValue,
        guestLinearAddress: regValue,
        exitInterruptionInfo: fc.integer({ min: 0, max: 0xffff_ffff }),
        exitInterruptionErrorCode: fc.integer({ min: 0, max: 0xffff_ffff }),
        idtVectoringInfo: fc.integer({ min: 0, max: 0xffff_ffff }),
        instructionBytes: fc.oneof(
          fc.uint8Array({ maxLength: 16 }),
          fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 16 }),
        ),
        regs,
      },
      { requiredKeys: ["exitReason"] },
    );
    const options = fc.record(
      {
        hypercallAbi: fc.constantFrom("axvisor" as const, "kvm" as const),
        cpuMode: fc.constantFrom(16 as const, 32 as const, 64 as const),
        apicBase: u64,
        isMmio: fc.func(fc.boolean()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(snapshot, options, (s, o) => {
        validOrVmExitError(s as VmxSnapshot, o);
        try {
          explainVmx(s as VmxSnapshot);
        } catch (e) {
          if (!(e instanceof VmExitError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("garbage of any type → VmExitError only", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (s, o) => {
        try {
          decodeVmx(s as VmxSnapshot, o as object);
        } catch (e) {
          if (!(e instanceof VmExitError)) throw e;
        }
        try {
          explainVmx(s as VmxSnapshot);
        } catch (e) {
          if (!(e instanceof VmExitError)) throw e;
        }
        expect(typeof canEncodeVmx(s as VmExit, o as VmxEncodeOptions)).toBe("boolean");
      }),
      { numRuns: 1000 },
    );
  });
});
