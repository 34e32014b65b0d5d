import { describe, expect, it } from "vitest";
import { decodeRiscv } from "./decode";
import { SCAUSE_EXCEPTION_NAMES, SCAUSE_INTERRUPT_NAMES } from "./scause";

// Privileged spec (hypervisor.adoc, "cause register values when the hypervisor extension is
// implemented"): interrupt bit = XLEN−1; interrupt codes 1/2/3,5/6/7,9/10/11,12,13 defined,
// 0,4,8,14,15 reserved, ≥16 platform; exception codes 14,17,32–47,≥64 reserved, 24–31 and 48–63 custom.

describe("scause: interrupts", () => {
  it.each([
    // [scause, xlen, code, Linux name]
    [0x8000_0000_0000_0005n, 64, 5, "IRQ_S_TIMER"], // bit 63 | 5
    [0x8000_0000_0000_000an, 64, 10, "IRQ_VS_EXT"], // bit 63 | 10
    [0x8000_0000_0000_0001n, 64, 1, "IRQ_S_SOFT"], // bit 63 | 1
    [0x8000_0000_0000_000cn, 64, 12, "IRQ_S_GEXT"], // bit 63 | 12 (SGEI, H extension)
    [0x8000_0000_0000_000dn, 64, 13, "IRQ_PMU_OVF"], // bit 63 | 13 (LCOFI)
    [0x8000_0006, 32, 6, "IRQ_VS_TIMER"], // RV32: bit 31 | 6
    [0x8000_0009, 32, 9, "IRQ_S_EXT"], // RV32: bit 31 | 9
    [0x8000_0002, 32, 2, "IRQ_VS_SOFT"], // RV32: bit 31 | 2
  ] as const)("%s on RV%s → ExternalInterrupt %s (%s)", (scause, xlen, code, name) => {
    const { exit, cause } = decodeRiscv({ scause, xlen });
    expect(exit).toEqual({ kind: "ExternalInterrupt", vector: BigInt(code) });
    expect(cause).toMatchObject({
      arch: "riscv",
      class: "interrupt",
      code,
      name,
      xlen,
      platform: false,
    });
  });

  it("a standard interrupt's cause is its code's alone: shared frozen per code and XLEN", () => {
    // the scause of interrupt 5 is the Interrupt bit (XLEN − 1) | 5: RV32 0x80000005 (given as
    // a number or a bigint), RV64 0x8000000000000005 — one cause per code and XLEN
    const rv32 = decodeRiscv({ scause: 0x8000_0005, xlen: 32 }).cause;
    expect(decodeRiscv({ scause: 0x8000_0005n, xlen: 32 }).cause).toBe(rv32);
    expect(rv32).toMatchObject({ code: 5, xlen: 32, scause: 0x8000_0005n, name: "IRQ_S_TIMER" });
    const rv64 = decodeRiscv({ scause: 0x8000_0000_0000_0005n }).cause;
    expect(rv64).not.toBe(rv32);
    expect(rv64).toMatchObject({ code: 5, xlen: 64, scause: 0x8000_0000_0000_0005n });
    expect(decodeRiscv({ scause: 0x8000_0000_0000_0005n }).cause).toBe(rv64);
    expect(Object.isFrozen(rv64)).toBe(true);
    // RV64 interrupt 9 (bit 63 | 9) is another code: another cause
    expect(decodeRiscv({ scause: 0x8000_0000_0000_0009n }).cause).toMatchObject({
      code: 9,
      name: "IRQ_S_EXT",
      scause: 0x8000_0000_0000_0009n,
    });
  });

  it("a platform interrupt (code ≥ 16) is an ExternalInterrupt named IRQ_PLATFORM", () => {
    // bit 63 | 0x23
    const { exit, cause } = decodeRiscv({ scause: 0x8000_0000_0000_0023n });
    expect(exit).toEqual({ kind: "ExternalInterrupt", vector: 0x23n });
    expect(cause).toMatchObject({ code: 0x23, name: "IRQ_PLATFORM", platform: true });
  });

  it("a large platform interrupt code keeps every bit of the vector", () => {
    // bit 63 | 0x1_0000_0010: code bits 62:0 span both halves
    const { exit } = decodeRiscv({ scause: 0x8000_0001_0000_0010n });
    expect(exit).toEqual({ kind: "ExternalInterrupt", vector: 0x1_0000_0010n });
  });

  it.each([
    [0x8000_0000_0000_0000n, 64], // code 0 reserved
    [0x8000_0000_0000_0004n, 64], // code 4 reserved
    [0x8000_0000_0000_000en, 64], // code 14 reserved
    [0x8000_0000_0000_000fn, 64], // code 15 reserved
    [0x8000_0008, 32], // RV32 code 8 reserved
  ] as const)("reserved interrupt %s (RV%s) → reserved-encoding", (scause, xlen) => {
    expect(() => decodeRiscv({ scause, xlen })).toThrow(
      expect.objectContaining({ code: "reserved-encoding", field: "scause" }),
    );
  });
});

