// HPFAR_EL2 (Arm ARM, its register description): NS [63], RES0 [62:48], FIPA [47:4] =
// IPA[55:12], RES0 [3:0]; and the faulting IPA the decoder forms from it, (FIPA << 12) | FAR[11:0].
import { type BitField, field, flag, reserved } from "../../core/layout";
import { fieldAt, hiOf } from "./at";
import { hexNum } from "./common";
import { FaultAddress } from "./positions";

/** HPFAR_EL2.FIPA [47:4]: bits 55:12 of the faulting IPA. */
export const FIPA: BitField = field(
  "FIPA",
  hiOf(FaultAddress.FIPA_HIGH),
  FaultAddress.FIPA_LO,
  (v) => `IPA[55:12] = ${hexNum(v)}`,
);

/** HPFAR_EL2 field by field. */
export const HPFAR_LAYOUT: readonly BitField[] = [
  flag(
    "NS",
    63,
    "Non-secure IPA space (or no FEAT_SEL2)",
    "Faulting IPA is in the Non-secure space (FEAT_SEL2)",
  ),
  reserved(62, 48),
  FIPA,
  reserved(3, 0),
];

/** FAR_EL2[11:0]: the page offset of the faulting address, which HPFAR leaves out. */
export const FAR_PAGE_OFFSET: BitField = fieldAt("PageOffset", FaultAddress.PAGE_OFFSET);

/** The IPA the decoder forms: FIPA from HPFAR_EL2, the page offset from FAR_EL2 (or 0). */
export function ipaLayout(farValid: boolean): readonly BitField[] {
  return [
    field("FIPA", 55, 12, () => "From HPFAR_EL2[47:4]"),
    field("PageOffset", 11, 0, () =>
      farValid ? "Page offset from FAR_EL2[11:0]" : "Taken as 0: FAR is not valid",
    ),
  ];
}
