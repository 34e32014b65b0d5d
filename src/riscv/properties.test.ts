import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { vmExit } from "../arbitraries/index";
import { arbitrariesByArch } from "../arbitraries/registry";
import { riscvExpressibleExit, riscvSnapshot } from "../arbitraries/riscv";
import { VmExitError } from "../core/error";
import { isVmExit } from "../core/guards";
import { decodeRiscv, decodeRiscvExit } from "./decode";
import { canEncodeRiscv, encodeRiscv } from "./encode";
import { explainRiscv } from "./explain";

/** Runs `f`; passes when it returns or throws a VmExitError, fails on any other exception. */
function onlyVmExitError(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof VmExitError)) throw e;
  }
}

const garbageValue = fc.oneof(
  fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(undefined, null, "1", true, Number.MAX_SAFE_INTEGER + 2),
);

describe("properties", () => {
  it("decode(encode(e)).exit deep-equals e for every RISC-V-expressible exit", () => {
    fc.assert(
      fc.property(riscvExpressibleExit(), (exit) => {
        expect(canEncodeRiscv(exit)).toBe(true);
        expect(decodeRiscv(encodeRiscv(exit)).exit).toEqual(exit);
      }),
      { numRuns: 2000 },
    );
  });

  it("canEncodeRiscv agrees exactly with encodeRiscv over all exits", () => {
    fc.assert(
      fc.property(vmExit(), (exit) => {
        let encoded = true;
        try {
          const back = decodeRiscv(encodeRiscv(exit)).exit;
          expect(back).toEqual(exit);
        } catch (e) {
          if (!(e instanceof VmExitError) || e.code !== "unrepresentable") throw e;
          encoded = false;
        }
        expect(canEncodeRiscv(exit)).toBe(encoded);
      }),
      { numRuns: 2000 },
    );
  });

  it("canEncodeRiscv agrees with encodeRiscv and the round trip holds under any hypercall EID", () => {
    // The standard EIDs HSM / IPI / SRST / legacy shutdown as hypercall EID collide with the typed mappings.
    const eid = fc.oneof(
      fc.constantFrom(0x48534d, 0x735049, 0x5352_5354, 0x08, 0x485643),
      fc.integer({ min: 0, max: 0xffff_ffff }),
    );
    fc.assert(
      fc.property(riscvExpressibleExit(), eid, (exit, hypercallEid) => {
        const options = { hypercallEid };
        if (canEncodeRiscv(exit, options)) {
          expect(decodeRiscv(encodeRiscv(exit, options), options).exit).toEqual(exit);
        } else {
          expect(() => encodeRiscv(exit, options)).toThrow(
            expect.objectContaining({ code: "unrepresentable" }),
          );
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("valid snapshots always decode to a valid exit, and explain", () => {
    fc.assert(
      fc.property(riscvSnapshot(), (snapshot) => {
        expect(isVmExit(decodeRiscv(snapshot).exit)).toBe(true);
        expect(explainRiscv(snapshot).length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });

  it("arbitrary garbage → a valid exit or a VmExitError, never another exception", () => {
    const snapshot = fc.record(
      {
        scause: garbageValue,
        stval: garbageValue,
        htval: garbageValue,
        htinst: garbageValue,
        x: fc.oneof(fc.array(garbageValue, { maxLength: 34 }), garbageValue),
        instruction: garbageValue,
        xlen: fc.constantFrom(32, 64, undefined, 16, "64"),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(snapshot, fc.option(fc.integer({ min: -1, max: 0x1_0000_0000 })), (s, eid) => {
        onlyVmExitError(() => {
          const options = eid === null ? undefined : { hypercallEid: eid };
          // @ts-expect-error garbage on purpose
          expect(isVmExit(decodeRiscv(s, options).exit)).toBe(true);
        });
        // @ts-expect-error garbage on purpose
        onlyVmExitError(() => explainRiscv(s));
      }),
      { numRuns: 5000 },
    );
  });

  it("u64 garbage in every register with valid scause codes → valid exit or VmExitError", () => {
    const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    fc.assert(
      fc.property(
        fc.record({
          scause: fc.oneof(u64, fc.integer({ min: 0, max: 70 }).map(BigInt)),
          stval: u64,
          htval: u64,
          htinst: fc.oneof(u64, fc.integer({ min: 0, max: 0xffff_ffff }).map(BigInt)),
          x: fc.array(u64, { minLength: 32, maxLength: 32 }),
          instruction: fc.integer({ min: 0, max: 0xffff_ffff }),
        }),
        (s) => {
          onlyVmExitError(() => {
            expect(isVmExit(decodeRiscv(s).exit)).toBe(true);
          });
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("guest-chosen values never throw: valid hardware state × any registers, instruction words, SBI IDs", () => {
    const guestControlled = arbitrariesByArch.riscv.guestControlled;
    if (guestControlled === undefined) throw new Error("riscv has no guestControlled arbitrary");
    const options = fc.record(
      {
        hypercallEid: fc.oneof(
          fc.constantFrom(0x485643, 0x48534d, 0x735049, 0x5352_5354, 0x08, 0x01),
          fc.integer({ min: 0, max: 0xffff_ffff }),
        ),
        isMmio: fc.boolean().map((answer) => () => answer),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(guestControlled(), fc.option(options, { nil: undefined }), (snapshot, opts) => {
        // no try/catch: any exception fails the property
        const { exit, cause } = decodeRiscv(snapshot, opts);
        expect(isVmExit(exit)).toBe(true);
        expect(cause.arch).toBe("riscv");
        expect(decodeRiscvExit(snapshot, opts)).toEqual(exit);
        expect(explainRiscv(snapshot, opts).length).toBeGreaterThan(0);
      }),
      { numRuns: 5000 },
    );
  });

  it("decodeRiscvExit is decodeRiscv(…).exit, errors included", () => {
    const outcome = (f: () => unknown): unknown => {
      try {
        return { ok: f() };
      } catch (e) {
        if (!(e instanceof VmExitError)) throw e;
        return { code: e.code, field: e.field, message: e.message };
      }
    };
    fc.assert(
      fc.property(fc.oneof(riscvSnapshot(), arbitrariesByArch.riscv.garbage()), (snapshot) => {
        const full = outcome(() => decodeRiscv(snapshot).exit);
        expect(outcome(() => decodeRiscvExit(snapshot))).toEqual(full);
      }),
      { numRuns: 3000 },
    );
  });
});
