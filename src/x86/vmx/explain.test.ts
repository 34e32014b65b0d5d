import { describe, expect, it } from "vitest";
import { VmExitError } from "../../core/error";
import type { ExplainNode } from "../../core/explain";
import { decodeVmx } from "./decode";
import { explainVmx } from "./explain";

function child(node: ExplainNode | undefined, name: string): ExplainNode | undefined {
  return node?.children?.find((c) => c.name === name);
}

describe("explainVmx", () => {
  it("explains a failed-entry exit reason", () => {
    // 0x80000021: bit 31 set, basic 33 INVALID_STATE
    const [reason] = explainVmx({ exitReason: 0x8000_0021 });
    expect(reason).toMatchObject({
      name: "Exit reason",
      bits: [31, 0],
      value: 0x8000_0021n,
      meaning: "INVALID_STATE FAILED_VMENTRY",
    });
    expect(child(reason, "Basic exit reason")).toMatchObject({
      bits: [15, 0],
      value: 33n,
      meaning: "INVALID_STATE",
    });
    expect(child(reason, "VM-entry failure")).toMatchObject({
      bits: [31, 31],
      value: 1n,
      meaning: "yes",
    });
    expect(child(reason, "Bus lock detected")).toMatchObject({ value: 0n });
  });
  it("shows reserved exit-reason bits, and rejects undefined reasons as decodeVmx does", () => {
    // 0x4001000C: bit 30 (reserved) | bit 16 (reserved, always 0) | basic 12 (HLT)
    const [reason] = explainVmx({ exitReason: 0x4001_000c });
    expect(reason?.children?.filter((n) => n.name === "RES0")).toMatchObject([
      { bits: [16, 16], value: 1n },
      { bits: [30, 30], value: 1n },
    ]);
    expect(child(reason, "Basic exit reason")).toMatchObject({ value: 12n, meaning: "HLT" });
    // basic 35 is not a defined reason: the same error as decodeVmx
    expect(() => explainVmx({ exitReason: 35 })).toThrow(
      expect.objectContaining({ code: "unknown-exit-reason", field: "exitReason" }),
    );
  });
  it("explains an I/O qualification", () => {
    // 0x01F00039 = rep insw from port 0x1F0: size-1 1, IN, string, REP, DX
    const [, q] = explainVmx({ exitReason: 30, exitQualification: 0x01f0_0039 });
    expect(q).toMatchObject({ name: "Exit qualification", bits: [63, 0], value: 0x01f0_0039n });
    expect(child(q, "Size of access")).toMatchObject({
      bits: [2, 0],
      value: 1n,
      meaning: "2 bytes",
    });
    expect(child(q, "Direction")).toMatchObject({ value: 1n, meaning: "IN" });
    expect(child(q, "String instruction")).toMatchObject({ value: 1n });
    expect(child(q, "REP prefixed")).toMatchObject({ value: 1n });
    expect(child(q, "Operand encoding")).toMatchObject({ value: 0n, meaning: "port in DX" });
    expect(child(q, "Port number")).toMatchObject({ bits: [31, 16], value: 0x1f0n });
  });
  it("explains CR and DR access", () => {
    // 0x804 = mov cr4, r8
    const [, cr] = explainVmx({ exitReason: 28, exitQualification: 0x804 });
    expect(child(cr, "Control register")).toMatchObject({ value: 4n, meaning: "CR4" });
    expect(child(cr, "General-purpose register")).toMatchObject({ value: 8n, meaning: "r8" });
    // 0x216 = mov rdx, dr6
    const [, dr] = explainVmx({ exitReason: 29, exitQualification: 0x216 });
    expect(child(dr, "Debug register")).toMatchObject({ value: 6n, meaning: "DR6" });
    expect(child(dr, "Direction")).toMatchObject({ meaning: "MOV from DR" });
    expect(child(dr, "General-purpose register")).toMatchObject({ meaning: "rdx" });
  });
  it("explains an EPT violation with addresses", () => {
    // 0x1AA = write (1), readable (3), executable (5), GLA valid (7), final translation (8)
    const nodes = explainVmx({
      exitReason: 48,
      exitQualification: 0x1aa,
      guestPhysicalAddress: 0x1000,
      guestLinearAddress: 0x7000,
    });
    const q = nodes[1];
    expect(q).toMatchObject({ meaning: "access WRITE" });
    expect(child(q, "Data write")).toMatchObject({ bits: [1, 1], value: 1n });
    expect(child(q, "Data read")).toMatchObject({ value: 0n });
    expect(child(q, "GPA readable")).toMatchObject({ value: 1n });
    expect(child(q, "GPA writable")).toMatchObject({ value: 0n });
    expect(child(q, "Linear-address translation")).toMatchObject({
      value: 1n,
      meaning: "access to the final translation",
    });
    expect(nodes[2]).toMatchObject({ name: "Guest-physical address", value: 0x1000n });
    expect(nodes[3]).toMatchObject({ name: "Guest linear address", value: 0x7000n });
  });
  it("explains APIC access, task switch and #DB / #PF", () => {
    // 0x10B0 = linear write to offset 0xB0 (EOI)
    const [, apic] = explainVmx({ exitReason: 44, exitQualification: 0x10b0 });
    expect(child(apic, "Offset")).toMatchObject({ value: 0xb0n });
    expect(child(apic, "Access type")).toMatchObject({
      value: 1n,
      meaning: "linear write during instruction execution",
    });
    // 0x40000028 = IRET to selector 0x28
    const [, ts] = explainVmx({ exitReason: 9, exitQualification: 0x4000_0028 });
    expect(child(ts, "Source")).toMatchObject({ value: 1n, meaning: "IRET" });
    // #DB (0x80000301) with B0|B1 = 0x3
    const [, db] = explainVmx({
      exitReason: 0,
      exitQualification: 3,
      exitInterruptionInfo: 0x8000_0301,
    });
    expect(child(db, "B0-B3")).toMatchObject({ value: 3n, meaning: "breakpoints hit: DR0, DR1" });
    // #PF (0x80000B0E): the qualification is the linear address
    const [, pf] = explainVmx({
      exitReason: 0,
      exitQualification: 0xdead_b000n,
      exitInterruptionInfo: 0x8000_0b0e,
    });
    expect(child(pf, "Faulting linear address")).toMatchObject({ value: 0xdead_b000n });
  });
  it("explains entry-failure qualifications", () => {
    // 0x80000021 INVALID_STATE with qualification 4 = ENTRY_FAIL_VMCS_LINK_PTR
    const [, q] = explainVmx({ exitReason: 0x8000_0021, exitQualification: 4 });
    expect(child(q, "Entry failure code")).toMatchObject({
      value: 4n,
      meaning: "bad VMCS link pointer",
    });
  });
  it("dissects a #PF / #DB qualification only for the matching interruption type", () => {
    // 0x80000E0E: valid, type 6 (software exception), vector 14 — not a #PF fault, no layout
    const [, q] = explainVmx({
      exitReason: 0,
      exitQualification: 0x1000,
      exitInterruptionInfo: 0x8000_0e0e,
    });
    expect(q?.children).toBeUndefined();
    // 0x80000501: INT1 (type 5, vector 1) is a #DB: BS (bit 14) = 0x4000
    const [, db] = explainVmx({
      exitReason: 0,
      exitQualification: 0x4000,
      exitInterruptionInfo: 0x8000_0501,
    });
    expect(child(db, "BS")).toMatchObject({ bits: [14, 14], value: 1n, meaning: "single step" });
  });
  it("explains interruption and IDT-vectoring information", () => {
    // 0x80000B0E: valid, error code valid, hardware exception, vector 14
    const nodes = explainVmx({
      exitReason: 0,
      exitInterruptionInfo: 0x8000_0b0e,
      idtVectoringInfo: 0x20,
    });
    const info = nodes.find((n) => n.name === "VM-exit interruption information");
    expect(info).toMatchObject({
      value: 0x8000_0b0en,
      meaning: "hardware-exception, vector 14 (#PF)",
    });
    expect(child(info, "Interruption type")).toMatchObject({
      bits: [10, 8],
      value: 3n,
      meaning: "hardware-exception",
    });
    expect(child(info, "Error code valid")).toMatchObject({ value: 1n });
    const idt = nodes.find((n) => n.name === "IDT-vectoring information");
    expect(idt).toMatchObject({ value: 0x20n, meaning: "not valid" });
  });
  it("explains an x2APIC ICR write", () => {
    // EAX 0x69A, EDX 1: Start-up to APIC 1, page 0x9A
    const nodes = explainVmx({ exitReason: 32, regs: { rcx: 0x830, rax: 0x69a, rdx: 1 } });
    const icr = nodes.find((n) => n.name === "x2APIC ICR (EDX:EAX)");
    expect(icr).toMatchObject({ value: 0x1_0000_069an });
    expect(child(icr, "Delivery mode")).toMatchObject({ value: 6n, meaning: "StartUp" });
    expect(child(icr, "Destination")).toMatchObject({ bits: [63, 32], value: 1n });
  });
  it("has no qualification children for reasons without a layout", () => {
    // CPUID (10) qualification is 0 and has no layout
    const [, q] = explainVmx({ exitReason: 10, exitQualification: 0 });
    expect(q?.children).toBeUndefined();
  });
  it("shows the fields the exit's decoder reads, and only those, as decodeVmx checks them", () => {
    // HLT (12) reads the qualification and the IDT-vectoring information; the guest-physical
    // address, the instruction length and information are not HLT's: neither decodeVmx nor
    // explainVmx inspects them
    const hlt = {
      exitReason: 12,
      exitQualification: 0,
      guestPhysicalAddress: 0x1000,
      instructionLength: -1,
    };
    expect(decodeVmx(hlt).exit).toEqual({ kind: "Halt" });
    expect(explainVmx(hlt).map((n) => n.name)).toEqual(["Exit reason", "Exit qualification"]);
    // EPT_VIOLATION (48) reads the guest-physical address: shown, and a bad one rejected by both
    const ept = { exitReason: 48, exitQualification: 0x184, guestPhysicalAddress: 0x1000 };
    expect(explainVmx(ept).map((n) => n.name)).toEqual([
      "Exit reason",
      "Exit qualification",
      "Guest-physical address",
    ]);
    const bad = { ...ept, guestPhysicalAddress: -1 };
    expect(() => decodeVmx(bad)).toThrow(
      expect.objectContaining({ field: "guestPhysicalAddress" }),
    );
    expect(() => explainVmx(bad)).toThrow(
      expect.objectContaining({ field: "guestPhysicalAddress" }),
    );
    // the IDT-vectoring information of an EPT violation (an exit during event delivery) is shown
    expect(explainVmx({ ...ept, idtVectoringInfo: 0x8000_0b0e }).at(-1)).toMatchObject({
      name: "IDT-vectoring information",
      meaning: "hardware-exception, vector 14 (#PF)",
    });
  });
  it("rejects bad snapshots with VmExitError", () => {
    expect(() => explainVmx(null as never)).toThrow(VmExitError);
    expect(() => explainVmx({ exitReason: 30, exitQualification: -1 })).toThrow(VmExitError);
  });
});
