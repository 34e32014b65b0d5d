import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RegValue } from "../../core/decoded";
import { decodeRiscv } from "../decode";
import { sbiNames } from "./sbi";

/** x0…x31 with the given registers set (others absent). */
function regs(values: Record<number, RegValue>): (RegValue | undefined)[] {
  const x: (RegValue | undefined)[] = new Array(32).fill(undefined);
  for (const [i, v] of Object.entries(values)) x[Number(i)] = v;
  return x;
}
// ABI: a0 = x10 … a5 = x15, a6 = x16 (FID), a7 = x17 (EID). EIDs are ASCII: "HSM" = 0x48534D,
// "SRST" = 0x53525354, "sPI" = 0x735049, "TIME" = 0x54494D45, "RFNC" = 0x52464E43, "DBCN" = 0x4442434E,
// "PMU" = 0x504D55, "SUSP" = 0x53555350, "CPPC" = 0x43505043, "NACL" = 0x4E41434C, "STA" = 0x535441,
// "HVC" = 0x485643 (the vmexit hypercall default).
const ecall = (x: Record<number, RegValue>, xlen: 32 | 64 = 64) => ({
  scause: 10,
  stval: 0,
  x: regs(x),
  xlen,
});

describe("SBI: HSM", () => {
  it("hart_start(hartid=1, start_addr=0x80200000, opaque=0xabcd) → CpuUp", () => {
    const { exit, cause } = decodeRiscv(
      ecall({ 17: 0x48534d, 16: 0, 10: 1, 11: 0x8020_0000, 12: 0xabcd }),
    );
    expect(exit).toEqual({ kind: "CpuUp", targetCpu: 1n, entryPoint: 0x8020_0000n, arg: 0xabcdn });
    expect(cause).toMatchObject({ class: "sbi-call", code: 10, name: "EXC_SUPERVISOR_SYSCALL" });
    if (cause.class !== "sbi-call") throw new Error("expected an SBI call");
    expect(cause.sbi).toMatchObject({
      eid: 0x48534d,
      fid: 0,
      extension: "HSM",
      function: "hart_start",
      legacy: false,
      hypercall: false,
    });
    expect(cause.sbi.args).toEqual([1n, 0x8020_0000n, 0xabcdn, undefined, undefined, undefined]);
  });

  it("hart_stop (FID 1) → CpuDown { state: 0 }", () => {
    expect(decodeRiscv(ecall({ 17: 0x48534d, 16: 1 })).exit).toEqual({
      kind: "CpuDown",
      state: 0n,
    });
  });

  it("hart_suspend (FID 3, type 0 = default retentive) → Halt", () => {
    expect(decodeRiscv(ecall({ 17: 0x48534d, 16: 3, 10: 0 })).exit).toEqual({ kind: "Halt" });
  });

  it("hart_get_status (FID 2) → Nothing naming the function", () => {
    const { exit, cause } = decodeRiscv(ecall({ 17: 0x48534d, 16: 2, 10: 4 }));
    expect(exit).toEqual({ kind: "Nothing" });
    expect(cause).toMatchObject({ sbi: { extension: "HSM", function: "hart_get_status", fid: 2 } });
  });

  it("hart_start without a1 → missing-register x11", () => {
    expect(() => decodeRiscv(ecall({ 17: 0x48534d, 16: 0, 10: 1, 12: 0 }))).toThrow(
      expect.objectContaining({ code: "missing-register", field: "x11" }),
    );
  });

  it("HSM without a6 → missing-register x16 (the FID decides the exit)", () => {
    expect(() => decodeRiscv(ecall({ 17: 0x48534d }))).toThrow(
      expect.objectContaining({ code: "missing-register", field: "x16" }),
    );
  });
});

