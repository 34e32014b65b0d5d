import { describe, expect, it } from "vitest";
import { type ExplainNode, formatExplain } from "../core/explain";
import { decodeRiscv } from "./decode";
import { explainRiscv, explainScause } from "./explain";

const field = (nodes: readonly ExplainNode[], name: string): ExplainNode | undefined =>
  nodes.find((n) => n.name === name);

describe("explainScause", () => {
  it("RV64 interrupt: bit 63 and code 62:0", () => {
    expect(explainScause(0x8000_0000_0000_000an)).toEqual([
      { name: "Interrupt", bits: [63, 63], value: 1n, meaning: "interrupt" },
      {
        name: "Exception Code",
        bits: [62, 0],
        value: 10n,
        meaning: "IRQ_VS_EXT: Virtual supervisor external interrupt",
      },
    ]);
  });

  it("RV32 exception: bit 31 and code 30:0", () => {
    expect(explainScause(21, 32)).toEqual([
      { name: "Interrupt", bits: [31, 31], value: 0n, meaning: "exception" },
      {
        name: "Exception Code",
        bits: [30, 0],
        value: 21n,
        meaning: "EXC_LOAD_GUEST_PAGE_FAULT: Load guest-page fault",
      },
    ]);
  });

  it.each([
    [26, "Designated for custom use"],
    [0x8000_0000_0000_0020n, "Designated for platform use"],
  ] as const)("explains %s: %s", (scause, meaning) => {
    expect(explainScause(scause)[1]?.meaning).toBe(meaning);
  });

  it.each([
    // exception 14 and codes ≥ 64 are reserved; so is interrupt 4 (bit 63 | 4)
    [14, "reserved exception code (0xe)"],
    [100, "reserved exception code (0x64)"],
    [0x1_0000_0000n, "reserved exception code (0x100000000)"],
    [0x8000_0000_0000_0004n, "reserved interrupt code (0x4)"],
  ] as const)("rejects reserved %s as decodeRiscv does: %s", (scause, message) => {
    expect(() => explainScause(scause)).toThrow(
      expect.objectContaining({ code: "reserved-encoding", field: "scause" }),
    );
    expect(() => explainScause(scause)).toThrow(message);
    expect(() => decodeRiscv({ scause })).toThrow(message);
  });

  it("rejects bad values", () => {
    expect(() => explainScause(-1)).toThrow(expect.objectContaining({ code: "invalid-argument" }));
    expect(() => explainScause(0x1_0000_0000, 32)).toThrow(
      expect.objectContaining({ code: "out-of-range" }),
    );
    // @ts-expect-error bad xlen
    expect(() => explainScause(1, 16)).toThrow(expect.objectContaining({ field: "xlen" }));
  });
});

