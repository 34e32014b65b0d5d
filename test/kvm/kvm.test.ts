// The x86 completion functions and the MOV decoder checked against an oracle no one here wrote:
// the Linux KVM x86 instruction emulator, on this machine's /dev/kvm. A C program (harness.c)
// runs generated MOV/MOVZX/MOVSX/MOVSXD loads and stores to an unmapped guest-physical address
// and IN/OUT in 16-bit real mode, 32-bit protected mode and 64-bit long mode, completes each
// access with a data pattern, and prints KVM's exits and the register file after the access.
import { describe, expect, it } from "vitest";
import { bytesHex, differences, type Mismatch, predict } from "./compare";
import type { Event } from "./run";
import { buildHarness, runCases, unavailable } from "./run";
import { type Case, CODE, generate } from "./x86-cases";

const reason = unavailable();
if (reason !== undefined) console.warn(`test/kvm skipped: ${reason}`);

/** Random instructions per mode, on top of the systematic sweeps. */
const RANDOM = 1500;
const SEED = 0x76_6d_65_78_69_74n; // "vmexit"

describe.skipIf(reason !== undefined)("vmexit against KVM's x86 emulator", () => {
  const harness = reason === undefined ? buildHarness() : "";
  for (const mode of [16, 32, 64] as const) {
    it(`${mode}-bit mode: decodeVmx, completeMmioRead, completeIoRead and instructionLength predict KVM`, () => {
      const cases = generate(mode, SEED + BigInt(mode), RANDOM);
      const events = runCases(harness, cases);
      const mismatches: Mismatch[] = [];
      const probes = new Map<string, Map<string, number>>();
      let checked = 0;
      const readRegs = new Set<number>();
      const widths = new Set<number>();
      cases.forEach((c: Case, i) => {
        const ev = events[i] ?? [];
        if (c.probe !== undefined) {
          const seen = probes.get(c.probe) ?? new Map<string, number>();
          const note = observe(c, ev);
          seen.set(note, (seen.get(note) ?? 0) + 1);
          probes.set(c.probe, seen);
          return;
        }
        checked++;
        const prediction = predict(c);
        if (prediction.exit.kind === "MmioRead") readRegs.add(prediction.exit.reg);
        if (prediction.exit.kind === "MmioRead" || prediction.exit.kind === "MmioWrite") {
          widths.add(prediction.exit.width);
        }
        for (const what of differences(c, prediction, ev)) {
          mismatches.push({ mode, label: c.label, bytes: bytesHex(c.bytes), what });
        }
      });
      const mmio = cases.filter((c) => c.type === "mmio" && c.probe === undefined).length;
      console.log(
        `KVM ${mode}-bit: ${checked} instructions compared (${mmio} MMIO, ${checked - mmio} port I/O), ` +
          `${checked - new Set(mismatches.map((m) => m.label + m.bytes)).size} agree; ` +
          `${cases.length - checked} probes`,
      );
      for (const [probe, seen] of probes) {
        console.log(`  probe ${probe}: ${[...seen].map(([k, n]) => `${n}× ${k}`).join("; ")}`);
      }
      // the sweeps reach every destination register (r8–r15 in 64-bit mode, AH…BH as 16–19) and width
      const regs = mode === 64 ? 16 : 8;
      expect([...readRegs].sort((a, b) => a - b)).toEqual([
        ...Array.from({ length: regs }, (_, r) => r),
        16,
        17,
        18,
        19,
      ]);
      expect([...widths].sort()).toEqual(mode === 64 ? [1, 2, 4, 8] : [1, 2, 4]);
      expect(checked).toBeGreaterThan(2000);
      expect({ count: mismatches.length, first: mismatches.slice(0, 20) }).toEqual({
        count: 0,
        first: [],
      });
    }, 60_000);
  }
});

/**
 * What KVM did with an instruction vmexit does not decode, in words, for the report: an F2/F3
 * prefix on a MOV compared with the same MOV without it, 66 63 with the two readings of the SDM
 * and of KVM, REX.W on IN/OUT with the size without it.
 */
function observe(c: Case, events: readonly Event[]): string {
  if (c.type === "io") {
    return differences(c, predict(c), events).length === 0
      ? `as without REX.W (size ${c.size})`
      : `differs: ${differences(c, predict(c), events).join("; ")}`;
  }
  if (c.reference !== undefined) {
    const diff = differences(c, predict(c, c.reference), events).filter(
      (d) => !d.startsWith("length"),
    );
    const halt = events.at(-1);
    const length = halt?.type === "H" ? Number(halt.rip - CODE - 1n) : -1;
    if (diff.length === 0 && length === c.bytes.length)
      return "executed as the MOV without the prefix";
    return `differs from the MOV without the prefix: ${diff.join("; ")}`;
  }
  // 66 63 /r: Intel lists MOVSXD r16, r/m16 (a 2-byte read); KVM's em_movsxd reads r/m32
  const halt = events.at(-1);
  const access = events.find((e) => e.type === "M");
  if (halt?.type !== "H" || access?.type !== "M")
    return `events ${events.map((e) => e.type).join(",")}`;
  const changed = halt.regs.flatMap((v, r) => (v === c.regs[r] ? [] : [r]));
  const r = changed[0];
  if (changed.length === 1 && r !== undefined) {
    const old = c.regs[r] as bigint;
    const low16 = (old & ~0xffffn) | (c.data & 0xffffn);
    if (halt.regs[r] === low16)
      return `reads ${access.len} bytes, writes bits 15:0 of the data into r16 (63:16 kept)`;
  }
  return `reads ${access.len} bytes, changes registers ${changed.join(", ")}`;
}
