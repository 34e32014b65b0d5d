import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aarch64GuestControlled, aarch64Snapshot } from "../arbitraries/aarch64";
import { u64 } from "../arbitraries/index";
import { VmExitError } from "../core/error";
import { isVmExit } from "../core/guards";
import { decodeAarch64, decodeAarch64Exit } from "./decode/decode";
import { encodeAarch64 } from "./encode";
import { explainAarch64 } from "./explain/snapshot";
import type { Aarch64Snapshot } from "./snapshot";

function validOrVmExitError(
  s: Aarch64Snapshot,
  options?: Parameters<typeof decodeAarch64>[1],
): void {
  try {
    const d = decodeAarch64(s, options);
    expect(isVmExit(d.exit)).toBe(true);
    expect(d.cause.arch).toBe("aarch64");
  } catch (e) {
    if (!(e instanceof VmExitError)) throw e;
    expect(e.message).not.toBe("");
  }
}

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const regs = fc.array(maybe(u64()), { maxLength: 31 });

describe("decodeAarch64 properties", () => {
  it("arbitrary 64-bit ESR/FAR/HPFAR/registers/instruction → a valid exit or a VmExitError", () => {
    fc.assert(
      fc.property(
        u64(),
        maybe(u64()),
        maybe(u64()),
        maybe(regs),
        maybe(fc.constantFrom("sync", "irq", "fiq", "serror") as fc.Arbitrary<"sync">),
        maybe(u64()),
        maybe(fc.integer({ min: 0, max: 0xffff_ffff })),
        fc.boolean(),
        (esr, far, hpfar, x, exception, irq, instruction, mmio) => {
          const s: Record<string, unknown> = { esr };
          if (far !== undefined) s.far = far;
          if (hpfar !== undefined) s.hpfar = hpfar;
          if (x !== undefined) s.x = x;
          if (exception !== undefined) s.exception = exception;
          if (irq !== undefined) s.irq = irq;
          if (instruction !== undefined) s.instruction = instruction;
          validOrVmExitError(s as unknown as Aarch64Snapshot, { isMmio: () => mmio });
        },
      ),
      { numRuns: 5000 },
    );
  });
  it("ESRs biased to the decoded ECs (low 32 bits only) → a valid exit or a VmExitError", () => {
    const ec = fc.constantFrom(0x01, 0x12, 0x13, 0x16, 0x17, 0x18, 0x20, 0x21, 0x24, 0x25, 0x2f);
    fc.assert(
      fc.property(
        ec,
        fc.integer({ min: 0, max: 0x3ff_ffff }),
        fc.array(u64(), { maxLength: 31 }),
        u64(),
        u64(),
        fc.integer({ min: 0, max: 0xffff_ffff }),
        (e, low, x, far, hpfar, instruction) => {
          validOrVmExitError({ esr: ((e << 26) | low) >>> 0, x, far, hpfar, instruction });
        },
      ),
      { numRuns: 5000 },
    );
  });
  it("any junk in any field → a valid exit or a VmExitError, never another exception", () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            esr: fc.anything(),
            far: fc.anything(),
            hpfar: fc.anything(),
            x: fc.oneof(fc.anything(), fc.array(fc.anything())),
            exception: fc.anything(),
            irq: fc.anything(),
            instruction: fc.anything(),
          },
          { requiredKeys: [] },
        ),
        (s) => validOrVmExitError(s as unknown as Aarch64Snapshot),
      ),
      { numRuns: 3000 },
    );
  });
  it("valid snapshots from aarch64Snapshot() always decode", () => {
    fc.assert(
      fc.property(aarch64Snapshot(), (s) => {
        const d = decodeAarch64(s);
        expect(isVmExit(d.exit)).toBe(true);
        // Pure: the same snapshot decodes to the same result.
        expect(decodeAarch64(s)).toStrictEqual(d);
      }),
      { numRuns: 3000 },
    );
  });
  it("guest-chosen values (X registers, FAR, instruction words) never make it throw", () => {
    // Valid host state × arbitrary guest values: a VMM that forgets a try is not crashable.
    fc.assert(
      fc.property(aarch64GuestControlled(), fc.boolean(), (s, mmio) => {
        const d = decodeAarch64(s);
        expect(isVmExit(d.exit)).toBe(true);
        expect(decodeAarch64Exit(s)).toStrictEqual(d.exit);
        const withMmio = decodeAarch64(s, { isMmio: () => mmio });
        expect(isVmExit(withMmio.exit)).toBe(true);
        expect(decodeAarch64Exit(s, { isMmio: () => mmio })).toStrictEqual(withMmio.exit);
        expect(explainAarch64(s).length).toBeGreaterThan(0);
      }),
      { numRuns: 5000 },
    );
  });
  it("decodeAarch64Exit gives decodeAarch64's exit on valid snapshots", () => {
    fc.assert(
      fc.property(aarch64Snapshot(), (s) => {
        expect(decodeAarch64Exit(s)).toStrictEqual(decodeAarch64(s).exit);
      }),
      { numRuns: 2000 },
    );
  });
  it("TargetList 0x8000 with RS 3 (targetCpuAux 2^63) is expressible and round-trips", () => {
    const e = {
      kind: "SendIPI",
      targetCpu: 0xff00_0000n,
      targetCpuAux: 1n << 63n,
      sendToAll: false,
      sendToSelf: false,
      vector: 0n,
    } as const;
    // value = Aff3 0xFF << 48 | RS 3 << 44 | TargetList 0x8000 = 0x00FF_3000_0000_8000
    expect(encodeAarch64(e).x).toStrictEqual([0x00ff_3000_0000_8000n]);
    expect(decodeAarch64(encodeAarch64(e)).exit).toStrictEqual(e);
  });
});