describe("scause: exceptions", () => {
  it.each([
    [2, "EXC_INST_ILLEGAL"],
    [3, "EXC_BREAKPOINT"],
    [8, "EXC_SYSCALL"],
    [13, "EXC_LOAD_PAGE_FAULT"],
    [19, "EXC_HARDWARE_ERROR"],
  ] as const)("exception %s → Nothing (%s)", (code, name) => {
    const { exit, cause } = decodeRiscv({ scause: code, stval: 0x1234 });
    expect(exit).toEqual({ kind: "Nothing" });
    expect(cause).toMatchObject({
      class: "exception",
      code,
      name,
      custom: false,
      stval: 0x1234n,
    });
  });

  it.each([24, 31, 48, 63])("custom-use exception %s → Nothing, cause says custom", (code) => {
    const { exit, cause } = decodeRiscv({ scause: code });
    expect(exit).toEqual({ kind: "Nothing" });
    expect(cause).toMatchObject({
      class: "exception",
      custom: true,
      name: "EXC_CUSTOM",
      stval: undefined,
    });
  });

  it.each([14, 17, 32, 47, 64, 0xffff])("reserved exception %s → reserved-encoding", (code) => {
    expect(() => decodeRiscv({ scause: code })).toThrow(
      expect.objectContaining({ code: "reserved-encoding", field: "scause" }),
    );
  });

  it("RV32 exception code in a 32-bit scause", () => {
    // RV32 scause 0x00000003: bit 31 clear, code 3
    const { exit, cause } = decodeRiscv({ scause: 3, xlen: 32 });
    expect(exit).toEqual({ kind: "Nothing" });
    expect(cause).toMatchObject({ code: 3, name: "EXC_BREAKPOINT", xlen: 32 });
  });

  it("bit 31 is the interrupt bit on RV32 but part of the code on RV64", () => {
    // RV32: 0x80000005 = interrupt 5; RV64: exception code 0x80000005 ≥ 64 is reserved
    expect(decodeRiscv({ scause: 0x8000_0005, xlen: 32 }).exit).toEqual({
      kind: "ExternalInterrupt",
      vector: 5n,
    });
    expect(() => decodeRiscv({ scause: 0x8000_0005 })).toThrow(
      expect.objectContaining({ code: "reserved-encoding" }),
    );
  });

  it("an exception code above 2^32 on RV64 is reserved", () => {
    expect(() => decodeRiscv({ scause: 0x1_0000_0002n })).toThrow(
      expect.objectContaining({ code: "reserved-encoding" }),
    );
  });
});

describe("scause: name tables", () => {
  it("exception names follow Linux EXC_* and leave reserved codes undefined", () => {
    expect(SCAUSE_EXCEPTION_NAMES).toHaveLength(64);
    expect(SCAUSE_EXCEPTION_NAMES[10]).toBe("EXC_SUPERVISOR_SYSCALL");
    expect(SCAUSE_EXCEPTION_NAMES[20]).toBe("EXC_INST_GUEST_PAGE_FAULT");
    expect(SCAUSE_EXCEPTION_NAMES[22]).toBe("EXC_VIRTUAL_INST_FAULT");
    expect(SCAUSE_EXCEPTION_NAMES[23]).toBe("EXC_STORE_GUEST_PAGE_FAULT");
    expect(SCAUSE_EXCEPTION_NAMES[14]).toBeUndefined();
    expect(SCAUSE_EXCEPTION_NAMES[40]).toBeUndefined();
    expect(SCAUSE_EXCEPTION_NAMES[50]).toBe("EXC_CUSTOM");
  });

  it("interrupt names follow Linux IRQ_*", () => {
    expect(SCAUSE_INTERRUPT_NAMES).toHaveLength(16);
    expect(SCAUSE_INTERRUPT_NAMES[6]).toBe("IRQ_VS_TIMER");
    expect(SCAUSE_INTERRUPT_NAMES[4]).toBeUndefined();
  });
});

