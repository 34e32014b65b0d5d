import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VmExitError } from "../../core/error";
import {
  AARCH64_SYS_REGS,
  aarch64SysRegName,
  sysRegGenericName,
  sysRegNameOfFields,
} from "./sysreg-names";

/** The SYS64 ISS address of an encoding: `op0<<20 | op2<<17 | op1<<14 | CRn<<10 | CRm<<1` (Arm ARM, ISS for EC 0x18). */
function issAddr(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (crm << 1);
}

// [name, op0, op1, CRn, CRm, op2], each from the register's "Accessing" section of the Arm ARM (DDI 0487).
const CASES: readonly (readonly [string, number, number, number, number, number])[] = [
  // ID registers: op0 0b11, op1 0b000, CRn 0b0000.
  ["MIDR_EL1", 3, 0, 0, 0, 0],
  ["MPIDR_EL1", 3, 0, 0, 0, 5],
  ["REVIDR_EL1", 3, 0, 0, 0, 6],
  ["ID_PFR0_EL1", 3, 0, 0, 1, 0],
  ["ID_DFR0_EL1", 3, 0, 0, 1, 2],
  ["ID_MMFR0_EL1", 3, 0, 0, 1, 4],
  ["ID_ISAR0_EL1", 3, 0, 0, 2, 0],
  ["ID_ISAR6_EL1", 3, 0, 0, 2, 7],
  ["MVFR0_EL1", 3, 0, 0, 3, 0],
  ["ID_PFR2_EL1", 3, 0, 0, 3, 4],
  ["ID_AA64PFR0_EL1", 3, 0, 0, 4, 0],
  ["ID_AA64PFR1_EL1", 3, 0, 0, 4, 1],
  ["ID_AA64ZFR0_EL1", 3, 0, 0, 4, 4],
  ["ID_AA64SMFR0_EL1", 3, 0, 0, 4, 5],
  ["ID_AA64DFR0_EL1", 3, 0, 0, 5, 0],
  ["ID_AA64DFR1_EL1", 3, 0, 0, 5, 1],
  ["ID_AA64ISAR0_EL1", 3, 0, 0, 6, 0],
  ["ID_AA64ISAR1_EL1", 3, 0, 0, 6, 1],
  ["ID_AA64ISAR2_EL1", 3, 0, 0, 6, 2],
  ["ID_AA64MMFR0_EL1", 3, 0, 0, 7, 0],
  ["ID_AA64MMFR1_EL1", 3, 0, 0, 7, 1],
  ["ID_AA64MMFR2_EL1", 3, 0, 0, 7, 2],
  ["ID_AA64MMFR3_EL1", 3, 0, 0, 7, 3],
  // Cache identification: CCSIDR/CLIDR op1 0b001, CSSELR op1 0b010, CTR/DCZID op1 0b011.
  ["CCSIDR_EL1", 3, 1, 0, 0, 0],
  ["CLIDR_EL1", 3, 1, 0, 0, 1],
  ["CSSELR_EL1", 3, 2, 0, 0, 0],
  ["CTR_EL0", 3, 3, 0, 0, 1],
  ["DCZID_EL0", 3, 3, 0, 0, 7],
  // Generic timer: op0 0b11, op1 0b011, CRn 0b1110.
  ["CNTFRQ_EL0", 3, 3, 14, 0, 0],
  ["CNTPCT_EL0", 3, 3, 14, 0, 1],
  ["CNTVCT_EL0", 3, 3, 14, 0, 2],
  ["CNTP_TVAL_EL0", 3, 3, 14, 2, 0],
  ["CNTP_CTL_EL0", 3, 3, 14, 2, 1],
  ["CNTP_CVAL_EL0", 3, 3, 14, 2, 2],
  ["CNTV_TVAL_EL0", 3, 3, 14, 3, 0],
  ["CNTV_CTL_EL0", 3, 3, 14, 3, 1],
  ["CNTV_CVAL_EL0", 3, 3, 14, 3, 2],
  ["CNTKCTL_EL1", 3, 0, 14, 1, 0],
  ["CNTHCTL_EL2", 3, 4, 14, 1, 0],
  // GICv3 CPU interface: op0 0b11, op1 0b000, CRn 0b1100 (PMR: CRn 0b0100, CRm 0b0110).
  ["ICC_PMR_EL1", 3, 0, 4, 6, 0],
  ["ICC_IAR0_EL1", 3, 0, 12, 8, 0],
  ["ICC_EOIR0_EL1", 3, 0, 12, 8, 1],
  ["ICC_HPPIR0_EL1", 3, 0, 12, 8, 2],
  ["ICC_BPR0_EL1", 3, 0, 12, 8, 3],
  ["ICC_AP0R0_EL1", 3, 0, 12, 8, 4],
  ["ICC_AP0R3_EL1", 3, 0, 12, 8, 7],
  ["ICC_AP1R0_EL1", 3, 0, 12, 9, 0],
  ["ICC_AP1R3_EL1", 3, 0, 12, 9, 3],
  ["ICC_DIR_EL1", 3, 0, 12, 11, 1],
  ["ICC_RPR_EL1", 3, 0, 12, 11, 3],
  ["ICC_SGI1R_EL1", 3, 0, 12, 11, 5],
  ["ICC_ASGI1R_EL1", 3, 0, 12, 11, 6],
  ["ICC_SGI0R_EL1", 3, 0, 12, 11, 7],
  ["ICC_IAR1_EL1", 3, 0, 12, 12, 0],
  ["ICC_EOIR1_EL1", 3, 0, 12, 12, 1],
  ["ICC_HPPIR1_EL1", 3, 0, 12, 12, 2],
  ["ICC_BPR1_EL1", 3, 0, 12, 12, 3],
  ["ICC_CTLR_EL1", 3, 0, 12, 12, 4],
  ["ICC_SRE_EL1", 3, 0, 12, 12, 5],
  ["ICC_IGRPEN0_EL1", 3, 0, 12, 12, 6],
  ["ICC_IGRPEN1_EL1", 3, 0, 12, 12, 7],
  // Debug: op0 0b10. DBG{B,W}{V,C}R<n>: CRn 0, CRm = n, op2 4/5/6/7.
  ["MDSCR_EL1", 2, 0, 0, 2, 2],
  ["MDCCSR_EL0", 2, 3, 0, 1, 0],
  ["OSLAR_EL1", 2, 0, 1, 0, 4],
  ["OSLSR_EL1", 2, 0, 1, 1, 4],
  ["OSDLR_EL1", 2, 0, 1, 3, 4],
  ["DBGPRCR_EL1", 2, 0, 1, 4, 4],
  ["DBGCLAIMSET_EL1", 2, 0, 7, 8, 6],
  ["DBGCLAIMCLR_EL1", 2, 0, 7, 9, 6],
  ["DBGAUTHSTATUS_EL1", 2, 0, 7, 14, 6],
  ["MDRAR_EL1", 2, 0, 1, 0, 0],
  ["DBGBVR0_EL1", 2, 0, 0, 0, 4],
  ["DBGBCR5_EL1", 2, 0, 0, 5, 5],
  ["DBGWVR15_EL1", 2, 0, 0, 15, 6],
  ["DBGWCR7_EL1", 2, 0, 0, 7, 7],
  // PMU: op0 0b11, op1 0b011, CRn 0b1001 (and CRn 0b1110 for the event counters).
  ["PMCR_EL0", 3, 3, 9, 12, 0],
  ["PMCNTENSET_EL0", 3, 3, 9, 12, 1],
  ["PMCNTENCLR_EL0", 3, 3, 9, 12, 2],
  ["PMOVSCLR_EL0", 3, 3, 9, 12, 3],
  ["PMSWINC_EL0", 3, 3, 9, 12, 4],
  ["PMSELR_EL0", 3, 3, 9, 12, 5],
  ["PMCEID0_EL0", 3, 3, 9, 12, 6],
  ["PMCEID1_EL0", 3, 3, 9, 12, 7],
  ["PMCCNTR_EL0", 3, 3, 9, 13, 0],
  ["PMXEVTYPER_EL0", 3, 3, 9, 13, 1],
  ["PMXEVCNTR_EL0", 3, 3, 9, 13, 2],
  ["PMUSERENR_EL0", 3, 3, 9, 14, 0],
  ["PMOVSSET_EL0", 3, 3, 9, 14, 3],
  ["PMINTENSET_EL1", 3, 0, 9, 14, 1],
  ["PMINTENCLR_EL1", 3, 0, 9, 14, 2],
  // PMEVCNTR<n>: CRm = 0b10:n[4:3], op2 = n[2:0]; n = 0 → (8, 0), n = 13 = 0b01101 → (9, 5),
  // n = 30 = 0b11110 → (11, 6). PMEVTYPER<n>: CRm = 0b11:n[4:3]; n = 30 → (15, 6).
  ["PMEVCNTR0_EL0", 3, 3, 14, 8, 0],
  ["PMEVCNTR13_EL0", 3, 3, 14, 9, 5],
  ["PMEVCNTR30_EL0", 3, 3, 14, 11, 6],
  ["PMEVTYPER0_EL0", 3, 3, 14, 12, 0],
  ["PMEVTYPER30_EL0", 3, 3, 14, 15, 6],
  ["PMCCFILTR_EL0", 3, 3, 14, 15, 7],
  // EL1 system control.
  ["SCTLR_EL1", 3, 0, 1, 0, 0],
  ["ACTLR_EL1", 3, 0, 1, 0, 1],
  ["CPACR_EL1", 3, 0, 1, 0, 2],
  ["TTBR0_EL1", 3, 0, 2, 0, 0],
  ["TTBR1_EL1", 3, 0, 2, 0, 1],
  ["TCR_EL1", 3, 0, 2, 0, 2],
  ["SPSR_EL1", 3, 0, 4, 0, 0],
  ["ELR_EL1", 3, 0, 4, 0, 1],
  ["SP_EL0", 3, 0, 4, 1, 0],
  ["AFSR0_EL1", 3, 0, 5, 1, 0],
  ["AFSR1_EL1", 3, 0, 5, 1, 1],
  ["ESR_EL1", 3, 0, 5, 2, 0],
  ["FAR_EL1", 3, 0, 6, 0, 0],
  ["PAR_EL1", 3, 0, 7, 4, 0],
  ["MAIR_EL1", 3, 0, 10, 2, 0],
  ["AMAIR_EL1", 3, 0, 10, 3, 0],
  ["LORSA_EL1", 3, 0, 10, 4, 0],
  ["LOREA_EL1", 3, 0, 10, 4, 1],
  ["LORN_EL1", 3, 0, 10, 4, 2],
  ["LORC_EL1", 3, 0, 10, 4, 3],
  ["LORID_EL1", 3, 0, 10, 4, 7],
  ["VBAR_EL1", 3, 0, 12, 0, 0],
  ["CONTEXTIDR_EL1", 3, 0, 13, 0, 1],
  ["TPIDR_EL1", 3, 0, 13, 0, 4],
  ["TPIDR_EL0", 3, 3, 13, 0, 2],
  ["TPIDRRO_EL0", 3, 3, 13, 0, 3],
  // EL2 and the E2H aliases (op1 0b100 / 0b101).
  ["HCR_EL2", 3, 4, 1, 1, 0],
  ["VTTBR_EL2", 3, 4, 2, 1, 0],
  ["HPFAR_EL2", 3, 4, 6, 0, 4],
  ["ICH_LR15_EL2", 3, 4, 12, 13, 7],
  ["SCTLR_EL12", 3, 5, 1, 0, 0],
  ["CNTV_CTL_EL02", 3, 5, 14, 3, 1],
  // System instructions: op0 0b01.
  ["DC CIVAC", 1, 3, 7, 14, 1],
  ["DC ZVA", 1, 3, 7, 4, 1],
  ["IC IVAU", 1, 3, 7, 5, 1],
  ["DC ISW", 1, 0, 7, 6, 2],
  ["AT S1E1R", 1, 0, 7, 8, 0],
  ["TLBI VMALLE1IS", 1, 0, 8, 3, 0],
];

