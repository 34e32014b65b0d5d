// A value written to ICC_SGI1R_EL1, ICC_ASGI1R_EL1 or ICC_SGI0R_EL1 (GICv3 architecture
// specification, Arm IHI 0069, the ICC_SGI1R_EL1 description): RES0 [63:56], Aff3 [55:48],
// RS [47:44], RES0 [43:41], IRM [40], Aff2 [39:32], RES0 [31:28], INTID [27:24], Aff1 [23:16],
// TargetList [15:0].
import { type BitField, field, flag, reserved } from "../../core/layout";

/** Aff3 [55:48]. */
export const AFF3: BitField = field("Aff3", 55, 48);

/** RS [47:44]: TargetList bit n names the PE with Aff0 = RS·16 + n. */
export const RS: BitField = field(
  "RS",
  47,
  44,
  (rs) => `Range selector: TargetList bit n is the PE with Aff0 = ${rs * 16} + n`,
);

/** IRM [40]: 1 routes to every PE but self. */
export const IRM: BitField = flag(
  "IRM",
  40,
  "Route to the PEs in TargetList",
  "Route to all PEs except self",
);

/** Aff2 [39:32]. */
export const AFF2: BitField = field("Aff2", 39, 32);

/** INTID [27:24]: the SGI number. */
export const SGI_INTID: BitField = field("INTID", 27, 24, (id) => `SGI ${id}`);

/** Aff1 [23:16]. */
export const AFF1: BitField = field("Aff1", 23, 16);

/** TargetList [15:0]: one bit per Aff0 in the range RS selects. */
export const TARGET_LIST: BitField = field("TargetList", 15, 0);

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