describe("SBI: SRST, legacy and IPI", () => {
  it("SRST system_reset(type=1 cold reboot, reason=0) → SystemDown", () => {
    const { exit, cause } = decodeRiscv(ecall({ 17: 0x5352_5354, 16: 0, 10: 1, 11: 0 }));
    expect(exit).toEqual({ kind: "SystemDown" });
    expect(cause).toMatchObject({ sbi: { extension: "SRST", function: "system_reset" } });
  });

  it("SRST with an unknown FID → Nothing", () => {
    expect(decodeRiscv(ecall({ 17: 0x5352_5354, 16: 1 })).exit).toEqual({ kind: "Nothing" });
  });

  it("legacy sbi_shutdown (EID 0x08) → SystemDown; a6 is ignored", () => {
    const { exit, cause } = decodeRiscv(ecall({ 17: 8, 16: 5 }));
    expect(exit).toEqual({ kind: "SystemDown" });
    expect(cause).toMatchObject({
      sbi: { eid: 8, fid: undefined, legacy: true, extension: "legacy", function: "shutdown" },
    });
  });

  it("legacy console_putchar (EID 0x01) → Nothing", () => {
    const { exit, cause } = decodeRiscv(ecall({ 17: 1, 10: 0x41 }));
    expect(exit).toEqual({ kind: "Nothing" });
    expect(cause).toMatchObject({
      sbi: {
        legacy: true,
        function: "console_putchar",
        args: [0x41n, undefined, undefined, undefined, undefined, undefined],
      },
    });
  });

  it("IPI send_ipi(hart_mask=0b101, hart_mask_base=2) → SendIPI", () => {
    const { exit } = decodeRiscv(ecall({ 17: 0x735049, 16: 0, 10: 0b101, 11: 2 }));
    expect(exit).toEqual({
      kind: "SendIPI",
      targetCpu: 2n,
      targetCpuAux: 5n,
      sendToAll: false,
      sendToSelf: false,
      vector: 1n,
    });
  });

  it("IPI with hart_mask_base = -1 (all ones) → sendToAll", () => {
    const { exit } = decodeRiscv(ecall({ 17: 0x735049, 16: 0, 10: 0, 11: 0xffff_ffff_ffff_ffffn }));
    expect(exit).toMatchObject({
      kind: "SendIPI",
      sendToAll: true,
      targetCpu: 0xffff_ffff_ffff_ffffn,
    });
  });

  it("RV32 IPI with hart_mask_base = 0xFFFFFFFF → sendToAll", () => {
    const { exit } = decodeRiscv(ecall({ 17: 0x735049, 16: 0, 10: 1, 11: 0xffff_ffff }, 32));
    expect(exit).toMatchObject({
      kind: "SendIPI",
      sendToAll: true,
      targetCpu: 0xffff_ffffn,
      targetCpuAux: 1n,
    });
  });

  it("RV64 hart_mask_base = 0xFFFFFFFF is hart 4294967295, not all harts", () => {
    const { exit } = decodeRiscv(ecall({ 17: 0x735049, 16: 0, 10: 1, 11: 0xffff_ffff }));
    expect(exit).toMatchObject({ kind: "SendIPI", sendToAll: false });
  });

  it("IPI with an unknown FID → Nothing", () => {
    expect(decodeRiscv(ecall({ 17: 0x735049, 16: 1 })).exit).toEqual({ kind: "Nothing" });
  });
});

