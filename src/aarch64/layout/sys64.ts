// EC 0x18, a trapped MSR, MRS or System instruction (Arm ARM D24.2.40, "ISS encoding for an
// exception from MSR, MRS, or System instruction execution in AArch64 state"): RES0 [24:22],
// Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Direction [0].
// `ISS & 0x3FFC1E` (Rt and Direction cleared) is the `SysRegAddr`.
import { type BitField, reserved } from "../../core/layout";
import { fieldAt, flagAt } from "./at";
import { X_REG } from "./common";
import { Sys64Iss } from "./positions";

/** Op0 [21:20]. */
export const OP0: BitField = fieldAt("Op0", Sys64Iss.OP0, [
  "0b00: hint, barrier or PSTATE instruction encoding space",
  "0b01: System instruction (SYS/SYSL: cache, TLB, address translation…)",
  "0b10: Debug or trace system register",
  "0b11: Non-debug system register",
]);

/** Op2 [19:17]. */
export const OP2: BitField = fieldAt("Op2", Sys64Iss.OP2);

/** Op1 [16:14]. */
export const OP1: BitField = fieldAt("Op1", Sys64Iss.OP1);

/** CRn [13:10]. */
export const CRN: BitField = fieldAt("CRn", Sys64Iss.CRN);

/** Rt [9:5]: the transfer register (31 = XZR). */
export const RT: BitField = fieldAt("Rt", Sys64Iss.RT, X_REG);

/** CRm [4:1]. */
export const CRM: BitField = fieldAt("CRm", Sys64Iss.CRM);

/** Direction [0]: 1 read (MRS, SYSL), 0 write (MSR, SYS). */
export const DIRECTION: BitField = flagAt(
  "Direction",
  Sys64Iss.DIRECTION,
  "Write: MSR, or a System instruction without a result (SYS)",
  "Read: MRS, or a System instruction with a result (SYSL)",
);

/** The SYS64 ISS fields in bit order, high to low. */
export const SYS64_FIELDS: readonly BitField[] = [
  reserved(24, 22),
  OP0,
  OP2,
  OP1,
  CRN,
  RT,
  CRM,
  DIRECTION,
];

/** The bits of a SYS64 ISS that make its `SysRegAddr`: Op0, Op2, Op1, CRn and CRm. */
export const SYS_REG_ADDR_MASK = 0x3f_fc1e;
