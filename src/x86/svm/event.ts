// EXITINTINFO (VMCB 0x088) and its error code (0x08C): the event whose delivery the intercept
// interrupted, in the EVENTINJ layout (AMD APM Vol. 2 "Event Injection"; Linux `SVM_EVTINJ_*`,
// QEMU `SVM_EVTINJ_*`, Xen `intinfo_t`). One layout, read by the decoder and the explainer.
import { type BitField, bits, field, flag, isSet, reserved } from "../../core/layout";
import { X86_EXCEPTION_NAMES } from "../exceptions";

/** The event type of EXITINTINFO / EVENTINJ bits 10:8. */
export type SvmEventType =
  | "external-interrupt"
  | "nmi"
  | "exception"
  | "software-interrupt"
  | "reserved";

/** Event types indexed by bits 10:8: 0 INTR, 2 NMI, 3 exception (INT3 / INTO included), 4 INTn; 1, 5–7 are undefined. */
export const SVM_EVENT_TYPES: readonly SvmEventType[] = [
  "external-interrupt",
  "reserved",
  "nmi",
  "exception",
  "software-interrupt",
  "reserved",
  "reserved",
  "reserved",
];

/**
 * Where the EXITINTINFO fields lie (their lowest bit): the field objects below and the decoder's
 * cause read them (an enum member is a literal in a bundle; a field object is loaded per read).
 */
export enum SvmEvent {
  /** Bits 7:0: VECTOR. */
  VECTOR = 0,
  /** Bits 10:8: TYPE. */
  TYPE = 8,
  /** Bit 11: EV. */
  EV = 11,
  /** Bit 31: V. */
  V = 31,
}

/** Bits 7:0: the vector. */
const EVENT_VECTOR: BitField = field("VECTOR", SvmEvent.VECTOR + 7, SvmEvent.VECTOR);
/** Bits 10:8: the event type. */
const EVENT_TYPE: BitField = field("TYPE", SvmEvent.TYPE + 2, SvmEvent.TYPE, [
  "INTR (external interrupt)",
  "reserved",
  "NMI",
  "exception",
  "software interrupt (INTn)",
  "reserved",
  "reserved",
  "reserved",
]);
/** Bit 11: an error code was pushed (it is at VMCB 0x08C). */
const EVENT_EV: BitField = flag("EV", SvmEvent.EV, "no error code", "error code in VMCB 0x08C");
/** Bit 31: valid: the intercept happened while the event was delivered. */
export const EVENT_VALID: BitField = flag(
  "V",
  SvmEvent.V,
  "no event in delivery",
  "event in delivery",
);

/** EXITINTINFO bit by bit. */
export const SVM_EXITINTINFO_LAYOUT: readonly BitField[] = [
  EVENT_VECTOR,
  EVENT_TYPE,
  EVENT_EV,
  reserved(30, 12),
  EVENT_VALID,
];

/** EXITINTINFO dissected (with its error code when EV says there is one and it was given). */
export interface SvmEventInfo {
  /** The raw 32-bit EXITINTINFO. */
  readonly raw: number;
  /** Bits 7:0: the vector. */
  readonly vector: number;
  /** Bits 10:8: the event type. */
  readonly type: SvmEventType;
  /** Bit 11 (EV): the event pushed an error code. */
  readonly errorCodeValid: boolean;
  /** The error code (VMCB 0x08C), when EV is set and it was given. */
  readonly errorCode: number | undefined;
  /** Bit 31 (V): an event was being delivered when the intercept happened. */
  readonly valid: boolean;
  /** The exception mnemonic (`#PF`, `#GP`, `NMI`, …) for NMI and exception events. */
  readonly exception: string | undefined;
}

/** Whether an event type's vector names an exception: NMI (2) and exceptions (3). */
function namesException(type: number): boolean {
  return type === 2 || type === 3;
}

/** The exception mnemonic of an EXITINTINFO value, for NMI and exception events. */
export function svmEventException(raw: number): string | undefined {
  return namesException((raw >>> SvmEvent.TYPE) & 7)
    ? X86_EXCEPTION_NAMES[(raw >>> SvmEvent.VECTOR) & 0xff]
    : undefined;
}

/** One line saying what an EXITINTINFO value means. */
export function svmEventMeaning(raw: number): string {
  if (!isSet(EVENT_VALID, raw)) return "no event was being delivered";
  const exception = svmEventException(raw);
  return `${SVM_EVENT_TYPES[bits(EVENT_TYPE, raw)]}, vector ${bits(EVENT_VECTOR, raw)}${
    exception === undefined ? "" : ` (${exception})`
  }`;
}

/** EXITINTINFO 0, no event in delivery (nearly every exit), dissected once (the error code is then not read). */
export const NO_EVENT: SvmEventInfo = /* @__PURE__ */ Object.freeze({
  raw: 0,
  vector: 0,
  type: "external-interrupt",
  errorCodeValid: false,
  errorCode: undefined,
  valid: false,
  exception: undefined,
});

/** Dissects EXITINTINFO, `undefined` when it was not given. */
export function svmEventInfo(
  raw: number | undefined,
  errorCode: number | undefined,
): SvmEventInfo | undefined {
  if (raw === undefined) return undefined;
  if (raw === 0) return NO_EVENT;
  const errorCodeValid = ((raw >>> SvmEvent.EV) & 1) !== 0;
  return {
    raw,
    vector: (raw >>> SvmEvent.VECTOR) & 0xff,
    type: SVM_EVENT_TYPES[(raw >>> SvmEvent.TYPE) & 7] as SvmEventType,
    errorCodeValid,
    errorCode: errorCodeValid ? errorCode : undefined,
    valid: raw >>> SvmEvent.V === 1,
    exception: svmEventException(raw),
  };
}
