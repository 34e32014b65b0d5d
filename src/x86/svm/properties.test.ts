import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exitOf, vmExit } from "../../arbitraries/index";
import { svmExpressibleExit, svmGuestControlled, svmSnapshot } from "../../arbitraries/svm";
import { VmExitError } from "../../core/error";
import type { VmExit } from "../../core/exit";
import { isVmExit } from "../../core/guards";
import { X86_REG_NAMES } from "../regs";
import { SVM_EXIT_CODES } from "./codes";
import { decodeSvm, decodeSvmExit } from "./decode";
import { canEncodeSvm, encodeSvm } from "./encode";
import { explainSvm } from "./explain";
import type { SvmDecodeOptions, SvmEncodeOptions, SvmSnapshot } from "./snapshot";
import { readSvmVmcb } from "./vmcb";

const OPTION_SETS: readonly SvmEncodeOptions[] = [
  {},
  { hypercallAbi: "kvm" },
  { cpuMode: 32 },
  { cpuMode: 16 },
];

const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const regValue = fc.oneof(u64, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));

/** Any valid decode options, the APIC base page-aligned. */
const decodeOptions = fc.record(
  {
    hypercallAbi: fc.constantFrom("axvisor" as const, "kvm" as const),
    cpuMode: fc.constantFrom(16 as const, 32 as const, 64 as const),
    apicBase: fc.bigInt({ min: 0n, max: 2n ** 52n - 1n }).map((v) => v << 12n),
    isMmio: fc.func(fc.boolean()),
    x2apic: fc.boolean(),
  },
  { requiredKeys: [] },
);

function outcome(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (e) {
    if (!(e instanceof VmExitError)) throw e;
    return e.code;
  }
}

