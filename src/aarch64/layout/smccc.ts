// The SMCCC function identifier in W0 of an HVC or SMC (Arm DEN0028, SMC Calling Convention §2.5):
// CallType [31], Convention [30], OEN [29:24], MBZ [23:17], SVE hint [16], function number [15:0].
import { type BitField, field, flag } from "../../core/layout";
import { SMCCC_OWNER_NAMES } from "../tables/psci";
import { fieldAt, flagAt } from "./at";
import { SmcccFid } from "./positions";

/** Bit 31: fast (1) or yielding (0) call. */
export const CALL_TYPE: BitField = flagAt(
  "CallType",
  SmcccFid.CALL_TYPE,
  "Yielding (standard) call",
  "Fast call",
);

/** Bit 30: the SMC64/HVC64 (1) or SMC32/HVC32 (0) calling convention. */
export const CONVENTION: BitField = flagAt(
  "Convention",
  SmcccFid.CONVENTION,
  "SMC32/HVC32 calling convention",
  "SMC64/HVC64 calling convention",
);

/** Bits 29:24: the owning entity number. */
export const OEN: BitField = fieldAt(
  "OEN",
  SmcccFid.OEN,
  (v) => `Owning entity ${v}: ${SMCCC_OWNER_NAMES[v]}`,
);

/** Bits 15:0: the function number within the owner's range. */
export const FUNCTION_NUMBER: BitField = fieldAt("FunctionNumber", SmcccFid.FUNCTION_NUMBER);

/** W0 of an SMCCC call, field by field. */
export const SMCCC_FUNCTION_ID: readonly BitField[] = [
  CALL_TYPE,
  CONVENTION,
  OEN,
  field("MBZ", 23, 17, (v) =>
    v === 0 ? "Must be zero" : "Must be zero, but set (legacy firmware)",
  ),
  flag("SVEHint", 16, "SVE live state may be present", "No live SVE state (SMCCC 1.3 hint)"),
  FUNCTION_NUMBER,
];