describe("explainRiscv", () => {
  it("guest-page fault: GPA in htval's meaning, htinst fields of a transformed load", () => {
    const nodes = explainRiscv({
      scause: 21,
      stval: 0x1000_0004,
      htval: 0x0400_0001,
      htinst: 0x2501,
    });
    expect(nodes.map((n) => n.name)).toEqual(["scause", "stval", "htval", "htinst"]);
    expect(field(nodes, "htval")).toMatchObject({ meaning: "GPA >> 2; GPA = 0x10000004" });
    const htinst = field(nodes, "htinst");
    expect(htinst).toMatchObject({ meaning: "transformed lw (compressed instruction)" });
    expect(htinst?.children).toEqual([
      { name: "imm[11:0]", bits: [31, 20], value: 0n, meaning: "zeroed in htinst" },
      {
        name: "Addr. Offset",
        bits: [19, 15],
        value: 0n,
        meaning: "faulting address − original address",
      },
      { name: "funct3", bits: [14, 12], value: 2n, meaning: "lw" },
      { name: "rd", bits: [11, 7], value: 10n, meaning: "x10 (a0)" },
      { name: "opcode", bits: [6, 0], value: 1n, meaning: "LOAD (bit 1 cleared: compressed)" },
    ]);
  });

  it("store htinst: rs2, Addr. Offset, funct3, opcode", () => {
    // sw a1 transformed = 0x00B02023
    const htinst = field(explainRiscv({ scause: 23, htinst: 0x00b0_2023 }), "htinst");
    expect(htinst?.children?.map((n) => [n.name, n.value])).toEqual([
      ["imm[11:5]", 0n],
      ["rs2", 11n],
      ["Addr. Offset", 0n],
      ["funct3", 2n],
      ["imm[4:0]", 0n],
      ["opcode", 0x23n],
    ]);
  });

  it("AMO and pseudo-instruction htinst", () => {
    const amo = field(explainRiscv({ scause: 23, htinst: 0x00b0_252f }), "htinst");
    expect(amo?.children?.map((n) => n.name)).toEqual([
      "funct5",
      "aq",
      "rl",
      "rs2",
      "Addr. Offset",
      "funct3",
      "rd",
      "opcode",
    ]);
    expect(field(explainRiscv({ scause: 21, htinst: 0x3000 }), "htinst")?.meaning).toBe(
      "pseudo-instruction: implicit VS-stage page-table read (64-bit)",
    );
    expect(field(explainRiscv({ scause: 23, htinst: 0x2020 }), "htinst")?.meaning).toBe(
      "pseudo-instruction: implicit VS-stage page-table write (32-bit)",
    );
    expect(field(explainRiscv({ scause: 21, htinst: 0 }), "htinst")?.meaning).toBe(
      "no information",
    );
    expect(field(explainRiscv({ scause: 21, htinst: 0x2502 }), "htinst")?.meaning).toBe(
      "custom value",
    );
    expect(field(explainRiscv({ scause: 21, htinst: 0x1_0000_0000n }), "htinst")?.meaning).toMatch(
      /custom/,
    );
    expect(field(explainRiscv({ scause: 21, htinst: 0x0080_2503 }), "htinst")?.meaning).toBe(
      "custom value",
    );
  });

  it("virtual instruction: stval dissected as a CSR instruction", () => {
    const stval = field(explainRiscv({ scause: 22, stval: 0xc010_2573 }), "stval");
    expect(stval?.children).toEqual([
      { name: "csr", bits: [31, 20], value: 0xc01n, meaning: "time" },
      { name: "rs1", bits: [19, 15], value: 0n, meaning: "x0 (zero)" },
      { name: "funct3", bits: [14, 12], value: 2n, meaning: "csrrs" },
      { name: "rd", bits: [11, 7], value: 10n, meaning: "x10 (a0)" },
      { name: "opcode", bits: [6, 0], value: 0x73n, meaning: "SYSTEM" },
    ]);
    const csrwi = field(explainRiscv({ scause: 22, stval: 0x1802_d073 }), "stval");
    expect(csrwi?.children?.[1]).toEqual({ name: "uimm", bits: [19, 15], value: 5n });
    const wfi = field(explainRiscv({ scause: 22, stval: 0x1050_0073 }), "stval");
    expect(wfi?.children?.[0]).toMatchObject({ name: "funct7", value: 0x08n, meaning: "wfi" });
  });

  it("raw instruction fields: 32-bit load, compressed CL, CI-SP, CSS and Zcb", () => {
    const lw = field(explainRiscv({ scause: 21, instruction: 0x0085_a503 }), "instruction");
    expect(lw?.children?.map((n) => [n.name, n.value])).toEqual([
      ["imm[11:0]", 8n],
      ["rs1", 11n],
      ["funct3", 2n],
      ["rd", 10n],
      ["opcode", 3n],
    ]);
    const clw = field(explainRiscv({ scause: 21, instruction: 0x4188 }), "instruction");
    expect(clw).toMatchObject({ bits: [15, 0], meaning: "compressed" });
    expect(clw?.children?.map((n) => [n.name, n.meaning ?? ""])).toEqual([
      ["funct3", "c.lw"],
      ["imm", ""],
      ["rs1'", "x11 (a1)"],
      ["imm", ""],
      ["rd'", "x10 (a0)"],
      ["op", "quadrant 0"],
    ]);
    const lwsp = field(explainRiscv({ scause: 21, instruction: 0x50fe }), "instruction");
    expect(lwsp?.children?.map((n) => n.name)).toEqual(["funct3", "imm[5]", "rd", "imm", "op"]);
    const swsp = field(explainRiscv({ scause: 23, instruction: 0xdfae }), "instruction");
    expect(swsp?.children?.map((n) => [n.name, n.value])).toEqual([
      ["funct3", 6n],
      ["imm", 0x3fn],
      ["rs2", 11n],
      ["op", 2n],
    ]);
    const sb = field(explainRiscv({ scause: 23, instruction: 0x8b7c }), "instruction");
    expect(sb?.children?.map((n) => [n.name, n.value])).toEqual([
      ["funct6", 0x22n],
      ["rs1'", 6n],
      ["uimm", 3n],
      ["rs2'", 7n],
      ["op", 0n],
    ]);
    const addi = field(explainRiscv({ scause: 21, instruction: 0x0505 }), "instruction");
    expect(addi?.children?.map((n) => n.name)).toEqual(["funct3", "operands", "op"]);
  });

  it("ECALL: a7 / a6 named as SBI extension and function", () => {
    const x = new Array(32).fill(0n);
    x[17] = 0x48534dn;
    x[16] = 0n;
    const nodes = explainRiscv({ scause: 10, stval: 0, x });
    expect(field(nodes, "a7")).toMatchObject({ value: 0x48534dn, meaning: "SBI EID: HSM" });
    expect(field(nodes, "a6")).toMatchObject({ meaning: "SBI FID: hart_start" });
    expect(formatExplain(nodes)).toContain("a7 [63:0] = 0x48534d  SBI EID: HSM");
    x[17] = 8n;
    expect(field(explainRiscv({ scause: 10, x }), "a6")).toBeUndefined();
    x[17] = 0x7777n;
    x[16] = 9n;
    expect(field(explainRiscv({ scause: 10, x }), "a6")?.meaning).toBe("SBI FID: unknown function");
    expect(explainRiscv({ scause: 10 }).map((n) => n.name)).toEqual(["scause"]);
  });
});