describe("x86 SVM properties", () => {
  for (const options of OPTION_SETS) {
    it(`decode(encode(e)) ≡ e for expressible exits, options ${JSON.stringify(options)}`, () => {
      fc.assert(
        fc.property(svmExpressibleExit(options), (exit) => {
          expect(canEncodeSvm(exit, options)).toBe(true);
          expect(decodeSvm(encodeSvm(exit, options), options).exit).toEqual(exit);
        }),
        { numRuns: 400 },
      );
    });
  }

  it("canEncodeSvm agrees with encodeSvm on arbitrary exits", () => {
    fc.assert(
      fc.property(vmExit(), fc.constantFrom(...OPTION_SETS), (exit: VmExit, options) => {
        let ok = true;
        try {
          expect(decodeSvm(encodeSvm(exit, options), options).exit).toEqual(exit);
        } catch (e) {
          expect(e).toBeInstanceOf(VmExitError);
          expect((e as VmExitError).code).toBe("unrepresentable");
          ok = false;
        }
        expect(canEncodeSvm(exit, options)).toBe(ok);
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
          if (!canEncodeSvm(exit, options)) return;
          expect(decodeSvm(encodeSvm(exit, options), options).exit).toEqual(exit);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("valid snapshots decode to a valid exit; decodeSvmExit is the same exit", () => {
    fc.assert(
      fc.property(svmSnapshot(), (s) => {
        const d = decodeSvm(s);
        expect(isVmExit(d.exit)).toBe(true);
        expect(decodeSvmExit(s)).toEqual(d.exit);
        expect(explainSvm(s).length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it("guest-chosen values in valid hardware state never make decodeSvm or explainSvm throw", () => {
    // every register, the bytes at RIP, the MSR written (often the x2APIC ICR, any delivery mode),
    // the AVIC ICR, the GHCB MSR: the guest's; the options are any valid ones
    fc.assert(
      fc.property(svmGuestControlled(), decodeOptions, (s, o: SvmDecodeOptions) => {
        const d = decodeSvm(s, o);
        expect(isVmExit(d.exit)).toBe(true);
        expect(decodeSvmExit(s, o)).toEqual(d.exit);
        expect(explainSvm(s, o).length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });

  it("decode, decodeExit and explain agree on a snapshot with one malformed field", () => {
    const fields = [
      "exitCode",
      "exitInfo1",
      "exitInfo2",
      "exitIntInfo",
      "exitIntInfoErrorCode",
      "nextRip",
      "instructionBytes",
      "interruptVector",
      "ghcbGpa",
      "regs",
      ...X86_REG_NAMES.map((r) => `regs.${r}`),
    ];
    const badValue = fc.constantFrom(-1, 2 ** 64, 1.5, "1", null, 2n ** 64n, -1n, [300], {});
    fc.assert(
      fc.property(svmGuestControlled(), fc.constantFrom(...fields), badValue, (s, field, bad) => {
        const broken: Record<string, unknown> = { ...s, regs: { ...s.regs } };
        const [top, reg] = field.split(".") as [string, string | undefined];
        if (reg === undefined) broken[top] = bad;
        else (broken.regs as Record<string, unknown>)[reg] = bad;
        const snapshot = broken as unknown as SvmSnapshot;
        const decoded = outcome(() => decodeSvm(snapshot));
        expect(outcome(() => decodeSvmExit(snapshot))).toBe(decoded);
        const explained = outcome(() => explainSvm(snapshot));
        if (decoded === "missing-register") return;
        expect(explained).toBe(decoded);
      }),
      { numRuns: 3000 },
    );
  });

  it("arbitrary 64-bit codes, EXITINFOs, registers and bytes → valid exit or VmExitError", () => {
    const defined = SVM_EXIT_CODES.map((c) => c.exitCode);
    const snapshot = fc.record(
      {
        exitCode: fc.oneof(u64, fc.constantFrom(...defined), fc.integer({ min: 0, max: 0x500 })),
        exitInfo1: regValue,
        exitInfo2: regValue,
        exitIntInfo: fc.integer({ min: 0, max: 0xffff_ffff }),
        exitIntInfoErrorCode: fc.integer({ min: 0, max: 0xffff_ffff }),
        interruptVector: fc.integer({ min: 0, max: 0x1ff }),
        ghcbGpa: regValue,
        instructionBytes: fc.oneof(
          fc.uint8Array({ maxLength: 16 }),
          fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 16 }),
        ),
        regs: fc.dictionary(fc.constantFrom(...X86_REG_NAMES), regValue),
      },
      { requiredKeys: ["exitCode"] },
    );
    fc.assert(
      fc.property(snapshot, decodeOptions, (s, o) => {
        const d = outcome(() => decodeSvm(s as SvmSnapshot, o));
        expect(outcome(() => decodeSvmExit(s as SvmSnapshot, o))).toBe(d);
        outcome(() => explainSvm(s as SvmSnapshot, o));
      }),
      { numRuns: 3000 },
    );
  });

  it("garbage of any type → VmExitError only", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (s, o) => {
        outcome(() => decodeSvm(s as SvmSnapshot, o as object));
        outcome(() => explainSvm(s as SvmSnapshot));
        outcome(() => readSvmVmcb(s as Uint8Array, o as object));
        expect(typeof canEncodeSvm(s as VmExit, o as SvmEncodeOptions)).toBe("boolean");
      }),
      { numRuns: 1000 },
    );
  });

  it("any 4 KiB page decodes to a valid exit or a VmExitError", () => {
    // random bytes at the fields the reader reads, the rest zero
    const page = fc
      .tuple(
        fc.uint8Array({ minLength: 0x98, maxLength: 0x98 }),
        fc.integer({ min: 0, max: 0x11 }),
        u64,
      )
      .map(([control, count, rax]) => {
        const p = new Uint8Array(4096);
        p.set(control.subarray(0, 0x70 - 0x70 + 0x98).subarray(0, 0x60), 0x70);
        p[0xd0] = count;
        new DataView(p.buffer).setBigUint64(0x5f8, rax, true);
        return p;
      });
    fc.assert(
      fc.property(page, fc.boolean(), (p, known) => {
        // half the time a defined code, so that the decoders behind it run too
        if (known) new DataView(p.buffer).setBigUint64(0x70, 0x400n, true);
        outcome(() => decodeSvm(readSvmVmcb(p)));
      }),
      { numRuns: 1000 },
    );
  });
});
