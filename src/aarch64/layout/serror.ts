// EC 0x2F, SError (Arm ARM D24.2.40, "ISS encoding for an SError exception"): IDS [24] says
// whether the rest is IMPLEMENTATION DEFINED; else the RAS layout with AET [12:10], EA [9] and
// DFSC [5:0], plus ELS/WU/VFV/PFV/IESB/WnRV/WnR for an asynchronous SError (DFSC 0x11).
import { type BitField, bits, field, flag, type Halves, isSet, reserved } from "../../core/layout";
import { fieldAt, flagAt } from "./at";
import { hexNum, type IssLayout } from "./common";
import { SErrorIss } from "./positions";

/** IDS [24]: the syndrome is IMPLEMENTATION DEFINED. */
export const IDS: BitField = flagAt(
  "IDS",
  SErrorIss.IDS,
  "Architected syndrome (RAS extension layout)",
  "IMPLEMENTATION DEFINED syndrome",
);

/** AET [12:10]: the asynchronous error type (when IDS = 0). */
export const AET: BitField = fieldAt("AET", SErrorIss.AET, [
  "Uncontainable (UC)",
  "Unrecoverable state (UEU)",
  "Restartable state (UEO)",
  "Recoverable state (UER)",
  "Reserved",
  "Reserved",
  "Corrected (CE)",
  "Reserved",
]);

/** EA [9]: external abort type. */
export const SERROR_EA: BitField = flagAt(
  "EA",
  SErrorIss.EA,
  "External abort type 0",
  "External abort type 1",
);

/** DFSC [5:0]: 0 uncategorized, 0x11 asynchronous SError. */
export const SERROR_DFSC: BitField = fieldAt("DFSC", SErrorIss.DFSC, (v) =>
  v === 0
    ? "Uncategorized error"
    : v === 0x11
      ? "Asynchronous SError interrupt"
      : `Reserved SError DFSC ${hexNum(v)}`,
);

const WNRV = flag("WnRV", 7, "WnR is not valid", "WnR is valid");

const ASYNC_FIELDS: readonly BitField[] = [
  IDS,
  reserved(23, 19),
  flag(
    "ELS",
    18,
    "Asynchronous: ELR_ELx does not say what triggered the error",
    "Synchronous: the instruction at ELR_ELx triggered the error",
  ),
  field("WU", 17, 16, [
    "Not a store, or the location might have been updated",
    "Reserved",
    "Store that did not update the location",
    "Store that updated the location",
  ]),
  flag("VFV", 15, "FAR_ELx is not valid", "FAR_ELx holds a virtual address of the error"),
  flag("PFV", 14, "PFAR_ELx is not valid", "PFAR_ELx holds a physical address of the error"),
  flag(
    "IESB",
    13,
    "Not synchronized by an implicit error synchronization event",
    "Synchronized by an implicit error synchronization event and taken immediately",
  ),
  AET,
  SERROR_EA,
  reserved(8, 8),
  WNRV,
  field("WnR", 6, 6, (v, reg) =>
    !isSet(WNRV, reg.lo)
      ? "Not valid (WnRV is 0)"
      : v === 1
        ? "Error on a write"
        : "Error on a read",
  ),
  SERROR_DFSC,
];

const IMPDEF_FIELDS: readonly BitField[] = [IDS, field("IMPDEF", 23, 0)];
const OTHER_FIELDS: readonly BitField[] = [
  IDS,
  reserved(23, 13),
  AET,
  SERROR_EA,
  reserved(8, 6),
  SERROR_DFSC,
];

function serrorFields(reg: Halves): readonly BitField[] {
  if (isSet(IDS, reg.lo)) return IMPDEF_FIELDS;
  return bits(SERROR_DFSC, reg.lo) === 0x11 ? ASYNC_FIELDS : OTHER_FIELDS;
}

/** EC 0x2F: SError; IDS = 1 means an IMPLEMENTATION DEFINED syndrome. */
export const SERROR_ISS: IssLayout = { fields: serrorFields };
