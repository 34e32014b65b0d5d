// VM-exit interruption information (VMCS 0x4404) and IDT-vectoring information (0x4408): one
// layout, read by the decoder and the explainer.
import { bitsAt, fieldAt, flagAt, isSetAt } from "../../core/at";
import { type BitField, reserved } from "../../core/layout";
import { keepFrozen, sharedTable } from "../../core/memo";
import { X86_EXCEPTION_NAMES } from "../exceptions";
import { Interruption } from "./positions";

/** The interruption type of VM-exit interruption / IDT-vectoring information (bits 10:8). */
export type VmxInterruptionType =
  | "external-interrupt"
  | "reserved"
  | "nmi"
  | "hardware-exception"
  | "software-interrupt"
  | "privileged-software-exception"
  | "software-exception"
  | "other-event";

/** Interruption type names indexed by bits 10:8 (Linux `INTR_TYPE_*`). */
export const VMX_INTERRUPTION_TYPES: readonly VmxInterruptionType[] = [
  "external-interrupt",
  "reserved",
  "nmi",
  "hardware-exception",
  "software-interrupt",
  "privileged-software-exception",
  "software-exception",
  "other-event",
];

/** Interruption type 0: an external interrupt. */
export const INTR_TYPE_EXTERNAL_INTERRUPT = 0;
/** Interruption type 3: a hardware exception (#PF, #GP, …). */
export const INTR_TYPE_HARDWARE_EXCEPTION = 3;
/** Interruption type 5: a privileged software exception (INT1 / ICEBP). */
export const INTR_TYPE_PRIVILEGED_SOFTWARE_EXCEPTION = 5;

/** Bits 7:0: the vector. */
export const INTR_VECTOR: BitField = fieldAt("Vector", Interruption.VECTOR);
/** Bits 10:8: the interruption type. */
export const INTR_TYPE: BitField = fieldAt(
  "Interruption type",
  Interruption.TYPE,
  VMX_INTERRUPTION_TYPES,
);
/** Bit 12: NMI unblocking due to IRET. */
const INTR_NMI_UNBLOCKING: BitField = flagAt(
  "NMI unblocking due to IRET",
  Interruption.NMI_UNBLOCKING,
  "no",
  "yes",
);
/** Bit 31: the field is valid. */
export const INTR_VALID: BitField = flagAt("Valid", Interruption.VALID, "no", "yes");

/** Bit 11 of each of the two fields: where its error code is. */
const EXIT_ERROR_CODE_VALID = flagAt(
  "Error code valid",
  Interruption.ERROR_CODE_VALID,
  "no",
  "error code in VMCS 0x4406",
);
const IDT_ERROR_CODE_VALID = flagAt(
  "Error code valid",
  Interruption.ERROR_CODE_VALID,
  "no",
  "error code in VMCS 0x440A",
);

function layout(errorCodeValid: BitField): readonly BitField[] {
  return [
    INTR_VECTOR,
    INTR_TYPE,
    errorCodeValid,
    INTR_NMI_UNBLOCKING,
    reserved(30, 13),
    INTR_VALID,
  ];
}

/** VM-exit interruption information (0x4404), bit by bit (Intel SDM Vol. 3C; Linux `INTR_INFO_*`). */
export const VMX_EXIT_INTERRUPTION_LAYOUT: readonly BitField[] =
  /* @__PURE__ */ layout(EXIT_ERROR_CODE_VALID);
/** IDT-vectoring information (0x4408): the same layout, its error code in 0x440A. */
export const VMX_IDT_VECTORING_LAYOUT: readonly BitField[] =
  /* @__PURE__ */ layout(IDT_ERROR_CODE_VALID);

/** VM-exit interruption information or IDT-vectoring information, dissected. */
export interface VmxInterruptionInfo {
  /** The raw 32-bit field. */
  readonly raw: number;
  /** Bits 7:0: the vector. */
  readonly vector: number;
  /** Bits 10:8: the interruption type. */
  readonly type: VmxInterruptionType;
  /** Bit 11: an error code was delivered. */
  readonly errorCodeValid: boolean;
  /** The error code (0x4406 / 0x440A), when valid and given. */
  readonly errorCode?: number;
  /** Bit 12: NMI unblocking due to IRET. */
  readonly nmiUnblocking: boolean;
  /** Bit 31: the field is valid. */
  readonly valid: boolean;
  /** The exception mnemonic (`#PF`, `#GP`, …) for exception and NMI types. */
  readonly exception?: string;
}

/** Whether the vector of each interruption type names an exception: NMI and the exception types. */
const NAMES_AN_EXCEPTION: readonly boolean[] = [false, false, true, true, false, true, true, false];

/** The exception mnemonic of an interruption field (`#PF`, `NMI`, …), for NMI and exception types. */
export function interruptionException(raw: number): string | undefined {
  return NAMES_AN_EXCEPTION[bitsAt(Interruption.TYPE, raw)] === true
    ? X86_EXCEPTION_NAMES[bitsAt(Interruption.VECTOR, raw)]
    : undefined;
}

/**
 * The dissections of the fields with no error code in them (bit 11 clear, or no error code given)
 * and reserved bits 30:13 clear, built once each on first use and shared frozen, indexed by bits
 * 12:0 and bit 31 as bit 13: an external interrupt's or an exception's information is one of few
 * values, and a decode then allocates nothing for it.
 */
const SHARED = /* @__PURE__ */ sharedTable<VmxInterruptionInfo>(0x4000);

/** Dissects a 32-bit interruption-information field (with the error code when one was given). */
export function dissectInterruptionInfo(raw: number, errorCode?: number): VmxInterruptionInfo {
  const errorCodeValid = isSetAt(Interruption.ERROR_CODE_VALID, raw);
  if ((raw & 0x7fff_e000) === 0 && (!errorCodeValid || errorCode === undefined)) {
    const at = (raw & 0x1fff) | ((raw >>> 18) & 0x2000);
    return SHARED[at] ?? keepFrozen(SHARED, at, dissect(raw, errorCodeValid, undefined));
  }
  return dissect(raw, errorCodeValid, errorCode);
}

function dissect(
  raw: number,
  errorCodeValid: boolean,
  errorCode: number | undefined,
): VmxInterruptionInfo {
  const info: { -readonly [K in keyof VmxInterruptionInfo]: VmxInterruptionInfo[K] } = {
    raw,
    vector: bitsAt(Interruption.VECTOR, raw),
    type: VMX_INTERRUPTION_TYPES[bitsAt(Interruption.TYPE, raw)] as VmxInterruptionType,
    errorCodeValid,
    nmiUnblocking: isSetAt(Interruption.NMI_UNBLOCKING, raw),
    valid: isSetAt(Interruption.VALID, raw),
  };
  if (errorCodeValid && errorCode !== undefined) info.errorCode = errorCode;
  const exception = interruptionException(raw);
  if (exception !== undefined) info.exception = exception;
  return info;
}
