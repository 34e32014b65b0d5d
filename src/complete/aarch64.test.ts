import { describe, expect, it } from "vitest";
import { decodeAarch64 } from "../aarch64/index";
import { mmioRead, sysRegRead } from "../core/constructors";
import type { MmioReadExit } from "../core/exit";
import { completeMmioRead, completeSysRegRead } from "./complete";

// A data abort with ISV = 1 (Arm ARM, ESR_EL2, "ISS encoding for an exception from a Data
// Abort"): EC 0x24 (31:26), IL 1 (25), ISV 1 (24), SAS (23:22) = log2 of the access size, SSE (21)
// = sign-extend, SRT (20:16) = Rt, SF (15) = 64-bit register, WnR (6) = 0 for a load, DFSC (5:0)
// 0b000111 = translation fault, level 3. So ESR = 0x93000007 | SAS << 22 | SSE << 21 | SRT << 16
// | SF << 15. The pseudocode of LDRB, LDRSB, LDRH, LDRSH, LDR and LDRSW ends with
// `X[t, regsize] = ZeroExtend/SignExtend(data, regsize)`, and writing a W register clears bits
// 63:32 ("Registers in AArch64 Execution state").
function dataAbort(sas: number, sse: number, srt: number, sf: number): MmioReadExit {
  const esr = (0x9300_0007 | (sas << 22) | (sse << 21) | (srt << 16) | (sf << 15)) >>> 0;
  // HPFAR_EL2.FIPA (47:4) = IPA[55:12]: 0x90000 → IPA page 0x9000000; FAR supplies bits 11:0
  const exit = decodeAarch64({ esr, hpfar: 0x90000n, far: 0x10n }).exit;
  if (exit.kind !== "MmioRead") throw new Error(`expected MmioRead, got ${exit.kind}`);
  return exit;
}

const DATA = 0xdead_beef_8765_c380n; // byte 0x80, half 0xc380, word 0x8765c380: top bits set

describe("completeMmioRead on AArch64 (data aborts with a valid syndrome)", () => {
  const rows: [string, MmioReadExit, bigint][] = [
    ["ldrb w3 (SAS 0)", dataAbort(0, 0, 3, 0), 0x80n],
    [
      "ldrsb w3 (SSE, SF 0): sign-extend to 32 bits, 63:32 clear",
      dataAbort(0, 1, 3, 0),
      0xffff_ff80n,
    ],
    ["ldrsb x3 (SSE, SF 1): sign-extend to 64 bits", dataAbort(0, 1, 3, 1), 0xffff_ffff_ffff_ff80n],
    ["ldrh w4 (SAS 1)", dataAbort(1, 0, 4, 0), 0xc380n],
    ["ldrsh w4", dataAbort(1, 1, 4, 0), 0xffff_c380n],
    ["ldrsh x4", dataAbort(1, 1, 4, 1), 0xffff_ffff_ffff_c380n],
    ["ldr w5 (SAS 2)", dataAbort(2, 0, 5, 0), 0x8765_c380n],
    ["ldrsw x5 (SAS 2, SSE, SF)", dataAbort(2, 1, 5, 1), 0xffff_ffff_8765_c380n],
    ["ldr x30 (SAS 3, SF)", dataAbort(3, 0, 30, 1), DATA],
  ];
  for (const [insn, exit, value] of rows) {
    it(insn, () => {
      expect(completeMmioRead("aarch64", exit, DATA)).toEqual({ reg: exit.reg, value });
    });
  }

  it("a load into XZR (Rt 31) writes nothing", () => {
    expect(completeMmioRead("aarch64", dataAbort(2, 0, 31, 0), DATA)).toBeUndefined();
    expect(completeMmioRead("aarch64", dataAbort(3, 0, 31, 1), DATA, 5n)).toBeUndefined();
  });

  it("does not need the old value", () => {
    expect(completeMmioRead("aarch64", dataAbort(0, 0, 1, 0), 0xff)).toEqual({
      reg: 1,
      value: 0xffn,
    });
  });

  it("keeps only the register's width when an exit has a wider access than register", () => {
    // decodeAarch64 rejects SAS 3 with SF 0; a hand-built exit is completed the way KVM's
    // kvm_handle_mmio_return does: masked with 0xffffffff when SF is 0, whatever SAS says
    const exit = mmioRead({ addr: 0x9000010n, width: 8, reg: 2, regWidth: 4, signedExt: false });
    expect(completeMmioRead("aarch64", exit, DATA)).toEqual({
      reg: 2,
      value: 0x8765_c380n,
    });
  });
});

describe("completeSysRegRead on AArch64", () => {
  it("MRS writes the whole X register", () => {
    // MRS x7, CNTPCT_EL0 (ISS 0x32F800 | Rt << 5 | direction 1)
    expect(
      completeSysRegRead("aarch64", sysRegRead({ addr: 0x32f800, reg: 7 }), 0xffff_0000_0000_0001n),
    ).toEqual({ reg: 7, value: 0xffff_0000_0000_0001n });
    expect(completeSysRegRead("aarch64", sysRegRead({ addr: 0x32f800, reg: 0 }), 9)).toEqual({
      reg: 0,
      value: 9n,
    });
  });
  it("MRS into XZR writes nothing", () => {
    expect(completeSysRegRead("aarch64", sysRegRead({ addr: 0x32f800, reg: 31 }), 1n)).toBe(
      undefined,
    );
  });
});
