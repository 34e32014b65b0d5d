import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VmExitError, type VmExitErrorCode } from "../../core/error";
import { psciFunctionName, smcccFunctionName, smcccOtherFunctionName } from "../tables/psci";
import { PSCI_EXITS } from "./call";
import { decodeAarch64 } from "./decode";
import { readX1To6 } from "./regs";

// The decoder's fast paths (regs.ts readX1To6, the PSCI exit table, the ESR
// number path) must give exactly what the general paths give, errors included.

function rejects(fn: () => unknown, code: VmExitErrorCode, field: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VmExitError);
    expect((e as VmExitError).code).toBe(code);
    expect((e as VmExitError).field).toBe(field);
    return;
  }
  expect.unreachable("expected a VmExitError");
}

describe("readX1To6", () => {
  it("reads X1…X6 as bigints, numbers converted", () => {
    expect(readX1To6({ esr: 0, x: [0n, 1n, 2, 3n, 0xffff_ffff_ffff_ffffn, 5, 6n] })).toEqual([
      1n,
      2n,
      3n,
      0xffff_ffff_ffff_ffffn,
      5n,
      6n,
    ]);
  });

  it("reports the first bad register, in order", () => {
    rejects(() => readX1To6({ esr: 0, x: [0n] }), "missing-register", "x1");
    rejects(() => readX1To6({ esr: 0, x: [0n, 1n, -2n, undefined] }), "out-of-range", "x2");
    rejects(() => readX1To6({ esr: 0, x: [0n, 1n, 2n, 3n, 4n, 5n] }), "missing-register", "x6");
    rejects(() => readX1To6({ esr: 0, x: 7 as never }), "invalid-argument", "x");
  });
});

describe("PSCI exit table and function names", () => {
  // HVC64: EC 0x16 << 26 = 0x58000000 | IL 0x02000000 = 0x5A000000.
  const HVC64 = 0x5a00_0000;
  const kindOf: Record<string, string> = {
    CpuUp: "CpuUp",
    CpuDown: "CpuDown",
    Halt: "Halt",
    SystemDown: "SystemDown",
  };

  it("turns exactly the IDs of PSCI_EXITS into their exits (HVC64)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...PSCI_EXITS.keys()),
          // Near misses: the PSCI bases with any function number, and any 32-bit ID.
          fc.nat({ max: 0xffff }).map((n) => 0x8400_0000 + n),
          fc.nat({ max: 0xffff }).map((n) => 0xc400_0000 + n),
          fc.nat({ max: 0xffff_ffff }),
        ),
        (fid) => {
          const { exit } = decodeAarch64({ esr: HVC64, x: [fid, 1n, 2n, 3n, 4n, 5n, 6n] });
          const expected = PSCI_EXITS.get(fid);
          expect(exit.kind).toBe(expected === undefined ? "Hypercall" : kindOf[expected]);
        },
      ),
    );
  });

  it("names PSCI, architecture and generic function IDs", () => {
    // PSCI (owner 4, Standard Secure): 0x84000000 + function number for SMC32, 0xC4000000 for SMC64.
    expect(smcccFunctionName(0x8400_0003)).toBe("CPU_ON"); // CPU_ON, SMC32
    expect(smcccFunctionName(0xc400_0003)).toBe("CPU_ON"); // CPU_ON, SMC64
    expect(psciFunctionName(0x8400_0008)).toBe("SYSTEM_OFF"); // SYSTEM_OFF has only SMC32
    expect(psciFunctionName(0xc400_0008)).toBeUndefined(); // …so no SMC64 form
    // SMCCC architecture calls (owner 0, fast, SMC32): VERSION 0x80000000, WORKAROUND_1 0x80008000.
    expect(smcccFunctionName(0x8000_0000)).toBe("SMCCC_VERSION");
    expect(smcccFunctionName(0x8000_8000)).toBe("SMCCC_ARCH_WORKAROUND_1");
    expect(smcccFunctionName(0x8200_ff00)).toBe("CALL_COUNT"); // owner 2 (SiP), 0xFF00
    expect(smcccFunctionName(0x0400_0003)).toBeUndefined(); // bit 31 clear: a yielding call
    // Generic queries: fast call (bit 31), bits 23:16 = 0, function number 0xFF00…0xFF03.
    expect(smcccOtherFunctionName(0x8200_ff00)).toBe("CALL_COUNT"); // owner 2 (SiP)
    expect(smcccOtherFunctionName(0xc600_ff03)).toBe("REVISION"); // owner 6, SMC64
    expect(smcccOtherFunctionName(0x8600_ff02)).toBeUndefined(); // 0xFF02 is not allocated
    expect(smcccOtherFunctionName(0x8601_ff01)).toBeUndefined(); // bits 23:16 must be 0
    expect(smcccOtherFunctionName(0x0000_8000)).toBeUndefined(); // yielding: no arch call
    expect(smcccOtherFunctionName(0x8400_0003)).toBeUndefined(); // CPU_ON is PSCI, not "other"
  });
});