describe("snapshot validation", () => {
  it.each([
    [null, "invalid-argument"],
    [{}, "missing-register"],
    [{ scause: undefined, stval: 0 }, "missing-register"],
    [{ scause: -1 }, "invalid-argument"],
    [{ scause: 1.5 }, "invalid-argument"],
    [{ scause: "3" }, "invalid-argument"],
    [{ scause: 2n ** 64n }, "out-of-range"],
    [{ scause: 0x1_0000_0000, xlen: 32 }, "out-of-range"],
    [{ scause: 0x8000_0000_0000_0005n, xlen: 32 }, "out-of-range"],
    [{ scause: 2, xlen: 16 }, "invalid-argument"],
  ] as const)("%o → %s", (snapshot, code) => {
    // @ts-expect-error deliberately malformed input
    expect(() => decodeRiscv(snapshot)).toThrow(
      expect.objectContaining({ name: "VmExitError", code }),
    );
  });

  it("rejects bad options, naming the option and the value", () => {
    // @ts-expect-error isMmio must be a function
    expect(() => decodeRiscv({ scause: 2 }, { isMmio: 3 })).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "options.isMmio" }),
    );
    expect(() => decodeRiscv({ scause: 2 }, { hypercallEid: -1 })).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "options.hypercallEid" }),
    );
    expect(() => decodeRiscv({ scause: 2 }, { hypercallEid: -1 })).toThrow(/got -1/);
    expect(() => decodeRiscv({ scause: 2 }, { hypercallEid: 0.5 })).toThrow(
      expect.objectContaining({ code: "invalid-argument" }),
    );
    // an option of another decoder is an error, not silently ignored
    // @ts-expect-error not a RISC-V option
    expect(() => decodeRiscv({ scause: 2 }, { hypercallAbi: "kvm" })).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "options.hypercallAbi" }),
    );
    // @ts-expect-error options must be an object
    expect(() => decodeRiscv({ scause: 2 }, 7)).toThrow(
      expect.objectContaining({ field: "options" }),
    );
  });
});

describe("every value given is checked, whatever the exit class", () => {
  it("a missing scause is missing-register naming scause", () => {
    // @ts-expect-error scause is required
    expect(() => decodeRiscv({ stval: 0 })).toThrow(
      expect.objectContaining({ code: "missing-register", field: "scause" }),
    );
    // @ts-expect-error scause is required
    expect(() => decodeRiscv({})).toThrow(
      "scause is needed to decode a trap but snapshot.scause is absent",
    );
  });

  it.each([
    // an interrupt (bit 63 | 5) needs no stval / htval / htinst / instruction, but they are checked
    [{ scause: 0x8000_0000_0000_0005n, stval: -1 }, "invalid-argument", "stval"],
    [{ scause: 0x8000_0000_0000_0005n, htval: 1.5 }, "invalid-argument", "htval"],
    [{ scause: 0x8000_0005, htinst: 0x1_0000_0000, xlen: 32 }, "out-of-range", "htinst"],
    [{ scause: 0x8000_0000_0000_0005n, instruction: 2 ** 32 }, "out-of-range", "instruction"],
    // a breakpoint (3) reads stval only
    [{ scause: 3, htinst: -2 }, "invalid-argument", "htinst"],
    // an SBI call (10) reads the registers only
    [{ scause: 10, stval: 2n ** 64n, x: [0n] }, "out-of-range", "stval"],
    // a virtual instruction (22) reads stval and instruction only
    [{ scause: 22, stval: 0x1050_0073, htval: "0" }, "invalid-argument", "htval"],
  ] as const)("%o → %s naming %s", (snapshot, code, field) => {
    // @ts-expect-error deliberately malformed input
    expect(() => decodeRiscv(snapshot)).toThrow(expect.objectContaining({ code, field }));
  });

  it("x must be an array when an exit reads it", () => {
    // @ts-expect-error x must be an array
    expect(() => decodeRiscv({ scause: 10, x: 5 })).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "x" }),
    );
    // @ts-expect-error x must be an array
    expect(() => decodeRiscv({ scause: 10, x: "0123456789abcdefgh" })).toThrow(
      /x must be an array of the registers x0…x31, got "0123456789abcdefgh"/,
    );
  });
});
