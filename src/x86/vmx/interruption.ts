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

/** Exception mnemonics indexed by vector 0…21 (`undefined` for reserved vectors 9 and 15). */
export const X86_EXCEPTION_NAMES: readonly (string | undefined)[] = [
  "#DE",
  "#DB",
  "NMI",
  "#BP",
  "#OF",
  "#BR",
  "#UD",
  "#NM",
  "#DF",
  undefined,
  "#TS",
  "#NP",
  "#SS",
  "#GP",
  "#PF",
  undefined,
  "#MF",
  "#AC",
  "#MC",
  "#XM",
  "#VE",
  "#CP",
];

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

/** Dissects a 32-bit interruption-information field (with the error code when one was given). */
export function dissectInterruptionInfo(raw: number, errorCode?: number): VmxInterruptionInfo {
  const vector = raw & 0xff;
  const typeCode = (raw >>> 8) & 7;
  const errorCodeValid = (raw & 0x800) !== 0;
  const info: { -readonly [K in keyof VmxInterruptionInfo]: VmxInterruptionInfo[K] } = {
    raw,
    vector,
    type: VMX_INTERRUPTION_TYPES[typeCode] as VmxInterruptionType,
    errorCodeValid,
    nmiUnblocking: (raw & 0x1000) !== 0,
    valid: raw >>> 31 === 1,
  };
  if (errorCodeValid && errorCode !== undefined) info.errorCode = errorCode;
  if (typeCode === 2 || typeCode === 3 || typeCode === 5 || typeCode === 6) {
    const name = X86_EXCEPTION_NAMES[vector];
    if (name !== undefined) info.exception = name;
  }
  return info;
}
