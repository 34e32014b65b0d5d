// A value written to ICC_SGI1R_EL1, ICC_ASGI1R_EL1 or ICC_SGI0R_EL1 (GICv3 architecture
// specification, Arm IHI 0069, the ICC_SGI1R_EL1 description): RES0 [63:56], Aff3 [55:48],
// RS [47:44], RES0 [43:41], IRM [40], Aff2 [39:32], RES0 [31:28], INTID [27:24], Aff1 [23:16],
// TargetList [15:0].
import { type BitField, reserved } from "../../core/layout";
import { fieldAt, flagAt } from "./at";
import { SgiValue } from "./positions";

/** Aff3 [55:48]. */
export const AFF3: BitField = fieldAt("Aff3", SgiValue.AFF3);

/** RS [47:44]: TargetList bit n names the PE with Aff0 = RS·16 + n. */
export const RS: BitField = fieldAt(
  "RS",
  SgiValue.RS,
  (rs) => `Range selector: TargetList bit n is the PE with Aff0 = ${rs * 16} + n`,
);

/** IRM [40]: 1 routes to every PE but self. */
export const IRM: BitField = flagAt(
  "IRM",
  SgiValue.IRM,
  "Route to the PEs in TargetList",
  "Route to all PEs except self",
);

/** Aff2 [39:32]. */
export const AFF2: BitField = fieldAt("Aff2", SgiValue.AFF2);

/** INTID [27:24]: the SGI number. */
export const SGI_INTID: BitField = fieldAt("INTID", SgiValue.INTID, (id) => `SGI ${id}`);

/** Aff1 [23:16]. */
export const AFF1: BitField = fieldAt("Aff1", SgiValue.AFF1);

/** TargetList [15:0]: one bit per Aff0 in the range RS selects. */
export const TARGET_LIST: BitField = fieldAt("TargetList", SgiValue.TARGET_LIST);

/** The SGI register value, field by field. */
export const SGI_VALUE: readonly BitField[] = [
  reserved(63, 56),
  AFF3,
  RS,
  reserved(43, 41),
  IRM,
  AFF2,
  reserved(31, 28),
  SGI_INTID,
  AFF1,
  TARGET_LIST,
];