describe("sysRegNameOfFields", () => {
  it.each(CASES)("%s = (%i, %i, %i, %i, %i)", (name, op0, op1, crn, crm, op2) => {
    expect(sysRegNameOfFields(op0, op1, crn, crm, op2)).toBe(name);
  });

  it("names unlisted encodings undefined", () => {
    // (3, 0, 0, 0, 1) is unallocated in the ID space; (0, 0, 0, 0, 0) is not a register.
    expect(sysRegNameOfFields(3, 0, 0, 0, 1)).toBeUndefined();
    expect(sysRegNameOfFields(0, 0, 0, 0, 0)).toBeUndefined();
    expect(sysRegNameOfFields(3, 7, 15, 15, 7)).toBeUndefined();
  });

  it("shares one name between DBGDTRRX_EL0 and DBGDTRTX_EL0 (one encoding, 2,3,0,5,0)", () => {
    expect(sysRegNameOfFields(2, 3, 0, 5, 0)).toBe("DBGDTRRX_EL0/DBGDTRTX_EL0");
  });
});

describe("aarch64SysRegName", () => {
  it("reads CNTPCT_EL0 from its SysRegAddr 0x32F800", () => {
    // op0 3<<20 = 0x300000 | op2 1<<17 = 0x20000 | op1 3<<14 = 0xC000 | CRn 14<<10 = 0x3800 | CRm 0.
    expect(issAddr(3, 3, 14, 0, 1)).toBe(0x32f800);
    expect(aarch64SysRegName(0x32f800)).toBe("CNTPCT_EL0");
  });

  it("reads the register of `mrs x0, CNTVCT_EL0` (ESR 0x6234F801)", () => {
    // ISS = 0x34F801: Op0 3, Op2 2, Op1 3, CRn 14, Rt 0, CRm 0, Direction 1 (read); Rt and
    // Direction do not take part in the name.
    expect(aarch64SysRegName(0x6234f801 & 0x1ff_ffff)).toBe("CNTVCT_EL0");
  });

  it("reads the register of `msr ICC_SGI1R_EL1, x2` (ESR 0x623A3056)", () => {
    // ISS = 0x3A3056: Op0 3, Op2 5, Op1 0, CRn 12, Rt 2, CRm 11, Direction 0 (write).
    expect(aarch64SysRegName(0x3a3056)).toBe("ICC_SGI1R_EL1");
  });

  it("rejects an ISS wider than 25 bits, negative or fractional", () => {
    expect(() => aarch64SysRegName(0x200_0000)).toThrow(VmExitError);
    expect(() => aarch64SysRegName(-1)).toThrow(VmExitError);
    expect(() => aarch64SysRegName(0.5)).toThrow(VmExitError);
  });
});

