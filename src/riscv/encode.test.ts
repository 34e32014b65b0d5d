import { describe, expect, it } from "vitest";
import {
  cpuDown,
  cpuUp,
  externalInterrupt,
  failEntry,
  halt,
  hypercall,
  ioRead,
  ioWrite,
  mmioRead,
  mmioWrite,
  nestedPageFault,
  nothing,
  sendIpi,
  sysRegRead,
  sysRegWrite,
  systemDown,
} from "../core/constructors";
import type { VmExit } from "../core/exit";
import { decodeRiscv } from "./decode";
import { canEncodeRiscv, encodeRiscv } from "./encode";

describe("encodeRiscv: the snapshot it builds", () => {
  it("MmioRead on RV64 → load guest-page fault with a transformed htinst", () => {
    const s = encodeRiscv(
      mmioRead({ addr: 0x1000_0006, width: 2, reg: 9, regWidth: 8, signedExt: false }),
    );
    // lhu x9: funct3 5<<12 | 9<<7 (0x480) | 0x03 = 0x5483; htval = GPA >> 2, stval = GPA
    expect(s).toEqual({
      scause: 21n,
      stval: 0x1000_0006n,
      htval: 0x0400_0001n,
      htinst: 0x5483n,
      xlen: 64,
    });
  });

  it("MmioRead with regWidth 4 → an RV32 snapshot", () => {
    const s = encodeRiscv(
      mmioRead({ addr: 0x3_0000_0001n, width: 4, reg: 10, regWidth: 4, signedExt: true }),
    );
    expect(s).toEqual({ scause: 21n, stval: 1n, htval: 0xc000_0000n, htinst: 0x2503n, xlen: 32 });
  });

  it("MmioWrite → store guest-page fault, data in a0 (sw a0: 10<<20 | 2<<12 | 0x23 = 0x00A02023)", () => {
    const s = encodeRiscv(mmioWrite({ addr: 0x2000, width: 4, data: 0xcafe }));
    expect(s).toMatchObject({ scause: 23n, htinst: 0x00a0_2023n, htval: 0x800n });
    expect(s.x?.[10]).toBe(0xcafen);
  });

  it("SysRegRead → virtual instruction csrrs rd, csr, x0", () => {
    // csrr a0, time = 0xC0102573
    expect(encodeRiscv(sysRegRead({ addr: 0xc01, reg: 10 }))).toEqual({
      scause: 22n,
      stval: 0xc010_2573n,
      xlen: 64,
    });
  });

  it("SysRegWrite → csrrw x0, csr, a0 (0x144<<20 | 10<<15 | 1<<12 | 0x73 = 0x14451073)", () => {
    const s = encodeRiscv(sysRegWrite({ addr: 0x144, value: 7 }));
    expect(s).toMatchObject({ scause: 22n, stval: 0x1445_1073n });
    expect(s.x?.[10]).toBe(7n);
  });

  it("Halt → WFI virtual instruction; interrupts set bit 63", () => {
    expect(encodeRiscv(halt())).toEqual({ scause: 22n, stval: 0x1050_0073n, xlen: 64 });
    expect(encodeRiscv(externalInterrupt({ vector: 9 }))).toEqual({
      scause: 0x8000_0000_0000_0009n,
      xlen: 64,
    });
  });

  it("SBI exits: a7 = EID, a6 = FID, a0… = arguments", () => {
    const up = encodeRiscv(cpuUp({ targetCpu: 3, entryPoint: 0x8000_0000, arg: 9 }));
    expect(up.x?.slice(10, 18)).toEqual([3n, 0x8000_0000n, 9n, 0n, 0n, 0n, 0n, 0x48534dn]);
    expect(encodeRiscv(systemDown()).x?.[17]).toBe(0x5352_5354n);
    expect(encodeRiscv(cpuDown({ state: 0 })).x?.[16]).toBe(1n);
    const hc = encodeRiscv(hypercall({ nr: 5, args: [1, 2, 3, 4, 5, 6] }), {
      hypercallEid: 0x8000_0000,
    });
    // EID ≥ 2^31 is sign-extended into the 64-bit a7.
    expect(hc.x?.[17]).toBe(0xffff_ffff_8000_0000n);
  });
});

