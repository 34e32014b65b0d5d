import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeA64LoadStore } from "../decode/load-store";
import { describeFsc, FSC_TABLE } from "./dfsc";
import { ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "./ec";
import { PSCI_FUNCTIONS, psciFunctionName, SMCCC_OWNER_NAMES, smcccFunctionName } from "./psci";

describe("ESR_EC_NAMES / ESR_EC_DESCRIPTIONS", () => {
  it("have 64 entries, 46 allocated (arch-spec B.1), names and descriptions together", () => {
    expect(ESR_EC_NAMES).toHaveLength(64);
    expect(ESR_EC_DESCRIPTIONS).toHaveLength(64);
    expect(ESR_EC_NAMES.filter((n) => n !== undefined)).toHaveLength(46);
    for (let ec = 0; ec < 64; ec++) {
      expect(ESR_EC_NAMES[ec] === undefined).toBe(ESR_EC_DESCRIPTIONS[ec] === undefined);
    }
  });
  it("use the kvm_exit names", () => {
    expect(ESR_EC_NAMES[0x24]).toBe("DABT_LOW");
    expect(ESR_EC_NAMES[0x18]).toBe("SYS64");
    expect(ESR_EC_NAMES[0x01]).toBe("WFx");
    expect(ESR_EC_NAMES[0x3c]).toBe("BRK64");
    expect(ESR_EC_NAMES[0x1b]).toBeUndefined();
    expect(ESR_EC_DESCRIPTIONS[0x24]).toBe("Data Abort from a lower Exception level");
  });
});

describe("FSC_TABLE / describeFsc", () => {
  it("groups like Linux: FSC & 0x3C gives the type, FSC & 3 the level, for 0x00…0x0F", () => {
    const classes = ["address-size", "translation", "access-flag", "permission"];
    for (let fsc = 0; fsc < 16; fsc++) {
      expect(FSC_TABLE[fsc]).toMatchObject({ fscClass: classes[fsc >> 2], level: fsc & 3 });
    }
  });
  it("describes allocated and reserved codes", () => {
    expect(describeFsc(0x07)).toBe("Translation fault, level 3");
    expect(describeFsc(0x2b)).toBe("Translation fault, level -1");
    expect(describeFsc(0x21)).toBe("Alignment fault");
    expect(describeFsc(0x3f)).toBe("Reserved fault status code 0x3f");
    expect(FSC_TABLE).toHaveLength(64);
  });
});

describe("PSCI / SMCCC tables", () => {
  it("names PSCI IDs only under the conventions that define them", () => {
    expect(psciFunctionName(0x8400_0003)).toBe("CPU_ON");
    expect(psciFunctionName(0xc400_0003)).toBe("CPU_ON");
    expect(psciFunctionName(0xc400_0002)).toBeUndefined(); // CPU_OFF has no SMC64 ID
    expect(psciFunctionName(0xc400_0016)).toBe("CLEAN_INV_MEMREGION");
    expect(psciFunctionName(0x8400_0016)).toBeUndefined();
    expect(psciFunctionName(0x8400_0018)).toBeUndefined();
    expect(psciFunctionName(0x8500_0003)).toBeUndefined();
    expect(PSCI_FUNCTIONS[0x15]).toStrictEqual({ name: "SYSTEM_OFF2", has32: true, has64: true });
  });
  it("names arch calls and generic queries", () => {
    expect(smcccFunctionName(0x8000_0000)).toBe("SMCCC_VERSION");
    expect(smcccFunctionName(0x8000_7fff)).toBe("SMCCC_ARCH_WORKAROUND_2");
    expect(smcccFunctionName(0x8600_ff01)).toBe("CALL_UID");
    expect(smcccFunctionName(0xc500_ff00)).toBe("CALL_COUNT");
    expect(smcccFunctionName(0x0600_ff01)).toBeUndefined(); // yielding: not the generic query
    expect(smcccFunctionName(0x8400_0001)).toBe("CPU_SUSPEND");
  });
  it("names the 64 owners (DEN0028 table 6-2)", () => {
    expect(SMCCC_OWNER_NAMES).toHaveLength(64);
    expect(SMCCC_OWNER_NAMES[4]).toBe("Standard Secure Service Calls");
    expect(SMCCC_OWNER_NAMES[7]).toBe("Reserved for future use");
    expect(SMCCC_OWNER_NAMES[48]).toBe("Trusted Application Calls");
    expect(SMCCC_OWNER_NAMES[63]).toBe("Trusted OS Calls");
  });
});

describe("ESR_EC_NAMES, every EC against Linux", () => {
  // Written out independently of ec.ts from Linux arch/arm64/include/asm/esr.h (ESR_ELx_EC_*
  // macros and the "Unallocated EC" comments) and kvm_arm.h (kvm_arm_exception_class strings);
  // 0x1E is QEMU's EC_GPC (Linux has no macro), named GPC here.
  const LINUX: Readonly<Record<number, string>> = {
    0: "UNKNOWN",
    1: "WFx",
    3: "CP15_32",
    4: "CP15_64",
    5: "CP14_MR",
    6: "CP14_LS",
    7: "FP_ASIMD",
    8: "CP10_ID",
    9: "PAC",
    10: "OTHER",
    12: "CP14_64",
    13: "BTI",
    14: "ILL",
    17: "SVC32",
    18: "HVC32",
    19: "SMC32",
    21: "SVC64",
    22: "HVC64",
    23: "SMC64",
    24: "SYS64",
    25: "SVE",
    26: "ERET",
    28: "FPAC",
    29: "SME",
    30: "GPC",
    31: "IMP_DEF",
    32: "IABT_LOW",
    33: "IABT_CUR",
    34: "PC_ALIGN",
    36: "DABT_LOW",
    37: "DABT_CUR",
    38: "SP_ALIGN",
    39: "MOPS",
    40: "FP_EXC32",
    44: "FP_EXC64",
    45: "GCS",
    47: "SERROR",
    48: "BREAKPT_LOW",
    49: "BREAKPT_CUR",
    50: "SOFTSTP_LOW",
    51: "SOFTSTP_CUR",
    52: "WATCHPT_LOW",
    53: "WATCHPT_CUR",
    56: "BKPT32",
    58: "VECTOR32",
    60: "BRK64",
  };
  for (let ec = 0; ec < 64; ec++) {
    const want = LINUX[ec];
    it(`EC 0x${ec.toString(16)} → ${want ?? "unallocated"}`, () => {
      expect(ESR_EC_NAMES[ec]).toBe(want);
    });
  }
});

describe("FSC_TABLE, every code against arch-spec B.3", () => {
  // [code, class, level | undefined], written out from the DFSC table of arch-spec B.3 (Arm ARM,
  // QEMU arm_fi_to_lfsc, aarch64-esr-decoder), independently of dfsc.ts. Codes not listed are
  // reserved.
  const ROWS: readonly (readonly [number, string, number | undefined])[] = [
    [0x00, "address-size", 0],
    [0x01, "address-size", 1],
    [0x02, "address-size", 2],
    [0x03, "address-size", 3],
    [0x04, "translation", 0],
    [0x05, "translation", 1],
    [0x06, "translation", 2],
    [0x07, "translation", 3],
    [0x08, "access-flag", 0],
    [0x09, "access-flag", 1],
    [0x0a, "access-flag", 2],
    [0x0b, "access-flag", 3],
    [0x0c, "permission", 0],
    [0x0d, "permission", 1],
    [0x0e, "permission", 2],
    [0x0f, "permission", 3],
    [0x10, "sync-external", undefined],
    [0x11, "tag-check", undefined],
    [0x12, "sync-external-walk", -2],
    [0x13, "sync-external-walk", -1],
    [0x14, "sync-external-walk", 0],
    [0x15, "sync-external-walk", 1],
    [0x16, "sync-external-walk", 2],
    [0x17, "sync-external-walk", 3],
    [0x18, "parity", undefined],
    [0x1b, "parity-walk", -1],
    [0x1c, "parity-walk", 0],
    [0x1d, "parity-walk", 1],
    [0x1e, "parity-walk", 2],
    [0x1f, "parity-walk", 3],
    [0x21, "alignment", undefined],
    [0x22, "granule-protection-walk", -2],
    [0x23, "granule-protection-walk", -1],
    [0x24, "granule-protection-walk", 0],
    [0x25, "granule-protection-walk", 1],
    [0x26, "granule-protection-walk", 2],
    [0x27, "granule-protection-walk", 3],
    [0x28, "granule-protection", undefined],
    [0x29, "address-size", -1],
    [0x2a, "translation", -2],
    [0x2b, "translation", -1],
    [0x2c, "address-size", -2],
    [0x30, "tlb-conflict", undefined],
    [0x31, "atomic-update", undefined],
    [0x34, "implementation-defined", undefined],
    [0x35, "implementation-defined", undefined],
  ];
  const byCode = new Map(ROWS.map((r) => [r[0], r]));
  for (let fsc = 0; fsc < 64; fsc++) {
    const row = byCode.get(fsc);
    it(`DFSC 0x${fsc.toString(16)} → ${row === undefined ? "reserved" : `${row[1]} ${row[2] ?? ""}`}`, () => {
      const info = FSC_TABLE[fsc];
      if (row === undefined) {
        expect(info).toBeUndefined();
        return;
      }
      expect(info?.fscClass).toBe(row[1]);
      expect(info?.level).toBe(row[2]);
      if (row[2] !== undefined) expect(info?.description).toMatch(new RegExp(`level ${row[2]}$`));
    });
  }
});

describe("table lookups reject what is not a 32-bit number with a VmExitError", () => {
  // These were TypeErrors ("Cannot mix BigInt and other types") for bigint arguments.
  const lookups = [
    ["describeFsc", (v: unknown) => describeFsc(v as number), "code"],
    ["psciFunctionName", (v: unknown) => psciFunctionName(v as number), "functionId"],
    ["smcccFunctionName", (v: unknown) => smcccFunctionName(v as number), "functionId"],
    ["decodeA64LoadStore", (v: unknown) => decodeA64LoadStore(v as number), "word"],
  ] as const;
  for (const [name, f, field] of lookups) {
    it(`${name} names ${field}`, () => {
      for (const [v, code] of [
        [-1n, "invalid-argument"],
        [0x8400_0003n, "invalid-argument"],
        [1.5, "invalid-argument"],
        ["7", "invalid-argument"],
        [Symbol("s"), "invalid-argument"],
        [{}, "invalid-argument"],
        [-1, "out-of-range"],
        [2 ** 32, "out-of-range"],
      ] as const) {
        expect(() => f(v)).toThrow(expect.objectContaining({ name: "VmExitError", code, field }));
      }
    });
  }
  it("psciFunctionName names exactly the IDs of PSCI_FUNCTIONS (0x84000000 + n SMC32, 0xC4000000 + n SMC64)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.nat({ max: 0xffff_ffff }),
          fc.nat({ max: 0xffff }).map((n) => 0x8400_0000 + n),
          fc.nat({ max: 0xffff }).map((n) => 0xc400_0000 + n),
        ),
        (fid) => {
          const f = PSCI_FUNCTIONS[fid & 0xffff];
          const base = Math.floor(fid / 0x1_0000) * 0x1_0000;
          const expected =
            f !== undefined &&
            ((base === 0x8400_0000 && f.has32) || (base === 0xc400_0000 && f.has64))
              ? f.name
              : undefined;
          expect(psciFunctionName(fid)).toBe(expected);
        },
      ),
    );
  });

  it("still take any 32-bit value: describeFsc reads bits 5:0 of a whole ISS", () => {
    // ISS 0x1810047 (str w1, translation fault L3): DFSC = 0x47 & 0x3f = 7
    expect(describeFsc(0x181_0047)).toBe("Translation fault, level 3");
    expect(psciFunctionName(0xffff_ffff)).toBeUndefined();
    expect(decodeA64LoadStore(0xffff_ffff)).toBeUndefined();
  });
});
