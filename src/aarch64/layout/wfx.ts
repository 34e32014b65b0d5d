// EC 0x01, a trapped WFI, WFE, WFIT or WFET (Arm ARM D24.2.40, "ISS encoding for an exception from
// a WF* instruction"): CV/COND (AArch32), RN [9:5] the WFxT timeout register, RV [2], TI [1:0].
import { type BitField, reserved } from "../../core/layout";
import { bitsAt, fieldAt, flagAt } from "./at";
import { COND, CV, type IssLayout, issLayout, xReg } from "./common";
import { WfxIss } from "./positions";

/** The instruction TI names, indexed by TI. */
export const WFX_MNEMONICS = ["WFI", "WFE", "WFIT", "WFET"] as const;

/** TI [1:0]: which instruction trapped. */
export const TI: BitField = fieldAt("TI", WfxIss.TI, [
  "WFI trapped",
  "WFE trapped",
  "WFIT trapped",
  "WFET trapped",
]);

/** RV [2]: RN is valid (WFIT, WFET). */
export const RV: BitField = flagAt(
  "RV",
  WfxIss.RV,
  "RN is not valid",
  "RN is valid (WFIT or WFET)",
);

/** RN [9:5]: the register holding the WFIT/WFET timeout. */
export const RN: BitField = fieldAt(
  "RN",
  WfxIss.RN,
  (v) => `${xReg(v)}: register holding the WFIT/WFET timeout (when RV is 1)`,
);

/** EC 0x01: trapped WFI, WFE, WFIT or WFET. */
export const WFX_ISS: IssLayout = issLayout(
  [CV, COND, reserved(19, 10), RN, reserved(4, 3), RV, TI],
  (iss) => WFX_MNEMONICS[bitsAt(WfxIss.TI, iss)],
);
