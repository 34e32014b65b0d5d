import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitrariesByArch } from "../arbitraries/registry";
import { ARCHES, codecs } from "../codecs";
import { mmioRead } from "../core/constructors";
import type { Arch } from "../core/decoded";
import { VmExitError } from "../core/error";
import type { MmioReadExit, VmExit } from "../core/exit";
import { completeMmioRead, completeSysRegRead, instructionLength } from "./complete";
import type { RegisterWrite } from "./types";
import { completeIoRead } from "./x86";

const U64 = (1n << 64n) - 1n;
const u64 = fc.oneof(
  fc.bigInt({ min: 0n, max: U64 }),
  fc.constantFrom(0n, 0x80n, 0x8000n, 0x8000_0000n, 0x8000_0000_0000_0000n, U64),
);
const width = fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const);

/**
 * The register write a load makes, computed with BigInt from the architectures' definitions: the
 * low 8·width bits, as a signed (MOVSX/MOVSXD, LDRS*, LB/LH/LW) or unsigned integer, taken modulo
 * 2^(8·regWidth); then x86 keeps bits 63:8 (bits 63:16 and 7:0 for AH…BH) or 63:16 of the old
 * value for 8- and 16-bit destinations (SDM Vol. 1 §3.4.1.1); AArch64 discards writes to XZR (31)
 * and RISC-V to x0; a 32-bit destination holds the value zero-extended.
 */
function reference(
  arch: Arch,
  e: MmioReadExit,
  data: bigint,
  old: bigint,
): RegisterWrite | undefined {
  const loaded = e.signedExt ? BigInt.asIntN(8 * e.width, data) : BigInt.asUintN(8 * e.width, data);
  const v = BigInt.asUintN(8 * e.regWidth, loaded);
  if (arch === "aarch64") return e.reg === 31 ? undefined : { reg: e.reg, value: v };
  if (arch === "riscv") return e.reg === 0 ? undefined : { reg: e.reg, value: v };
  if (e.reg >= 16) return { reg: e.reg - 16, value: (old & (U64 ^ 0xff00n)) | (v << 8n) };
  const kept = e.regWidth === 1 ? U64 ^ 0xffn : e.regWidth === 2 ? U64 ^ 0xffffn : 0n;
  return { reg: e.reg, value: (old & kept) | v };
}

/** MmioRead shapes; each arch's encoder decides which it can express. */
const readShape = fc
  .record({
    addr: fc.bigInt({ min: 0n, max: 0xffff_ffffn }),
    width,
    regWidth: width,
    reg: fc.integer({ min: 0, max: 31 }),
    signedExt: fc.boolean(),
  })
  .map(mmioRead);

/** Decodes `snapshot` on `arch`, keeping only VmExitErrors (anything else fails the property). */
function decodeOrNull(arch: Arch, snapshot: unknown): VmExit | null {
  try {
    return codecs[arch].decode(snapshot as never).exit;
  } catch (e) {
    if (e instanceof VmExitError) return null;
    throw e;
  }
}

describe("completion properties, on every architecture of the registry", () => {
  for (const arch of ARCHES) {
    it(`${arch}: completeMmioRead after decode(encode(e)) equals the BigInt reference`, () => {
      const codec = codecs[arch];
      fc.assert(
        fc.property(
          readShape.filter((e) => codec.canEncode(e)),
          u64,
          u64,
          (e, data, old) => {
            const decoded = codec.decode(codec.encode(e) as never).exit;
            expect(decoded).toEqual(e);
            expect(completeMmioRead(arch, decoded as MmioReadExit, data, old)).toEqual(
              reference(arch, e, data, old),
            );
          },
        ),
        { numRuns: 500 },
      );
    });

    it(`${arch}: reads decoded from valid snapshots complete for any data without throwing`, () => {
      const a = arbitrariesByArch[arch];
      const snapshots = fc.oneof(
        a.snapshot() as fc.Arbitrary<unknown>,
        a.expressibleExit().map((e) => (codecs[arch].canEncode(e) ? codecs[arch].encode(e) : {})),
      );
      fc.assert(
        fc.property(snapshots, u64, u64, (snapshot, data, old) => {
          const exit = decodeOrNull(arch, snapshot);
          if (exit?.kind === "MmioRead") {
            expect(completeMmioRead(arch, exit, data, old)).toEqual(
              reference(arch, exit, data, old),
            );
          } else if (exit?.kind === "SysRegRead") {
            completeSysRegRead(arch, exit, data);
          } else if (exit?.kind === "IoRead") {
            expect(completeIoRead(exit, data, old) >> 32n).toBe(exit.width === 4 ? 0n : old >> 32n);
          }
        }),
        { numRuns: 500 },
      );
    });

    it(`${arch}: instructionLength of garbage is a length or a VmExitError`, () => {
      fc.assert(
        fc.property(arbitrariesByArch[arch].garbage(), (snapshot) => {
          try {
            const n = instructionLength(arch, snapshot as never);
            expect(Number.isInteger(n) && n >= 0 && n <= 15).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(VmExitError);
          }
        }),
        { numRuns: 500 },
      );
    });
  }

  it("garbage exits and values give a result or a VmExitError, never another error", () => {
    const junk = fc.oneof(
      fc.anything(),
      fc.constantFrom(-1, 1.5, 2n ** 64n, -1n, Number.NaN, "0x10", null, undefined),
      u64,
    );
    const exitLike = fc.record(
      {
        kind: fc.constantFrom("MmioRead", "SysRegRead", "IoRead", "Halt"),
        width: fc.oneof(width, junk),
        regWidth: fc.oneof(width, junk),
        reg: fc.oneof(fc.integer({ min: 0, max: 40 }), junk),
        signedExt: fc.oneof(fc.boolean(), junk),
        port: fc.oneof(fc.integer({ min: 0, max: 0x10000 }), junk),
      },
      { requiredKeys: ["kind"] },
    );
    const arch = fc.oneof(fc.constantFrom(...ARCHES), junk);
    fc.assert(
      fc.property(arch, fc.oneof(exitLike, junk), junk, junk, (a, exit, data, old) => {
        for (const f of [
          () => completeMmioRead(a as Arch, exit as never, data as never, old as never),
          () => completeSysRegRead(a as Arch, exit as never, data as never),
          () => completeIoRead(exit as never, data as never, old as never),
          () => instructionLength(a as Arch, exit as never, old as never),
        ]) {
          try {
            f();
          } catch (e) {
            expect(e).toBeInstanceOf(VmExitError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