describe("decodeAarch64: ESR given as a number or a bigint", () => {
  it("decodes the same ESR the same way in both forms", () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffff_ffff }), (esr) => {
        const asNumber = (() => {
          try {
            return decodeAarch64({ esr, x: [] });
          } catch (e) {
            return (e as VmExitError).code;
          }
        })();
        const asBigint = (() => {
          try {
            return decodeAarch64({ esr: BigInt(esr), x: [] });
          } catch (e) {
            return (e as VmExitError).code;
          }
        })();
        expect(asNumber).toEqual(asBigint);
      }),
    );
  });

  it("takes −0 as 0 and still splits ESRs above 32 bits", () => {
    // −0 is a non-negative safe integer: EC 0 (UNKNOWN), ISS 0.
    expect(decodeAarch64({ esr: -0 }).cause).toMatchObject({ code: 0, iss: 0, iss2: 0 });
    // ISS2 = 1 (bit 32) with WFI: 2^32 + (0x01 << 26 = 0x04000000) as a number.
    expect(decodeAarch64({ esr: 2 ** 32 + 0x0400_0000 }).cause).toMatchObject({
      code: 1,
      iss2: 1,
    });
    // Bit 56 is RES0 (bigint 2^56); as a number 2^56 is above 2^53 and not accepted at all.
    rejects(() => decodeAarch64({ esr: 1n << 56n }), "reserved-encoding", "esr");
    rejects(() => decodeAarch64({ esr: 2 ** 56 }), "out-of-range", "esr");
    rejects(() => decodeAarch64({ esr: -1 }), "invalid-argument", "esr");
    rejects(() => decodeAarch64({ esr: 0.5 }), "invalid-argument", "esr");
  });
});

describe("decodeAarch64: why a stage-2 fault is not MMIO", () => {
  // DABT_LOW with IL: 0x24 << 26 | 1 << 25 = 0x92000000; HPFAR FIPA 0x9000 << 4, FAR offset 0x10.
  const at = (esr: number) => ({ esr, hpfar: 0x9_0000n, far: 0x10n });
  it("names the fault class of access-flag and permission faults", () => {
    // DFSC 0x0B: access flag fault, level 3 → NestedPageFault READ.
    expect(decodeAarch64(at(0x9200_000b)).cause).toMatchObject({ notMmio: "access-flag fault" });
    // DFSC 0x0F: permission fault, level 3.
    expect(decodeAarch64(at(0x9200_000f)).cause).toMatchObject({ notMmio: "permission fault" });
    // DFSC 0x07 with ISV = 0 and no instruction word: translation fault, not decodable.
    expect(decodeAarch64(at(0x9200_0007)).cause).toMatchObject({
      notMmio: "ISV = 0 and no instruction word was supplied",
    });
  });
});
