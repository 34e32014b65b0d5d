import { describe, expect, it } from "vitest";
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
