// ISS layouts of trapped system register and coprocessor accesses: EC 0x18 (MSR/MRS/SYS), EC
// 0x03/0x05/0x08 (MCR/MRC/VMRS), EC 0x04/0x0C (MCRR/MRRC) and EC 0x06 (LDC/STC). Sources: Arm ARM
// D24.2.40 (ESR_EL2 ISS encodings); Linux esr.h `ESR_ELx_SYS64_ISS_*`, `ESR_ELx_CP15_*`; QEMU
// `syn_aa64_sysregtrap`, `syn_cp15_rt_trap`, `syn_cp15_rrt_trap`.

import { bits, field, flag, isSet, reserved } from "../../core/layout";
import { sysRegGenericName, sysRegNameOfFields } from "../tables/sysreg-names";
import { COND, CV, hexNum, type IssLayout, issLayout, xReg } from "./common";
import { CRM, CRN, DIRECTION, OP0, OP1, OP2, RT, SYS64_FIELDS } from "./sys64";

/** The register or instruction an EC 0x18 ISS names: its table name, else `S<op0>_<op1>_C<n>_C<m>_<op2>`. */
export function sys64RegisterName(iss: number): string {
  const [op0, op1, crn, crm, op2] = encodingOf(iss);
  return sysRegNameOfFields(op0, op1, crn, crm, op2) ?? sysRegGenericName(op0, op1, crn, crm, op2);
}

function encodingOf(
  iss: number,
): [op0: number, op1: number, crn: number, crm: number, op2: number] {
  return [bits(OP0, iss), bits(OP1, iss), bits(CRN, iss), bits(CRM, iss), bits(OP2, iss)];
}

/** `MRS x0, CNTVCT_EL0`, `MSR ICC_SGI1R_EL1, x2`, `DC CIVAC, x1`, `SYSL x3, #…`. */
function sys64Summary(iss: number): string {
  const [op0, op1, crn, crm, op2] = encodingOf(iss);
  const n = bits(RT, iss);
  const rt = n === 31 ? "xzr" : `x${n}`;
  const read = isSet(DIRECTION, iss);
  const known = sysRegNameOfFields(op0, op1, crn, crm, op2);
  if (op0 === 1) {
    if (read) return `SYSL ${rt}, #${op1}, C${crn}, C${crm}, #${op2}${known ? ` (${known})` : ""}`;
    return known === undefined
      ? `SYS #${op1}, C${crn}, C${crm}, #${op2}, ${rt}`
      : `${known}, ${rt}`;
  }
  const name = known ?? sysRegGenericName(op0, op1, crn, crm, op2);
  return read ? `MRS ${rt}, ${name}` : `MSR ${name}, ${rt}`;
}

/** EC 0x18: trapped MSR, MRS or System instruction. */
export const SYS64_ISS: IssLayout = issLayout(SYS64_FIELDS, sys64Summary);

const AARCH32_RT = (v: number) =>
  `${xReg(v)} (AArch64 view of the AArch32 register used for the transfer)`;

// The AArch32 transfer fields: the same bits in MCR/MRC, MCRR/MRRC and LDC/STC traps.
const CP_RT = field("Rt", 9, 5, AARCH32_RT);
const CP_CRM = field("CRm", 4, 1);
const CP_OPC2 = field("Opc2", 19, 17);
const CP_OPC1 = field("Opc1", 16, 14);
const CP_CRN = field("CRn", 13, 10);
const CP_READ = field("Direction", 0, 0);
const MCRR_OPC1 = field("Opc1", 19, 16);
const MCRR_RT2 = field("Rt2", 14, 10, AARCH32_RT);
const LDC_RN = field("Rn", 9, 5, AARCH32_RT);

function direction(write: string, read: string) {
  return flag("Direction", 0, write, read);
}

/** MCR/MRC (EC 0x03 coproc 15, 0x05 coproc 14) and VMRS (EC 0x08) traps. */
export function mcrLayout(coproc: 10 | 14 | 15): IssLayout {
  const summary = (iss: number): string => {
    const rt = xReg(bits(CP_RT, iss));
    const crn = bits(CP_CRN, iss);
    if (coproc === 10) return `VMRS of a floating-point ID register (reg ${crn}) into ${rt}`;
    const op = isSet(CP_READ, iss) ? "MRC" : "MCR";
    return `${op} p${coproc}, ${bits(CP_OPC1, iss)}, ${rt}, c${crn}, c${bits(CP_CRM, iss)}, ${bits(CP_OPC2, iss)}`;
  };
  const read = coproc === 10 ? "VMRS" : "MRC";
  return issLayout(
    [
      CV,
      COND,
      CP_OPC2,
      CP_OPC1,
      CP_CRN,
      CP_RT,
      CP_CRM,
      direction("Write to the System register (MCR)", `Read from the System register (${read})`),
    ],
    summary,
  );
}

/** MCRR/MRRC traps (EC 0x04 coproc 15, 0x0C coproc 14). */
export function mcrrLayout(coproc: 14 | 15): IssLayout {
  const summary = (iss: number): string => {
    const op = isSet(CP_READ, iss) ? "MRRC" : "MCRR";
    const rt = xReg(bits(CP_RT, iss));
    const rt2 = xReg(bits(MCRR_RT2, iss));
    return `${op} p${coproc}, ${bits(MCRR_OPC1, iss)}, ${rt}, ${rt2}, c${bits(CP_CRM, iss)}`;
  };
  return issLayout(
    [
      CV,
      COND,
      MCRR_OPC1,
      reserved(15, 15),
      MCRR_RT2,
      CP_RT,
      CP_CRM,
      direction("Write to the System register (MCRR)", "Read from the System register (MRRC)"),
    ],
    summary,
  );
}

/** EC 0x06: trapped LDC or STC (the debug DTR transfers). */
export const LDC_LAYOUT: IssLayout = issLayout(
  [
    CV,
    COND,
    field("imm8", 19, 12, (v) => `Immediate offset ${hexNum(v)} (in words)`),
    reserved(11, 10),
    LDC_RN,
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
    direction("Write to memory (STC)", "Read from memory (LDC)"),
  ],
  (iss) => `${isSet(CP_READ, iss) ? "LDC" : "STC"} p14, c5, [${xReg(bits(LDC_RN, iss))}]`,
);