describe("sysRegGenericName", () => {
  it("spells S<op0>_<op1>_C<n>_C<m>_<op2>", () => {
    expect(sysRegGenericName(3, 3, 14, 0, 2)).toBe("S3_3_C14_C0_2");
  });
});

describe("AARCH64_SYS_REGS", () => {
  it("has in-range fields and no two entries with one encoding", () => {
    const seen = new Map<number, string>();
    for (const r of AARCH64_SYS_REGS) {
      expect(r.op0).toBeGreaterThanOrEqual(0);
      expect(r.op0).toBeLessThanOrEqual(3);
      expect(r.op1).toBeLessThanOrEqual(7);
      expect(r.crn).toBeLessThanOrEqual(15);
      expect(r.crm).toBeLessThanOrEqual(15);
      expect(r.op2).toBeLessThanOrEqual(7);
      const key = issAddr(r.op0, r.op1, r.crn, r.crm, r.op2);
      expect(seen.get(key), `${r.name} collides`).toBeUndefined();
      seen.set(key, r.name);
    }
  });

  it("has no two entries with one name", () => {
    const names = AARCH64_SYS_REGS.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("covers the 16 breakpoint/watchpoint pairs and the 31 PMU event counters", () => {
    const names = new Set(AARCH64_SYS_REGS.map((r) => r.name));
    for (let n = 0; n < 16; n++) {
      for (const k of ["DBGBVR", "DBGBCR", "DBGWVR", "DBGWCR"])
        expect(names.has(`${k}${n}_EL1`)).toBe(true);
    }
    for (let n = 0; n < 31; n++) {
      expect(names.has(`PMEVCNTR${n}_EL0`)).toBe(true);
      expect(names.has(`PMEVTYPER${n}_EL0`)).toBe(true);
    }
    expect(names.has("PMEVCNTR31_EL0")).toBe(false);
  });

  it("agrees with sysRegNameOfFields and aarch64SysRegName for every entry", () => {
    for (const r of AARCH64_SYS_REGS) {
      expect(sysRegNameOfFields(r.op0, r.op1, r.crn, r.crm, r.op2)).toBe(r.name);
      expect(aarch64SysRegName(issAddr(r.op0, r.op1, r.crn, r.crm, r.op2))).toBe(r.name);
    }
  });

  it("names no encoding outside the table (any op0, op1, CRn, CRm, op2)", () => {
    const known = new Set(AARCH64_SYS_REGS.map((r) => issAddr(r.op0, r.op1, r.crn, r.crm, r.op2)));
    const field = (bits: number) => fc.nat({ max: (1 << bits) - 1 });
    fc.assert(
      fc.property(field(2), field(3), field(4), field(4), field(3), (op0, op1, crn, crm, op2) => {
        const name = sysRegNameOfFields(op0, op1, crn, crm, op2);
        if (known.has(issAddr(op0, op1, crn, crm, op2))) expect(name).toBeTypeOf("string");
        else expect(name).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it("ignores Rt and Direction in the ISS", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...AARCH64_SYS_REGS),
        fc.integer({ min: 0, max: 31 }),
        fc.boolean(),
        (r, rt, read) => {
          const iss = issAddr(r.op0, r.op1, r.crn, r.crm, r.op2) | (rt << 5) | (read ? 1 : 0);
          expect(aarch64SysRegName(iss)).toBe(r.name);
        },
      ),
    );
  });
});