const expressible: readonly VmExit[] = [
  hypercall({ nr: 0xffff_ffff_ffff_ffffn, args: [0, 1, 2, 3, 4, 0xffff_ffff_ffff_ffffn] }),
  mmioRead({ addr: 0, width: 1, reg: 0, regWidth: 8, signedExt: true }),
  mmioRead({ addr: 0xffff_ffff_ffff_ffffn, width: 8, reg: 31, regWidth: 8, signedExt: true }),
  mmioRead({ addr: 0x3_ffff_ffffn, width: 2, reg: 1, regWidth: 4, signedExt: false }),
  mmioWrite({ addr: 0xffff_ffff_ffff_fffdn, width: 8, data: 0xffff_ffff_ffff_ffffn }),
  mmioWrite({ addr: 3, width: 1, data: 0xff }),
  sysRegRead({ addr: 0xfff, reg: 31 }),
  sysRegWrite({ addr: 0, value: 0xffff_ffff_ffff_ffffn }),
  externalInterrupt({ vector: 13 }),
  externalInterrupt({ vector: 0x7fff_ffff_ffff_ffffn }),
  nestedPageFault({ addr: 0x8000_1000, accessFlags: 0x1 }),
  nestedPageFault({ addr: 0x8000_1001, accessFlags: 0x2 }),
  nestedPageFault({ addr: 0x8000_1002, accessFlags: 0x4 }),
  halt(),
  cpuUp({ targetCpu: 0, entryPoint: 0xffff_ffff_ffff_ffffn, arg: 1 }),
  cpuDown({ state: 0 }),
  systemDown(),
  nothing(),
  sendIpi({ targetCpu: 4, targetCpuAux: 0xf, sendToAll: false, sendToSelf: false, vector: 1 }),
  sendIpi({
    targetCpu: 0xffff_ffff_ffff_ffffn,
    targetCpuAux: 0,
    sendToAll: true,
    sendToSelf: false,
    vector: 1,
  }),
];

const notExpressible: readonly [VmExit, string][] = [
  [ioRead({ port: 0x3f8, width: 1 }), "I/O port"],
  [ioWrite({ port: 0x3f8, width: 1, data: 0 }), "I/O port"],
  [failEntry({ hardwareEntryFailureReason: 33 }), "VM-entry failure"],
  [sysRegRead({ addr: 0x1000, reg: 1 }), "12 bits"],
  [sysRegWrite({ addr: 0x32f800, value: 1 }), "12 bits"],
  [cpuDown({ state: 1 }), "no state"],
  [externalInterrupt({ vector: 0 }), "reserved"],
  [externalInterrupt({ vector: 4 }), "reserved"],
  [externalInterrupt({ vector: 0x8000_0000_0000_0000n }), "62:0"],
  [mmioRead({ addr: 0, width: 8, reg: 1, regWidth: 8, signedExt: false }), "zero-extending 8-byte"],
  [mmioRead({ addr: 0, width: 8, reg: 1, regWidth: 4, signedExt: true }), "RV32 has no 8-byte"],
  [mmioRead({ addr: 0, width: 4, reg: 1, regWidth: 4, signedExt: false }), "LWU"],
  [mmioRead({ addr: 1n << 34n, width: 1, reg: 1, regWidth: 4, signedExt: false }), "34 bits"],
  [mmioRead({ addr: 0, width: 1, reg: 1, regWidth: 2, signedExt: false }), "regWidth 2"],
  [mmioWrite({ addr: 0, width: 1, data: 0x100 }), "does not fit"],
  [nestedPageFault({ addr: 0, accessFlags: 0x3 }), "exactly one"],
  [nestedPageFault({ addr: 0, accessFlags: 0 }), "exactly one"],
  [
    sendIpi({ targetCpu: 1, targetCpuAux: 1, sendToAll: false, sendToSelf: true, vector: 1 }),
    "send-to-self",
  ],
  [
    sendIpi({ targetCpu: 1, targetCpuAux: 1, sendToAll: false, sendToSelf: false, vector: 2 }),
    "no vector",
  ],
  [
    sendIpi({ targetCpu: 1, targetCpuAux: 1, sendToAll: true, sendToSelf: false, vector: 1 }),
    "all ones",
  ],
];

