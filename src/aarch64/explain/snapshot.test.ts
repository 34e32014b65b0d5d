import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VmExitError } from "../../core/error";
import type { ExplainNode } from "../../core/explain";
import { decodeAarch64 } from "../decode/decode";
import type { Aarch64Snapshot } from "../snapshot";
import { explainEsr } from "./esr";
import { explainAarch64 } from "./snapshot";

function at(nodes: readonly ExplainNode[], ...path: string[]): ExplainNode {
  let level: readonly ExplainNode[] = nodes;
  let found: ExplainNode | undefined;
  for (const name of path) {
    found = level.find((n) => n.name === name);
    if (found === undefined) throw new Error(`no ${name} in ${level.map((n) => n.name).join(",")}`);
    level = found.children ?? [];
  }
  return found as ExplainNode;
}

const top = (nodes: readonly ExplainNode[]) => nodes.map((n) => n.name);

/** x0…x30 with xn = 0x1111 * n, so every register has a recognisable value. */
const X: readonly bigint[] = Array.from({ length: 31 }, (_, n) => 0x1111n * BigInt(n));

function withX(changes: Record<number, bigint>): bigint[] {
  const x = [...X];
  for (const [n, v] of Object.entries(changes)) x[Number(n)] = v;
  return x;
}

describe("explainAarch64", () => {
  it("explains a stage 2 data abort: ESR tree, FAR, HPFAR, IPA and the store data", () => {
    // str w1 to unmapped IPA (arch-spec B.11): ESR 0x93810047. HPFAR 0x90000 → FIPA [47:4] =
    // 0x9000 → IPA[55:12]; FAR[11:0] = 0x678; IPA = 0x9000 << 12 | 0x678 = 0x9000678.
    const s: Aarch64Snapshot = {
      esr: 0x9381_0047,
      far: 0xffff_0000_1234_5678n,
      hpfar: 0x9_0000,
      x: X,
    };
    const t = explainAarch64(s);
    expect(top(t)).toEqual(["exception", "ESR_EL2", "FAR_EL2", "HPFAR_EL2", "IPA", "w1"]);
    expect(at(t, "exception").value).toBe(0n);
    expect(at(t, "exception").bits).toEqual([8, 7]);
    expect(at(t, "ESR_EL2").children).toEqual(explainEsr(0x9381_0047));
    expect(at(t, "ESR_EL2").meaning).toBe(
      "DABT_LOW: Write of 4 bytes from w1: Translation fault, level 3",
    );
    expect(at(t, "FAR_EL2").meaning).toBe("Faulting virtual address");
    expect(at(t, "HPFAR_EL2", "FIPA").value).toBe(0x9000n);
    expect(at(t, "HPFAR_EL2", "FIPA").bits).toEqual([47, 4]);
    expect(at(t, "IPA").value).toBe(0x900_0678n);
    expect(at(t, "IPA", "FIPA").value).toBe(0x9000n);
    expect(at(t, "IPA", "PageOffset").value).toBe(0x678n);
    // SF = 0: the W view of x1 = 0x1111.
    expect(at(t, "w1").value).toBe(0x1111n);
    expect(at(t, "w1").bits).toEqual([31, 0]);
  });

  it("takes FAR[11:0] as 0 when FnV is 1", () => {
    // ISV 0 read, FnV 1 << 10, DFSC 0x06: 0x92000000 | 0x400 | 0x06 = 0x92000406.
    // HPFAR 0x0000_0001_2345_6780: FIPA = 0x1_2345_678 → IPA = 0x1_2345_678 << 12 = 0x1234_5678_000.
    const t = explainAarch64({ esr: 0x9200_0406, far: 0xabc, hpfar: 0x1_2345_6780n });
    expect(at(t, "FAR_EL2").meaning).toMatch(/Not valid: FnV is 1/);
    expect(at(t, "IPA").value).toBe(0x1234_5678_000n);
    expect(at(t, "IPA", "PageOffset").value).toBe(0n);
    expect(at(t, "IPA", "PageOffset").meaning).toMatch(/FAR is not valid/);
  });

  it("shows HPFAR.NS and non-zero reserved bits", () => {
    // NS = bit 63; bit 2 is RES0.
    const t = explainAarch64({ esr: 0x8200_0007, far: 0, hpfar: (1n << 63n) | 0x10n | 0x4n });
    expect(at(t, "HPFAR_EL2", "NS").value).toBe(1n);
    expect(at(t, "HPFAR_EL2", "RES0").bits).toEqual([3, 0]);
    expect(at(t, "HPFAR_EL2", "RES0").value).toBe(4n);
    // IABT_LOW: IPA = FIPA 1 << 12 | FAR 0.
    expect(at(t, "IPA").value).toBe(0x1000n);
  });

  it("leaves out the IPA when HPFAR or FAR is missing", () => {
    expect(top(explainAarch64({ esr: 0x9381_0047, far: 0x10 }))).toEqual([
      "exception",
      "ESR_EL2",
      "FAR_EL2",
    ]);
    expect(top(explainAarch64({ esr: 0x9381_0047, hpfar: 0x10 }))).toEqual([
      "exception",
      "ESR_EL2",
      "HPFAR_EL2",
    ]);
  });

  it("shows x[SRT] for a 64-bit store and nothing for a load", () => {
    // str x7: ISV | SAS 3 << 22 | SRT 7 << 16 | SF 1 << 15 | WnR 1 << 6 | DFSC 7 = 0x93C78047.
    const t = explainAarch64({ esr: 0x93c7_8047, x: X });
    expect(at(t, "x7").value).toBe(0x7777n);
    expect(at(t, "x7").meaning).toMatch(/low 8 bytes/);
    // ldr x3 (0x93C38006): the destination's old value is not used.
    expect(top(explainAarch64({ esr: 0x93c3_8006, x: X }))).toEqual(["exception", "ESR_EL2"]);
  });

  it("reads xzr as 0 for a store of the zero register", () => {
    // str xzr: 0x93C78047 with SRT 31: | 31 << 16 → 0x93DF8047.
    const t = explainAarch64({ esr: 0x93df_8047 });
    expect(at(t, "xzr").value).toBe(0n);
  });

  it("decodes the instruction of an ISV = 0 store and shows its data register", () => {
    // ISV 0 write, DFSC 6: 0x92000046. STR w1, [x2] = size 0b10 111 0 01 00 imm12 0 Rn 2 Rt 1 =
    // 0xB9000000 | 2 << 5 | 1 = 0xB9000041.
    const t = explainAarch64({ esr: 0x9200_0046, x: X, instruction: 0xb900_0041 });
    expect(at(t, "instruction").value).toBe(0xb900_0041n);
    expect(at(t, "instruction").meaning).toBe("STR w1, [x2] (unsigned-immediate, 4 bytes)");
    expect(at(t, "w1").value).toBe(0x1111n);
  });

  it("names an instruction that is not a load/store and shows a load without data", () => {
    // 0xD503201F is NOP. LDR x3, [sp] = 0xF9400000 | 31 << 5 | 3 = 0xF94003E3.
    const nop = explainAarch64({ esr: 0x9200_0006, instruction: 0xd503_201f });
    expect(at(nop, "instruction").meaning).toMatch(/not a single-register integer load\/store/);
    const ldr = explainAarch64({ esr: 0x9200_0006, instruction: 0xf940_03e3, x: X });
    expect(at(ldr, "instruction").meaning).toBe("LDR x3, [sp] (unsigned-immediate, 8 bytes)");
    expect(top(ldr)).toEqual(["exception", "ESR_EL2", "instruction"]);
  });

  it("dissects an ICC_SGI1R_EL1 write", () => {
    // msr ICC_SGI1R_EL1, x2 (0x623A3056); x2 = SGI 1 to Aff0 1 in 0.0.0 = 0x0100_0002
    // (arch-spec B.5: INTID 1 << 24 | TargetList bit 1).
    const t = explainAarch64({ esr: 0x623a_3056, x: withX({ 2: 0x0100_0002n }) });
    const x2 = at(t, "x2");
    expect(x2.meaning).toBe(
      "Value written to ICC_SGI1R_EL1: SGI 1 to Aff3.Aff2.Aff1 = 0.0.0, Aff0 ∈ {1}",
    );
    expect(at(t, "x2", "INTID").value).toBe(1n);
    expect(at(t, "x2", "TargetList").value).toBe(2n);
    expect(at(t, "x2", "IRM").value).toBe(0n);
  });

  it("dissects a broadcast SGI and the affinity/range fields", () => {
    // SGI 1 broadcast (arch-spec B.5): IRM 1 << 40 | INTID 1 << 24 = 0x0000_0100_0100_0000.
    const bcast = explainAarch64({ esr: 0x623a_3056, x: withX({ 2: 0x100_0100_0000n }) });
    expect(at(bcast, "x2").meaning).toMatch(/SGI 1 to all PEs except self/);
    // ICC_SGI0R_EL1 (op2 7: 0x623A3056 | 2 << 17 = 0x623E3056), x2 = Aff3 3 << 48 | RS 1 << 44 |
    // Aff2 2 << 32 | INTID 15 << 24 | Aff1 5 << 16 | TargetList 0b1001 = 0x0003_1002_0F05_0009.
    const t = explainAarch64({ esr: 0x623e_3056, x: withX({ 2: 0x0003_1002_0f05_0009n }) });
    expect(at(t, "x2").meaning).toBe(
      "Value written to ICC_SGI0R_EL1: SGI 15 to Aff3.Aff2.Aff1 = 3.2.5, Aff0 ∈ {16, 19}",
    );
    expect(at(t, "x2", "Aff3").value).toBe(3n);
    expect(at(t, "x2", "RS").value).toBe(1n);
    expect(at(t, "x2", "Aff2").value).toBe(2n);
    expect(at(t, "x2", "Aff1").value).toBe(5n);
    // An empty TargetList and RES0 bit 31 via ICC_ASGI1R_EL1 (op2 6: 0x623C3056).
    const empty = explainAarch64({ esr: 0x623c_3056, x: withX({ 2: 0x8000_0000n }) });
    expect(at(empty, "x2").meaning).toMatch(/ICC_ASGI1R_EL1: SGI 0 to no PE/);
    expect(at(empty, "x2", "RES0").bits).toEqual([31, 28]);
  });

  it("shows the source of other MSRs and nothing for MRS", () => {
    // msr CNTV_CTL_EL0, x4: Op0 3 << 20 | Op2 1 << 17 | Op1 3 << 14 | CRn 14 << 10 | Rt 4 << 5 |
    // CRm 3 << 1 = 0x32F886 → ESR 0x6232F886.
    const t = explainAarch64({ esr: 0x6232_f886, x: X });
    expect(at(t, "x4").meaning).toBe("Value written to CNTV_CTL_EL0");
    expect(top(explainAarch64({ esr: 0x6234_f801, x: X }))).toEqual(["exception", "ESR_EL2"]);
    // An SGI write whose x2 was not supplied: no register node.
    expect(top(explainAarch64({ esr: 0x623a_3056 }))).toEqual(["exception", "ESR_EL2"]);
  });

  it("shows x0…x6 of an HVC64 with the SMCCC fields of x0", () => {
    // hvc #0 (0x5A000000), x0 = PSCI CPU_ON 64-bit 0xC4000003.
    const t = explainAarch64({ esr: 0x5a00_0000, x: withX({ 0: 0xc400_0003n }) });
    expect(top(t)).toEqual(["exception", "ESR_EL2", "x0", "x1", "x2", "x3", "x4", "x5", "x6"]);
    expect(at(t, "x0").meaning).toBe("SMCCC function ID 0xc4000003: CPU_ON");
    expect(at(t, "x0", "CallType").value).toBe(1n);
    expect(at(t, "x0", "Convention").value).toBe(1n);
    expect(at(t, "x0", "OEN").value).toBe(4n);
    expect(at(t, "x0", "OEN").meaning).toMatch(/Standard Secure/);
    expect(at(t, "x0", "FunctionNumber").value).toBe(3n);
    expect(at(t, "x6").value).toBe(0x6666n);
  });

  it("uses W registers for SMC32 and names unknown function IDs plainly", () => {
    // smc from AArch32: 0x4E000000; x0 = 0xFFFF_FFFF_8600_0001 (upper half ignored),
    // x1 = 0x1_0000_0002 → w1 = 2.
    const t = explainAarch64({
      esr: 0x4e00_0000,
      x: withX({ 0: 0xffff_ffff_8600_0001n, 1: 0x1_0000_0002n }),
    });
    expect(at(t, "w0").value).toBe(0x8600_0001n);
    expect(at(t, "w0").meaning).toBe("SMCCC function ID 0x86000001");
    expect(at(t, "w0", "OEN").value).toBe(6n);
    expect(at(t, "w1").value).toBe(2n);
    expect(at(t, "w1").bits).toEqual([31, 0]);
  });

  it("shows only the supplied call registers", () => {
    // HVC32 (0x4A000000) with x0 and x3 only.
    const x: (bigint | undefined)[] = [];
    x[0] = 0x8400_0000n;
    x[3] = 7n;
    const t = explainAarch64({ esr: 0x4a00_0000, x });
    expect(top(t)).toEqual(["exception", "ESR_EL2", "w0", "w3"]);
    expect(at(t, "w0").meaning).toBe("SMCCC function ID 0x84000000: PSCI_VERSION");
  });

  it("shows the WFIT timeout register", () => {
    // WFIT x9: 0x06000000 | RN 9 << 5 | RV 1 << 2 | TI 2 = 0x06000126.
    const t = explainAarch64({ esr: 0x0600_0126, x: X });
    expect(at(t, "x9").value).toBe(0x9999n);
    expect(at(t, "x9").meaning).toMatch(/timeout/);
    // WFI has no register.
    expect(top(explainAarch64({ esr: 0x0600_0000, x: X }))).toEqual(["exception", "ESR_EL2"]);
  });

  it("explains an IRQ by its INTID", () => {
    const t = explainAarch64({ esr: 0, exception: "irq", irq: 27 });
    expect(top(t)).toEqual(["exception", "INTID", "ESR_EL2"]);
    expect(at(t, "exception").value).toBe(1n);
    expect(at(t, "exception").meaning).toMatch(/^irq/);
    expect(at(t, "INTID").value).toBe(27n);
    expect(at(t, "INTID").bits).toEqual([23, 0]);
    expect(at(t, "INTID").meaning).toMatch(/^PPI/);
    expect(at(t, "ESR_EL2").meaning).toMatch(/Not updated by IRQ\/FIQ/);
  });

  it.each([
    [5n, /^SGI/],
    [40n, /^SPI/],
    [1021n, /^Special/],
    [1023n, /^Spurious/],
    [1030n, /^Extended PPI/],
    [2000n, /^Reserved/],
    [4200n, /^Extended SPI/],
    [6000n, /^Reserved/],
    [8192n, /^LPI/],
  ] as const)("classifies INTID %s", (intid, re) => {
    expect(at(explainAarch64({ esr: 0, exception: "fiq", irq: intid }), "INTID").meaning).toMatch(
      re,
    );
  });

  it("gives an out-of-range INTID the whole register", () => {
    const t = explainAarch64({ esr: 0, exception: "irq", irq: 1n << 40n });
    expect(at(t, "INTID").bits).toEqual([63, 0]);
    expect(at(t, "INTID").meaning).toMatch(/Out of the GICv3 INTID range/);
    // FIQ without an INTID: only the kind and the ESR.
    expect(top(explainAarch64({ esr: 0, exception: "fiq" }))).toEqual(["exception", "ESR_EL2"]);
  });

  it("explains an SError through its ESR", () => {
    // 0xBE000811: SError, AET UEO, DFSC 0x11.
    const t = explainAarch64({ esr: 0xbe00_0811, exception: "serror" });
    expect(at(t, "exception").value).toBe(3n);
    expect(at(t, "ESR_EL2", "ISS", "AET").value).toBe(2n);
    expect(at(t, "ESR_EL2").meaning).toBe("SERROR");
  });

  it("rejects bad snapshots with VmExitError naming the field", () => {
    const cases: readonly [unknown, string, string][] = [
      [null, "invalid-argument", "snapshot"],
      [42, "invalid-argument", "snapshot"],
      [{ esr: 0, exception: "nmi" }, "invalid-argument", "exception"],
      [{ esr: 1n << 60n }, "reserved-encoding", "esr"],
      [{ esr: 0x9381_0047, far: -1 }, "invalid-argument", "far"],
      [{ esr: 0x9381_0047, hpfar: 2n ** 64n }, "out-of-range", "hpfar"],
      [{ esr: 0x9381_0047, x: "x" }, "invalid-argument", "x"],
      [{ esr: 0x9381_0047, x: [0, 1.5] }, "invalid-argument", "x1"],
      [{ esr: 0x9200_0046, instruction: 1.5 }, "invalid-argument", "instruction"],
      [{ esr: 0x9200_0046, instruction: 2 ** 32 }, "out-of-range", "instruction"],
      [{ esr: 0, exception: "irq", irq: -3 }, "invalid-argument", "irq"],
    ];
    for (const [s, code, field] of cases) {
      try {
        explainAarch64(s as Aarch64Snapshot);
        expect.unreachable(JSON.stringify(String(s)));
      } catch (e) {
        expect(e).toBeInstanceOf(VmExitError);
        expect((e as VmExitError).code).toBe(code);
        expect((e as VmExitError).field).toBe(field);
      }
    }
  });

  it("never throws anything but VmExitError, and values fit their bits", () => {
    const reg = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.integer({ min: 0 }));
    const snapshot = fc.record(
      {
        esr: fc.oneof(
          fc.bigInt({ min: 0n, max: (1n << 56n) - 1n }),
          fc.integer({ min: 0, max: 63 }).map((ec) => ec * 2 ** 26 + 0x200_0000),
        ),
        far: reg,
        hpfar: reg,
        x: fc.array(fc.option(reg, { nil: undefined }), { maxLength: 31 }),
        exception: fc.constantFrom("sync", "irq", "fiq", "serror"),
        irq: reg,
        instruction: fc.integer({ min: 0, max: 0xffff_ffff }),
      },
      { requiredKeys: ["esr"] },
    );
    const check = (nodes: readonly ExplainNode[]): void => {
      for (const n of nodes) {
        const [hi, lo] = n.bits;
        expect(n.value >= 0n && n.value < 1n << BigInt(hi - lo + 1)).toBe(true);
        if (n.children) check(n.children);
      }
    };
    fc.assert(
      fc.property(fc.oneof(snapshot, fc.anything()), (s) => {
        try {
          check(explainAarch64(s as Aarch64Snapshot));
        } catch (e) {
          expect(e).toBeInstanceOf(VmExitError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("explainAarch64: the instruction word of an ISV = 0 abort", () => {
  it("dissects the word by its encoding class: an unprivileged store and its data", () => {
    // STTR w7, [x8]: size 10 | 111 | V 0 | 00 | opc 00 | 0 | imm9 0 | 10 | Rn 8 | Rt 7 = 0xB8000907;
    // ISV 0 write, DFSC 7: 0x92000047.
    const t = explainAarch64({ esr: 0x9200_0047, x: X, instruction: 0xb800_0907 });
    expect(at(t, "instruction").meaning).toBe("STTR w7, [x8] (unprivileged, 4 bytes)");
    expect(at(t, "instruction").children?.map((n) => n.name)).toEqual([
      "size",
      "V",
      "opc",
      "imm9",
      "Rn",
      "Rt",
    ]);
    expect(at(t, "instruction", "size").value).toBe(2n);
    expect(at(t, "instruction", "opc").value).toBe(0n);
    expect(at(t, "instruction", "Rn").value).toBe(8n);
    expect(at(t, "instruction", "Rt").value).toBe(7n);
    expect(at(t, "w7").value).toBe(0x7777n);
  });

  it("names RCpc loads and PC-relative literals", () => {
    // LDAPURSW x17, [x18, #-1]: size 10 | 011001 | opc 10 | 0 | imm9 0x1FF | 00 | Rn 18 | Rt 17
    const rcpc = explainAarch64({ esr: 0x9200_0007, instruction: 0x999f_f251 });
    expect(at(rcpc, "instruction").meaning).toBe("LDAPURSW x17, [x18] (unscaled, 4 bytes)");
    expect(at(rcpc, "instruction", "imm9").meaning).toBe("Signed offset #-0x1");
    // LDAPR x5, [x6]: size 11 | 111000 1 0 1 11111 1100 00 | Rn 6 | Rt 5 = 0xF8BFC0C5
    const ldapr = explainAarch64({ esr: 0x9200_0007, instruction: 0xf8bf_c0c5 });
    expect(at(ldapr, "instruction").meaning).toBe("LDAPR x5, [x6] (no-offset, 8 bytes)");
    // LDR x2, <pc-4>: opc 01 | 011 | V 0 | 00 | imm19 0x7FFFF | Rt 2 = 0x58FFFFE2
    const lit = explainAarch64({ esr: 0x9200_0007, instruction: 0x58ff_ffe2 });
    expect(at(lit, "instruction").meaning).toBe("LDR x2, <PC-relative literal> (literal, 8 bytes)");
    expect(at(lit, "instruction", "imm19").meaning).toBe("PC-relative offset #-0x4");
    expect(at(lit, "instruction", "opc").meaning).toBe("LDR (64-bit)");
  });

  it("rejects a bad instruction word as decodeAarch64 does, with the same code", () => {
    const cases: readonly [unknown, string][] = [
      [1.5, "invalid-argument"],
      [-1, "invalid-argument"],
      ["0xb9000041", "invalid-argument"],
      [2 ** 32, "out-of-range"],
    ];
    for (const [instruction, code] of cases) {
      const s = { esr: 0x9200_0007, hpfar: 0x9_0000n, far: 0x10n, instruction } as never;
      for (const run of [() => explainAarch64(s), () => decodeAarch64(s)]) {
        expect(run).toThrow(expect.objectContaining({ code, field: "instruction" }));
      }
    }
  });
});

describe("explainAarch64: what decode rejects, explain rejects", () => {
  it("an unallocated EC in a synchronous ESR, a reserved data-abort syndrome", () => {
    // EC 0x02 << 26 | IL = 0x0A000000; DABT_LOW | ISV | SAS 3 | DFSC 7 without SF = 0x93C00007
    for (const esr of [0x0a00_0000, 0x93c0_0007]) {
      for (const run of [() => explainAarch64({ esr }), () => decodeAarch64({ esr })]) {
        expect(run).toThrow(expect.objectContaining({ code: "reserved-encoding", field: "esr" }));
      }
    }
  });

  it("an SError's ESR is read as an SError syndrome whatever its EC says, as decode does", () => {
    // EC 0x02 (unallocated) << 26 | IL | AET 2 << 10 | DFSC 0x11 = 0x0A000811
    const t = explainAarch64({ esr: 0x0a00_0811, exception: "serror" });
    expect(decodeAarch64({ esr: 0x0a00_0811, exception: "serror" }).cause.class).toBe("serror");
    expect(at(t, "ESR_EL2", "EC").meaning).toMatch(/^Unallocated exception class 0x2/);
    expect(at(t, "ESR_EL2", "ISS", "AET").value).toBe(2n);
    // EC 0x1B, the TSTART trap of the withdrawn FEAT_TME: 0x1B << 26 | IL = 0x6E000000
    const tstart = explainAarch64({ esr: 0x6e00_0000, exception: "serror" });
    expect(at(tstart, "ESR_EL2", "EC").meaning).toMatch(/0x1B was the TSTART trap/);
  });

  it("an IRQ's ESR is neither read nor dissected, only checked to be a register value", () => {
    // EC 0x3F (unallocated): a stale ESR is fine for an interrupt.
    const t = explainAarch64({ esr: 0xfc00_0000, exception: "irq", irq: 27 });
    expect(at(t, "ESR_EL2").children).toBeUndefined();
    expect(decodeAarch64({ esr: 0xfc00_0000, exception: "irq", irq: 27 }).exit.kind).toBe(
      "ExternalInterrupt",
    );
    for (const run of [
      () => explainAarch64({ esr: -1, exception: "irq", irq: 27 }),
      () => decodeAarch64({ esr: -1, exception: "irq", irq: 27 }),
    ]) {
      expect(run).toThrow(expect.objectContaining({ code: "invalid-argument", field: "esr" }));
    }
  });

  it("registers the exit class uses are checked by both, needed or not", () => {
    // WFIT x9 (RV): 0x06000126; CPU_OFF over HVC64 with a bad x4; a permission-fault store (its
    // data x1 is not read for a NestedPageFault, but is the store's data).
    const cases: readonly [Aarch64Snapshot, string][] = [
      [{ esr: 0x0600_0126, x: withX({ 9: -1n }) }, "x9"],
      [{ esr: 0x5a00_0000, x: [0x8400_0002n, 0n, 0n, 0n, 2n ** 64n] }, "x4"],
      [{ esr: 0x9381_004f, hpfar: 0x9_0000n, far: 0x10n, x: [0n, -5n] }, "x1"],
      [{ esr: 0x9600_0007, far: -1 }, "far"],
    ];
    for (const [s, field] of cases) {
      const codes = [() => explainAarch64(s), () => decodeAarch64(s)].map((run) => {
        try {
          run();
          return "ok";
        } catch (e) {
          expect((e as VmExitError).field).toBe(field);
          return (e as VmExitError).code;
        }
      });
      expect(codes[0]).not.toBe("ok");
      expect(codes[0]).toBe(codes[1]);
    }
  });
});

describe("explainAarch64 agrees with decodeAarch64 on any input", () => {
  /** The outcome of a call: "ok", or the VmExitError code (anything else fails the test). */
  function outcome(f: () => unknown): string {
    try {
      f();
      return "ok";
    } catch (e) {
      if (!(e instanceof VmExitError)) throw e;
      return e.code;
    }
  }
  const junk = fc.oneof(
    fc.constant(undefined),
    fc.constant(-1),
    fc.constant(1.5),
    fc.constant(2n ** 64n),
    fc.constant("0x10"),
    fc.constant(null),
  );
  const reg = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), junk);
  const esr = fc.oneof(
    fc.constantFrom(
      0x9381_0047, // str w1 (ISV, translation)
      0x9381_044f, // with FnV and a permission fault
      0x9200_0007, // ISV = 0 read
      0x9200_0047, // ISV = 0 write
      0x9600_0007, // DABT_CUR
      0x8200_0007, // IABT_LOW
      0x0600_0126, // WFIT x9
      0x5a00_0000, // HVC64
      0x4a00_0000, // HVC32
      0x623a_3056, // msr ICC_SGI1R_EL1, x2
      0x6234_f801, // mrs
      0xfe00_0000, // unallocated EC
      0x93c0_0007, // ISV, SAS 3, SF 0
    ),
    fc.bigInt({ min: 0n, max: (1n << 60n) - 1n }),
    junk,
  );
  it("accepts what decode accepts; rejects with decode's code (missing registers aside)", () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            esr,
            far: reg,
            hpfar: reg,
            x: fc.oneof(fc.array(reg, { maxLength: 31 }), junk),
            exception: fc.oneof(fc.constantFrom("sync", "irq", "fiq", "serror"), junk),
            irq: reg,
            instruction: fc.oneof(fc.integer({ min: 0, max: 0xffff_ffff }), junk),
          },
          { requiredKeys: [] },
        ),
        (s) => {
          const snapshot = s as unknown as Aarch64Snapshot;
          const decoded = outcome(() => decodeAarch64(snapshot));
          const explained = outcome(() => explainAarch64(snapshot));
          if (decoded === "missing-register") return;
          expect(explained).toBe(decoded);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