describe("SBI: hypercall", () => {
  it("EID 0x485643 → Hypercall { nr: a6, args: a0…a5 }", () => {
    const { exit, cause } = decodeRiscv(
      ecall({ 17: 0x485643, 16: 7, 10: 1, 11: 2, 12: 3, 13: 4, 14: 5, 15: 6 }),
    );
    expect(exit).toEqual({ kind: "Hypercall", nr: 7n, args: [1n, 2n, 3n, 4n, 5n, 6n] });
    expect(cause).toMatchObject({ sbi: { hypercall: true, extension: "hypercall" } });
    // The exit's args and the cause's args are equal but not one array.
    if (exit.kind !== "Hypercall" || cause.class !== "sbi-call")
      throw new Error("expected an SBI call");
    expect(exit.args).toEqual(cause.sbi.args);
    expect(exit.args).not.toBe(cause.sbi.args);
  });

  it("a configured hypercall EID (firmware range 0x0A000001) → Hypercall", () => {
    const snap = ecall({
      17: 0x0a00_0001,
      16: 0x99,
      10: 0,
      11: 0,
      12: 0,
      13: 0,
      14: 0,
      15: 0xffff_ffff_ffff_ffffn,
    });
    expect(decodeRiscv(snap, { hypercallEid: 0x0a00_0001 }).exit).toEqual({
      kind: "Hypercall",
      nr: 0x99n,
      args: [0n, 0n, 0n, 0n, 0n, 0xffff_ffff_ffff_ffffn],
    });
    // Without the option the same EID is an unhandled firmware-range call.
    expect(decodeRiscv(snap).cause).toMatchObject({
      sbi: { extension: "firmware", hypercall: false },
    });
  });

  it("an EID ≥ 2^31 must be sign-extended in an RV64 a7", () => {
    // EID 0x80000001 as a signed 32-bit value is -0x7fffffff; RV64 a7 = 0xFFFFFFFF_80000001
    const x = { 17: 0xffff_ffff_8000_0001n, 16: 0, 10: 0, 11: 0, 12: 0, 13: 0, 14: 0, 15: 0 };
    expect(decodeRiscv(ecall(x), { hypercallEid: 0x8000_0001 }).exit.kind).toBe("Hypercall");
    const zeroExtended = decodeRiscv(ecall({ ...x, 17: 0x8000_0001 }), {
      hypercallEid: 0x8000_0001,
    });
    expect(zeroExtended.exit).toEqual({ kind: "Nothing" });
    expect(zeroExtended.cause).toMatchObject({ sbi: { eid: undefined, extension: undefined } });
  });

  it("hypercall without a5 → missing-register x15", () => {
    expect(() =>
      decodeRiscv(ecall({ 17: 0x485643, 16: 7, 10: 1, 11: 2, 12: 3, 13: 4, 14: 5 })),
    ).toThrow(expect.objectContaining({ code: "missing-register", field: "x15" }));
  });
});

describe("SBI: other extensions → Nothing naming extension and function", () => {
  it.each([
    [0x10, 3, "BASE", "probe_extension"],
    [0x5449_4d45, 0, "TIME", "set_timer"],
    [0x5246_4e43, 6, "RFENCE", "remote_hfence_vvma"],
    [0x4442_434e, 2, "DBCN", "console_write_byte"],
    [0x504d55, 5, "PMU", "counter_fw_read"],
    [0x5355_5350, 0, "SUSP", "system_suspend"],
    [0x4350_5043, 1, "CPPC", "read"],
    [0x4e41_434c, 4, "NACL", "sync_sret"],
    [0x535441, 0, "STA", "set_shmem"],
    [0x0900_0005, 0, "vendor", undefined],
    [0x0800_0000, 0, "experimental", undefined],
    [0x1234_5678, 0, undefined, undefined],
    [0x10, 99, "BASE", undefined],
  ] as const)("EID %s FID %s → %s %s", (eid, fid, extension, fn) => {
    const { exit, cause } = decodeRiscv(ecall({ 17: eid, 16: fid, 10: 0x100 }));
    expect(exit).toEqual({ kind: "Nothing" });
    expect(cause).toMatchObject({ sbi: { eid, fid, extension, function: fn } });
  });

  it("missing a7 → missing-register x17; no x at all too", () => {
    expect(() => decodeRiscv(ecall({ 16: 0 }))).toThrow(
      expect.objectContaining({ code: "missing-register", field: "x17" }),
    );
    expect(() => decodeRiscv({ scause: 10 })).toThrow(
      expect.objectContaining({ code: "missing-register", field: "x17" }),
    );
  });

  it("a garbage register value → invalid-argument; RV32 a register above 32 bits → out-of-range", () => {
    expect(() => decodeRiscv(ecall({ 17: -5 }))).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "x17" }),
    );
    expect(() => decodeRiscv(ecall({ 17: 0x10, 10: 0x1_0000_0000 }, 32))).toThrow(
      expect.objectContaining({ code: "out-of-range", field: "x10" }),
    );
  });

  it("a6 that is not a sign-extended 32-bit value gives no FID", () => {
    const { exit, cause } = decodeRiscv(ecall({ 17: 0x48534d, 16: 0x1_0000_0000n }));
    expect(exit).toEqual({ kind: "Nothing" });
    expect(cause).toMatchObject({ sbi: { fid: undefined, a6: 0x1_0000_0000n } });
  });
});