describe("encode boundary", () => {
  it.each(expressible.map((e) => [e.kind, e] as const))("%s round-trips", (_kind, exit) => {
    expect(canEncodeRiscv(exit)).toBe(true);
    expect(decodeRiscv(encodeRiscv(exit)).exit).toEqual(exit);
  });

  it.each(notExpressible.map(([e, why]) => [e.kind, why, e] as const))(
    "%s is unrepresentable (%s)",
    (_kind, why, exit) => {
      expect(canEncodeRiscv(exit)).toBe(false);
      expect(() => encodeRiscv(exit)).toThrow(
        expect.objectContaining({ name: "VmExitError", code: "unrepresentable" }),
      );
      expect(() => encodeRiscv(exit)).toThrow(why);
    },
  );

  it("Hypercall round-trips through a custom EID only when decoded with the same EID", () => {
    const exit = hypercall({ nr: 1, args: [0, 0, 0, 0, 0, 0] });
    const snapshot = encodeRiscv(exit, { hypercallEid: 0x0a00_0000 });
    expect(decodeRiscv(snapshot, { hypercallEid: 0x0a00_0000 }).exit).toEqual(exit);
    expect(decodeRiscv(snapshot).exit).toEqual({ kind: "Nothing" });
  });

  it("an SBI exit whose EID is configured as the hypercall EID cannot be encoded (it would decode as Hypercall)", () => {
    const up = cpuUp({ targetCpu: 1, entryPoint: 0x8000_0000, arg: 0 });
    const ipi = sendIpi({
      targetCpu: 0,
      targetCpuAux: 1,
      sendToAll: false,
      sendToSelf: false,
      vector: 1,
    });
    for (const [exit, eid] of [
      [up, 0x48534d], // HSM
      [cpuDown({ state: 0 }), 0x48534d], // HSM
      [ipi, 0x735049], // IPI "sPI"
    ] as const) {
      expect(canEncodeRiscv(exit, { hypercallEid: eid })).toBe(false);
      expect(() => encodeRiscv(exit, { hypercallEid: eid })).toThrow(
        expect.objectContaining({ code: "unrepresentable" }),
      );
      expect(() => encodeRiscv(exit, { hypercallEid: eid })).toThrow(/hypercall EID/);
    }
    // SystemDown falls back to the legacy sbi_shutdown (EID 0x08) when SRST is the hypercall EID.
    const down = encodeRiscv(systemDown(), { hypercallEid: 0x5352_5354 });
    expect(down.x?.[17]).toBe(8n);
    expect(decodeRiscv(down, { hypercallEid: 0x5352_5354 }).exit).toEqual({ kind: "SystemDown" });
  });

  it("rejects non-exits and bad options; canEncodeRiscv never throws", () => {
    // @ts-expect-error not an exit
    expect(() => encodeRiscv({ kind: "Bogus" })).toThrow(
      expect.objectContaining({ code: "invalid-argument" }),
    );
    expect(() => encodeRiscv(halt(), { hypercallEid: 2 ** 32 })).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "options.hypercallEid" }),
    );
    expect(canEncodeRiscv({ kind: "Bogus" })).toBe(false);
    expect(canEncodeRiscv(null)).toBe(false);
    expect(canEncodeRiscv(halt(), { hypercallEid: -3 })).toBe(false);
  });

  it("checks its options as decodeRiscv does: an object of known options of the right type", () => {
    // options that are not an object were ignored by the encoder before
    // @ts-expect-error options must be an object
    expect(() => encodeRiscv(halt(), 5)).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "options" }),
    );
    // @ts-expect-error options must be an object
    expect(canEncodeRiscv(halt(), 5)).toBe(false);
    // isMmio is a decode option: the encoder has no use for it
    // @ts-expect-error not an encode option
    expect(() => encodeRiscv(halt(), { isMmio: () => true })).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "options.isMmio" }),
    );
    // @ts-expect-error hypercallEid must be a number
    expect(() => encodeRiscv(halt(), { hypercallEid: "0x485643" })).toThrow(
      /options.hypercallEid must be an integer in 0…0xffffffff, got "0x485643"/,
    );
    expect(encodeRiscv(halt(), {})).toEqual(encodeRiscv(halt()));
  });
});