describe("explainRiscv: codes, SBI names and bad input", () => {
  it("an exception code ≥ 64 is not dissected as the code of its low byte: it is reserved", () => {
    // 0x114 & 0xFF = 0x14 = 20, but 0x114 is a reserved code, not a guest-page fault
    expect(() => explainRiscv({ scause: 0x114, stval: 0x1003, htval: 1 })).toThrow(
      expect.objectContaining({ code: "reserved-encoding", field: "scause" }),
    );
    // 0x10A & 0xFF = 10 (ECALL from VS), but 0x10A is reserved, not an SBI call
    const x = new Array(32).fill(0n);
    x[17] = 0x48534dn;
    expect(() => explainRiscv({ scause: 0x10a, x })).toThrow(/reserved exception code \(0x10a\)/);
  });

  it("a snapshot that is not an object → VmExitError naming snapshot", () => {
    // @ts-expect-error deliberately malformed input
    expect(() => explainRiscv(null)).toThrow(
      expect.objectContaining({ name: "VmExitError", code: "invalid-argument", field: "snapshot" }),
    );
    // @ts-expect-error deliberately malformed input
    expect(() => explainRiscv(undefined)).toThrow(expect.objectContaining({ field: "snapshot" }));
  });

  it("a7 names the vmexit hypercall EID; an RV64 a7 that is not a sign-extended 32-bit value names nothing", () => {
    const x = new Array(32).fill(0n);
    x[17] = 0x485643n; // "HVC"
    x[16] = 7n;
    const hvc = explainRiscv({ scause: 10, x });
    expect(field(hvc, "a7")?.meaning).toBe("SBI EID: hypercall (vmexit default EID)");
    expect(field(hvc, "a6")).toBeUndefined();
    x[17] = 0x1_0048_534dn; // bits 63:32 = 1: not the sign extension of "HSM"
    expect(field(explainRiscv({ scause: 10, x }), "a7")?.meaning).toBe(
      "SBI EID: not a sign-extended 32-bit value",
    );
    x[17] = 0xffff_ffff_8000_0000n; // EID 0x80000000 sign-extended: a valid but unknown EID
    expect(field(explainRiscv({ scause: 10, x }), "a7")?.meaning).toBe(
      "SBI EID: unknown extension",
    );
  });
});

