// ISS layouts of trapped system register and coprocessor accesses: EC 0x18 (MSR/MRS/SYS), EC
// 0x03/0x05/0x08 (MCR/MRC/VMRS), EC 0x04/0x0C (MCRR/MRRC) and EC 0x06 (LDC/STC). Sources: Arm ARM
// D24.2.40 (ESR_EL2 ISS encodings); Linux esr.h `ESR_ELx_SYS64_ISS_*`, `ESR_ELx_CP15_*`; QEMU
// `syn_aa64_sysregtrap`, `syn_cp15_rt_trap`, `syn_cp15_rrt_trap`.

import {
  COND,
  CV,
  type EsrIssLayout,
  field,
  fixedLayout,
  flag,
  hexNum,
  res0,
  X_REG,
  xReg,
} from "./explain-fields";
import { sysRegGenericName, sysRegNameOfFields } from "./sysreg-names";

const OP0_MEANINGS: readonly string[] = [
  "0b00: hint, barrier or PSTATE instruction encoding space",
  "0b01: System instruction (SYS/SYSL: cache, TLB, address translation…)",
  "0b10: Debug or trace system register",
  "0b11: Non-debug system register",
];

/** The SYS64 fields of an ISS, as numbers. */
function sysFields(iss: number) {
  return {
    op0: (iss >>> 20) & 3,
    op2: (iss >>> 17) & 7,
    op1: (iss >>> 14) & 7,
    crn: (iss >>> 10) & 15,
    rt: (iss >>> 5) & 31,
    crm: (iss >>> 1) & 15,
    read: (iss & 1) === 1,
  };
}

/** The register or instruction an EC 0x18 ISS names: its table name, else `S<op0>_<op1>_C<n>_C<m>_<op2>`. */
export function sys64RegisterName(iss: number): string {
  const f = sysFields(iss);
  return (
    sysRegNameOfFields(f.op0, f.op1, f.crn, f.crm, f.op2) ??
    sysRegGenericName(f.op0, f.op1, f.crn, f.crm, f.op2)
  );
}

/** `MRS x0, CNTVCT_EL0`, `MSR ICC_SGI1R_EL1, x2`, `DC CIVAC, x1`, `SYSL x3, #…`. */
function sys64Summary(iss: number): string {
  const f = sysFields(iss);
  const rt = f.rt === 31 ? "xzr" : `x${f.rt}`;
  const known = sysRegNameOfFields(f.op0, f.op1, f.crn, f.crm, f.op2);
  if (f.op0 === 1) {
    if (f.read)
      return `SYSL ${rt}, #${f.op1}, C${f.crn}, C${f.crm}, #${f.op2}${known ? ` (${known})` : ""}`;
    return known === undefined
      ? `SYS #${f.op1}, C${f.crn}, C${f.crm}, #${f.op2}, ${rt}`
      : `${known}, ${rt}`;
  }
  const name = known ?? sysRegGenericName(f.op0, f.op1, f.crn, f.crm, f.op2);
  return f.read ? `MRS ${rt}, ${name}` : `MSR ${name}, ${rt}`;
}

/** EC 0x18: trapped MSR, MRS or System instruction. */
export const SYS64_LAYOUT: EsrIssLayout = fixedLayout(
  [
    res0(24, 22),
    field("Op0", 21, 20, OP0_MEANINGS),
    field("Op2", 19, 17),
    field("Op1", 16, 14),
    field("CRn", 13, 10),
    field("Rt", 9, 5, X_REG),
    field("CRm", 4, 1),
    flag(
      "Direction",
      0,
      "Write: MSR, or a System instruction without a result (SYS)",
      "Read: MRS, or a System instruction with a result (SYSL)",
    ),
  ],
  sys64Summary,
);

const AARCH32_RT = (v: number) =>
  `${xReg(v)} (AArch64 view of the AArch32 register used for the transfer)`;

/** MCR/MRC (EC 0x03 coproc 15, 0x05 coproc 14) and VMRS (EC 0x08) traps. */
export function mcrLayout(coproc: 10 | 14 | 15): EsrIssLayout {
  const summary = (iss: number): string => {
    const read = (iss & 1) === 1;
    const opc2 = (iss >>> 17) & 7;
    const opc1 = (iss >>> 14) & 7;
    const crn = (iss >>> 10) & 15;
    const rt = (iss >>> 5) & 31;
    const crm = (iss >>> 1) & 15;
    if (coproc === 10) return `VMRS of a floating-point ID register (reg ${crn}) into ${xReg(rt)}`;
    return `${read ? "MRC" : "MCR"} p${coproc}, ${opc1}, ${xReg(rt)}, c${crn}, c${crm}, ${opc2}`;
  };
  return fixedLayout(
    [
      CV,
      COND,
      field("Opc2", 19, 17),
      field("Opc1", 16, 14),
      field("CRn", 13, 10),
      field("Rt", 9, 5, AARCH32_RT),
      field("CRm", 4, 1),
      flag(
        "Direction",
        0,
        "Write to the System register (MCR)",
        coproc === 10
          ? "Read from the System register (VMRS)"
          : "Read from the System register (MRC)",
      ),
    ],
    summary,
  );
}

/** MCRR/MRRC traps (EC 0x04 coproc 15, 0x0C coproc 14). */
export function mcrrLayout(coproc: 14 | 15): EsrIssLayout {
  const summary = (iss: number): string => {
    const read = (iss & 1) === 1;
    const opc1 = (iss >>> 16) & 15;
    const rt2 = (iss >>> 10) & 31;
    const rt = (iss >>> 5) & 31;
    const crm = (iss >>> 1) & 15;
    return `${read ? "MRRC" : "MCRR"} p${coproc}, ${opc1}, ${xReg(rt)}, ${xReg(rt2)}, c${crm}`;
  };
  return fixedLayout(
    [
      CV,
      COND,
      field("Opc1", 19, 16),
      res0(15, 15),
      field("Rt2", 14, 10, AARCH32_RT),
      field("Rt", 9, 5, AARCH32_RT),
      field("CRm", 4, 1),
      flag(
        "Direction",
        0,
        "Write to the System register (MCRR)",
        "Read from the System register (MRRC)",
      ),
    ],
    summary,
  );
}

/** EC 0x06: trapped LDC or STC (the debug DTR transfers). */
export const LDC_LAYOUT: EsrIssLayout = fixedLayout(
  [
    CV,
    COND,
    field("imm8", 19, 12, (v) => `Immediate offset ${hexNum(v)} (in words)`),
    res0(11, 10),
    field("Rn", 9, 5, AARCH32_RT),
    flag("Offset", 4, "Subtract the offset", "Add the offset"),
    field("AM", 3, 1, [
      "Immediate unindexed",
      "Immediate post-indexed",
      "Immediate offset",
      "Immediate pre-indexed",
      "Literal (LDC only; reserved for STC)",
      "Reserved",
      "Reserved",
      "Reserved",
    ]),
    flag("Direction", 0, "Write to memory (STC)", "Read from memory (LDC)"),
  ],
  (iss) => `${(iss & 1) === 1 ? "LDC" : "STC"} p14, c5, [${xReg((iss >>> 5) & 31)}]`,
);
