// The RISC-V bench's hand-written decoders have the library's semantics on bad host state too:
// on each of the mix's paths, a snapshot with one bad value makes the library throw a
// `VmExitError`, and the naive and tuned decoders throw one with the same code. (Run here, not
// when the bench loads: throwing inputs there changed the engine's type feedback and slowed
// every decoder of the suite.)
import { describe, expect, it } from "vitest";
import { naiveDecode, snapshots, tunedDecode } from "../../bench/riscv";
import { VmExitError } from "../../src/core/error";
import { decodeRiscv, decodeRiscvExit } from "../../src/riscv/decode";
import type { RiscvSnapshot } from "../../src/riscv/snapshot";

/** The `VmExitError` code `decode` throws on `s` (`"none"` when it returns). */
function errorCode(decode: (s: RiscvSnapshot) => unknown, s: RiscvSnapshot): string {
  try {
    decode(s);
    return "none";
  } catch (e) {
    return e instanceof VmExitError ? e.code : `not a VmExitError: ${e}`;
  }
}

/** Bad host state on each of the mix's paths: the first snapshot of a class with one change. */
function badSnapshots(): RiscvSnapshot[] {
  const first = (f: (s: RiscvSnapshot) => boolean): RiscvSnapshot =>
    snapshots.find(f) as RiscvSnapshot;
  const irq = first((s) => typeof s.scause === "bigint" && s.scause >= 1n << 63n);
  const sbi = first((s) => s.scause === 10n);
  const load = first((s) => s.scause === 21n);
  const store = first((s) => s.scause === 23n && ((Number(s.htinst) >>> 20) & 31) !== 0);
  const vi = first((s) => s.scause === 22n && s.stval === 0x1445_9073n);
  const without = (x: readonly unknown[] | undefined, i: number) =>
    x?.map((v, j) => (j === i ? undefined : v));
  const rs2 = (Number(store.htinst) >>> 20) & 31;
  // csrrw x0, sip, a1: a write of x11
  const out: unknown[] = [
    { ...irq, scause: -1n },
    { ...irq, scause: 1n << 64n },
    { ...irq, scause: 1.5 },
    { ...irq, scause: undefined },
    { ...irq, scause: 14n },
    { ...irq, scause: 1n << 63n },
    { ...irq, stval: -1n },
    { ...sbi, stval: 1n << 64n },
    { ...sbi, x: without(sbi.x, 17) },
    { ...sbi, x: sbi.x?.map((v, j) => (j === 17 ? 0x485643n : j === 16 ? undefined : v)) },
    { ...sbi, x: sbi.x?.map((v, j) => (j === 17 ? 0x485643n : j === 12 ? undefined : v)) },
    { ...sbi, x: sbi.x?.map((v, j) => (j === 11 ? -1n : v)) },
    { ...sbi, x: {} },
    { ...load, htval: undefined },
    { ...load, stval: undefined },
    { ...load, htval: 1n << 62n },
    { ...load, htinst: -1n },
    { ...load, stval: "0" },
    { ...store, x: without(store.x, rs2) },
    { ...store, x: 1 },
    { ...vi, stval: -1n },
    { ...vi, htval: 1n << 64n },
    { ...vi, x: without(vi.x, 11) },
  ];
  return out as RiscvSnapshot[];
}

describe("bench/riscv hand-written decoders", () => {
  const bad = badSnapshots();
  it("reject every bad snapshot with the library's error code", () => {
    expect(bad.length).toBe(23);
    for (const s of bad) {
      const want = errorCode(decodeRiscv, s);
      expect(want).not.toBe("none");
      expect(errorCode(decodeRiscvExit, s)).toBe(want);
      expect(errorCode(naiveDecode, s)).toBe(want);
      expect(errorCode(tunedDecode, s)).toBe(want);
    }
  });
  it("return the library's exit on every snapshot of the workload", () => {
    for (const s of snapshots) {
      const want = decodeRiscv(s).exit;
      expect(naiveDecode(s).exit).toEqual(want);
      expect(tunedDecode(s)).toEqual(want);
    }
  });
});