describe("explainRiscv agrees with decodeRiscv on options and errors", () => {
  const hsm = (): bigint[] => {
    const x = new Array(32).fill(0n);
    x[17] = 0x0a00_0001n; // a firmware-range EID
    x[16] = 3n;
    return x;
  };

  it("names a7 as the hypercall extension when options.hypercallEid says so", () => {
    const snapshot = { scause: 10, x: hsm() };
    expect(field(explainRiscv(snapshot), "a7")?.meaning).toBe("SBI EID: firmware");
    const nodes = explainRiscv(snapshot, { hypercallEid: 0x0a00_0001 });
    expect(field(nodes, "a7")?.meaning).toBe("SBI EID: hypercall (options.hypercallEid)");
    expect(decodeRiscv(snapshot, { hypercallEid: 0x0a00_0001 }).exit.kind).toBe("Hypercall");
    // with another hypercall EID, the vmexit default 0x485643 is not a hypercall any more
    const x = hsm();
    x[17] = 0x485643n;
    expect(field(explainRiscv({ scause: 10, x }, { hypercallEid: 7 }), "a7")?.meaning).toBe(
      "SBI EID: unknown extension",
    );
  });

  it.each([
    [5, "invalid-argument", "options"],
    [{ hypercallEid: -1 }, "invalid-argument", "options.hypercallEid"],
    [{ abi: "kvm" }, "invalid-argument", "options.abi"],
  ] as const)("rejects options %o as decodeRiscv does (%s, %s)", (options, code, name) => {
    // @ts-expect-error deliberately malformed options
    expect(() => explainRiscv({ scause: 2 }, options)).toThrow(
      expect.objectContaining({ code, field: name }),
    );
    // @ts-expect-error deliberately malformed options
    expect(() => decodeRiscv({ scause: 2 }, options)).toThrow(
      expect.objectContaining({ code, field: name }),
    );
  });

  it("rejects the host state decodeRiscv rejects", () => {
    // RV64 htval 2^62: GPA = htval << 2 does not fit 64 bits
    const farHtval = { scause: 21, stval: 0, htval: 0x4000_0000_0000_0000n };
    expect(() => explainRiscv(farHtval)).toThrow(
      expect.objectContaining({ code: "out-of-range", field: "htval" }),
    );
    // RV32 store data register wider than 32 bits (sw a1 transformed = 0x00B02023)
    const x = new Array(32).fill(0n);
    x[11] = 0x1_0000_0000n;
    const wide = { scause: 23, stval: 0, htval: 0, htinst: 0x00b0_2023, x, xlen: 32 as const };
    expect(() => explainRiscv(wide)).toThrow(
      expect.objectContaining({ code: "out-of-range", field: "x11" }),
    );
    expect(() => decodeRiscv(wide)).toThrow(
      expect.objectContaining({ code: "out-of-range", field: "x11" }),
    );
  });

  it("still explains a snapshot that lacks a register the exit needs", () => {
    // a store guest-page fault without htval cannot be decoded, but htinst can be explained
    expect(() => decodeRiscv({ scause: 23, htinst: 0x00b0_2023 })).toThrow(
      expect.objectContaining({ code: "missing-register", field: "htval" }),
    );
    expect(explainRiscv({ scause: 23, htinst: 0x00b0_2023 }).map((n) => n.name)).toEqual([
      "scause",
      "htinst",
    ]);
    // without scause there is nothing to explain
    // @ts-expect-error scause is required
    expect(() => explainRiscv({ stval: 1 })).toThrow(
      expect.objectContaining({ code: "missing-register", field: "scause" }),
    );
  });
});