describe("sbiNames", () => {
  it("names EID and FID as the decoder does", () => {
    expect(sbiNames(0x48534d, 3)).toEqual({ extension: "HSM", function: "hart_suspend" });
    expect(sbiNames(0x08, 99)).toEqual({ extension: "legacy", function: "shutdown" });
    expect(sbiNames(0x0900_0000, 0)).toEqual({ extension: "vendor", function: undefined });
  });

  // SBI spec: an extension's EID is its short name in ASCII, first letter in the top byte (IPI's
  // is "sPI", RFENCE's "RFNC"); BASE is 0x10. The names and first functions are the spec's.
  const ascii = (s: string) => [...s].reduce((eid, c) => eid * 256 + c.charCodeAt(0), 0);
  const SPEC: readonly (readonly [eid: number, extension: string, fid0: string])[] = [
    [0x10, "BASE", "get_spec_version"],
    [ascii("TIME"), "TIME", "set_timer"],
    [ascii("sPI"), "IPI", "send_ipi"],
    [ascii("RFNC"), "RFENCE", "remote_fence_i"],
    [ascii("HSM"), "HSM", "hart_start"],
    [ascii("SRST"), "SRST", "system_reset"],
    [ascii("PMU"), "PMU", "num_counters"],
    [ascii("DBCN"), "DBCN", "console_write"],
    [ascii("SUSP"), "SUSP", "system_suspend"],
    [ascii("CPPC"), "CPPC", "probe"],
    [ascii("NACL"), "NACL", "probe_feature"],
    [ascii("STA"), "STA", "set_shmem"],
    [ascii("SSE"), "SSE", "read_attrs"],
    [ascii("FWFT"), "FWFT", "set"],
    [ascii("DBTR"), "DBTR", "num_triggers"],
    [ascii("MPXY"), "MPXY", "get_shmem_size"],
  ];

  it.each(SPEC)("finds the extension of EID %#x: %s", (eid, extension, fid0) => {
    expect(sbiNames(eid, 0)).toEqual({ extension, function: fid0 });
  });

  it("names no extension for any other EID (a range name at most)", () => {
    const named = new Set(SPEC.map(([eid]) => eid));
    const ranges = [undefined, "legacy", "experimental", "vendor", "firmware"];
    fc.assert(
      fc.property(fc.oneof(fc.nat(0xffff_ffff), fc.nat(0xff_ffff)), (eid) => {
        fc.pre(!named.has(eid));
        expect(ranges).toContain(sbiNames(eid, 0).extension);
      }),
      { numRuns: 2000 },
    );
    // the EIDs next to each named one, and each with its top bit flipped
    for (const [eid] of SPEC) {
      for (const near of [eid - 1, eid + 1, eid ^ 0x8000_0000]) {
        if (!named.has(near)) expect(ranges).toContain(sbiNames(near >>> 0, 0).extension);
      }
    }
  });

  it.each([
    ["0x10", 0, "eid"],
    [null, 0, "eid"],
    [0x10, 0.5, "fid"],
    [-1, 0, "eid"],
    [0x1_0000_0000, 0, "eid"],
    [0x10, 2 ** 32, "fid"],
  ] as const)("rejects sbiNames(%o, %o) naming %s", (eid, fid, name) => {
    // @ts-expect-error deliberately malformed input
    expect(() => sbiNames(eid, fid)).toThrow(
      expect.objectContaining({ name: "VmExitError", field: name }),
    );
  });
});
