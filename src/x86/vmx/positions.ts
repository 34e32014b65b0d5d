// Where the exit-qualification fields the hot VMX decoders and causes read lie, as
// `mask << 6 | lo` (`bitsAt` / `isSetAt`): one module of enums only. Bundlers inline enum members
// as literals, so `isSetAt(EptQualification.FETCH, lo)` is `(lo >>> 2) & 1` once the engine
// inlines it, where a field object in a module variable is loaded with its shift and mask on
// every read (13 such reads cost an EPT-violation cause about 16 ns). The layout field objects in
// `qualification.ts` are built from the same members, so each bit is stated once.

/** EPT-violation qualification (reason 48), Intel SDM Vol. 3C "Exit Qualification for EPT Violations". */
export enum EptQualification {
  /** Bit 0: data read. */
  READ = (1 << 6) | 0,
  /** Bit 1: data write. */
  WRITE = (1 << 6) | 1,
  /** Bit 2: instruction fetch. */
  FETCH = (1 << 6) | 2,
  /** Bits 2:0: the access (READ 1, WRITE 2, EXECUTE 4). */
  ACCESS = (0b111 << 6) | 0,
  /** Bit 3: the GPA was readable. */
  READABLE = (1 << 6) | 3,
  /** Bit 4: the GPA was writable. */
  WRITABLE = (1 << 6) | 4,
  /** Bit 5: the GPA was executable. */
  EXECUTABLE = (1 << 6) | 5,
  /** Bit 6: the GPA was user-mode executable. */
  USER_EXECUTABLE = (1 << 6) | 6,
  /** Bit 7: the guest linear address is valid. */
  GLA_VALID = (1 << 6) | 7,
  /** Bit 8: the access was to the final translation. */
  FINAL_TRANSLATION = (1 << 6) | 8,
  /** Bit 9: user-mode linear address. */
  USER_MODE = (1 << 6) | 9,
  /** Bit 10: the linear address is read/write. */
  LINEAR_WRITABLE = (1 << 6) | 10,
  /** Bit 11: the linear address is execute-disable. */
  EXECUTE_DISABLE = (1 << 6) | 11,
  /** Bit 12: NMI unblocking due to IRET (the same bit in every qualification that has it). */
  NMI_UNBLOCKING = (1 << 6) | 12,
}

/** I/O-instruction qualification (reason 30), Intel SDM Vol. 3C "Exit Qualification for I/O Instructions". */
export enum IoQualification {
  /** Bits 2:0: size of access − 1. */
  SIZE = (0b111 << 6) | 0,
  /** Bit 3: direction (1 = IN). */
  DIRECTION = (1 << 6) | 3,
  /** Bit 4: string instruction. */
  STRING = (1 << 6) | 4,
  /** Bit 5: REP prefixed. */
  REP = (1 << 6) | 5,
  /** Bit 6: operand encoding (1 = immediate port). */
  IMMEDIATE = (1 << 6) | 6,
  /** Bits 31:16: the port. */
  PORT = (0xffff << 6) | 16,
}

/** The 32-bit exit reason (VMCS 0x4402), Intel SDM Vol. 3C "Basic VM-Exit Information". */
export enum ExitReason {
  /** Bits 15:0: the basic exit reason. */
  BASIC = (0xffff << 6) | 0,
  /** Bit 31: VM-entry failure. */
  FAILED_VMENTRY = (1 << 6) | 31,
}

/** VM-exit interruption information (0x4404) and IDT-vectoring information (0x4408). */
export enum Interruption {
  /** Bits 7:0: the vector. */
  VECTOR = (0xff << 6) | 0,
  /** Bits 10:8: the interruption type. */
  TYPE = (0b111 << 6) | 8,
  /** Bit 11: an error code was delivered. */
  ERROR_CODE_VALID = (1 << 6) | 11,
  /** Bit 12: NMI unblocking due to IRET. */
  NMI_UNBLOCKING = (1 << 6) | 12,
  /** Bit 31: the field is valid. */
  VALID = (1 << 6) | 31,
}
