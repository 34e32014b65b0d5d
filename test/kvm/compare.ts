// Compares what KVM did with what vmexit predicts for the same instruction bytes, registers and
// data: the exit (address, width, direction, store data) from decodeVmx, the new register file
// from completeMmioRead / completeIoRead, and the new RIP from instructionLength.
import { completeIoRead, completeMmioRead, instructionLength } from "../../src/complete/index";
import type { VmExit } from "../../src/core/exit";
import { decodeVmx, type VmxSnapshot, X86_REG_NAMES } from "../../src/x86/index";
import type { Event } from "./run";
import { type Case, CODE, type IoCase, type MmioCase } from "./x86-cases";

/** One disagreement between vmexit and KVM. */
export interface Mismatch {
  readonly mode: number;
  readonly label: string;
  readonly bytes: string;
  readonly what: string;
}

const hex = (v: bigint | number) => `0x${v.toString(16)}`;
export const bytesHex = (b: readonly number[]) =>
  b.map((x) => x.toString(16).padStart(2, "0")).join(" ");

function regsObject(c: Case): NonNullable<VmxSnapshot["regs"]> {
  const regs: Record<string, bigint> = { rip: CODE };
  c.regs.forEach((v, i) => {
    regs[X86_REG_NAMES[i] as string] = v;
  });
  return regs;
}

/** The VMX snapshot a VMM would have for this MMIO access: EPT misconfiguration at the GPA. */
export function mmioSnapshot(c: MmioCase, bytes = c.bytes): VmxSnapshot {
  return {
    exitReason: 49,
    guestPhysicalAddress: c.gpa,
    // the bytes at RIP, as a VMM reads them: the instruction and what follows it (HLT, HLT)
    instructionBytes: [...bytes, 0xf4, 0xf4],
    regs: regsObject(c),
  };
}

/** The VMX snapshot of an I/O exit: qualification size (2:0), IN (3), imm8 operand (6), port (31:16). */
export function ioSnapshot(c: IoCase): VmxSnapshot {
  const size = c.size === 1 ? 0 : c.size === 2 ? 1 : 3;
  const q = size | (c.in ? 8 : 0) | (c.imm8 ? 0x40 : 0) | (c.port << 16);
  return {
    exitReason: 30,
    exitQualification: q >>> 0,
    instructionLength: c.bytes.length,
    regs: regsObject(c),
  };
}

/** The library's prediction for a case: the exit, and the register file after the access. */
export interface Prediction {
  readonly exit: VmExit;
  readonly regs: readonly bigint[];
  readonly length: number | undefined;
}

/** What vmexit predicts for `c`, given the data KVM's device returned. */
export function predict(c: Case, bytes?: readonly number[]): Prediction {
  const regs = [...c.regs];
  if (c.type === "io") {
    const exit = decodeVmx(ioSnapshot(c), { cpuMode: c.mode }).exit;
    if (exit.kind === "IoRead") regs[0] = completeIoRead(exit, c.data, c.regs[0]);
    return { exit, regs, length: c.bytes.length };
  }
  const snapshot = mmioSnapshot(c, bytes);
  const exit = decodeVmx(snapshot, { cpuMode: c.mode }).exit;
  if (exit.kind === "MmioRead") {
    const full = exit.reg >= 16 ? exit.reg - 16 : exit.reg;
    const w = completeMmioRead("x86-vmx", exit, c.data, c.regs[full]);
    regs[w.reg] = w.value;
  }
  const length =
    exit.kind === "MmioRead" || exit.kind === "MmioWrite"
      ? instructionLength("x86-vmx", snapshot, { cpuMode: c.mode })
      : undefined;
  return { exit, regs, length };
}

/** The differences between the prediction and KVM's events for a case ([] = agreement). */
export function differences(c: Case, p: Prediction, events: readonly Event[]): string[] {
  const out: string[] = [];
  const halt = events.at(-1);
  const accesses = events.filter((e) => e.type === "M" || e.type === "I");
  if (halt?.type !== "H" || accesses.length !== 1) {
    return [
      `KVM events ${events.map((e) => e.type + (e.type === "X" ? `(${e.what})` : "")).join(",")}`,
    ];
  }
  const a = accesses[0] as Extract<Event, { type: "M" | "I" }>;
  const e = p.exit;
  if (a.type === "M") {
    if (e.kind !== "MmioRead" && e.kind !== "MmioWrite")
      return [`library ${e.kind}, KVM MMIO ${a.write ? "write" : "read"}`];
    if ((e.kind === "MmioWrite") !== a.write)
      out.push(`direction: library ${e.kind}, KVM ${a.write ? "write" : "read"}`);
    if (e.addr !== a.gpa) out.push(`address: library ${hex(e.addr)}, KVM ${hex(a.gpa)}`);
    if (e.width !== a.len) out.push(`width: library ${e.width}, KVM ${a.len}`);
    if (e.kind === "MmioWrite" && a.write && e.data !== a.data)
      out.push(`store data: library ${hex(e.data)}, KVM ${hex(a.data)}`);
  } else {
    if (e.kind !== "IoRead" && e.kind !== "IoWrite") return [`library ${e.kind}, KVM port I/O`];
    if ((e.kind === "IoWrite") !== a.out)
      out.push(`direction: library ${e.kind}, KVM ${a.out ? "out" : "in"}`);
    if (e.port !== a.port) out.push(`port: library ${hex(e.port)}, KVM ${hex(a.port)}`);
    if (e.width !== a.size || a.count !== 1)
      out.push(`size: library ${e.width}, KVM ${a.size} × ${a.count}`);
    if (e.kind === "IoWrite" && a.out && e.data !== a.data)
      out.push(`out data: library ${hex(e.data)}, KVM ${hex(a.data)}`);
  }
  for (let r = 0; r < 16; r++) {
    const lib = p.regs[r] as bigint;
    const kvm = halt.regs[r] as bigint;
    if (lib !== kvm)
      out.push(
        `${X86_REG_NAMES[r]}: library ${hex(lib)}, KVM ${hex(kvm)} (before ${hex(c.regs[r] as bigint)}, data ${hex(c.data)})`,
      );
  }
  if (halt.rflags !== c.rflags)
    out.push(`rflags: before ${hex(c.rflags)}, KVM ${hex(halt.rflags)}`);
  // KVM stops after the HLT that follows the instruction
  const kvmLength = Number(halt.rip - CODE - 1n);
  if (p.length !== kvmLength) out.push(`length: library ${p.length}, KVM ${kvmLength}`);
  return out;
}
