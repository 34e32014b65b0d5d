// Exception classes (ESR_ELx.EC, bits 31:26). Names: the strings Linux's `kvm_exit` tracepoint
// prints (`kvm_arm_exception_class`, arch/arm64/include/asm/kvm_arm.h); where Linux prints only a
// number, the `ESR_ELx_EC_*` macro suffix of arch/arm64/include/asm/esr.h (OTHER, BTI, ILL, SVC32,
// HVC32, SMC32, FPAC, SME, GPC, MOPS, GCS). Meanings: Arm ARM D24.2.40 (ESR_EL2.EC), shortened.

type EcRow = readonly [ec: number, name: string, description: string];

const EC_ROWS: readonly EcRow[] = [
  [0x00, "UNKNOWN", "Unknown reason"],
  [0x01, "WFx", "Trapped WFI, WFE, WFIT or WFET instruction"],
  [0x03, "CP15_32", "Trapped MCR or MRC access with coproc 0b1111 (AArch32)"],
  [0x04, "CP15_64", "Trapped MCRR or MRRC access with coproc 0b1111 (AArch32)"],
  [0x05, "CP14_MR", "Trapped MCR or MRC access with coproc 0b1110 (AArch32)"],
  [0x06, "CP14_LS", "Trapped LDC or STC access (AArch32)"],
  [0x07, "FP_ASIMD", "Access to SVE, Advanced SIMD or floating-point functionality trapped"],
  [0x08, "CP10_ID", "Trapped VMRS access to a floating-point ID register (AArch32)"],
  [0x09, "PAC", "Trapped pointer authentication instruction (FEAT_PAuth)"],
  [0x0a, "OTHER", "Trapped LD64B, ST64B, ST64BV or ST64BV0 instruction (FEAT_LS64), or other trap"],
  [0x0c, "CP14_64", "Trapped MRRC or MCRR access with coproc 0b1110 (AArch32)"],
  [0x0d, "BTI", "Branch Target exception (FEAT_BTI)"],
  [0x0e, "ILL", "Illegal Execution state"],
  [0x11, "SVC32", "SVC instruction execution in AArch32 state"],
  [0x12, "HVC32", "HVC instruction execution in AArch32 state"],
  [0x13, "SMC32", "SMC instruction execution in AArch32 state"],
  [0x15, "SVC64", "SVC instruction execution in AArch64 state"],
  [0x16, "HVC64", "HVC instruction execution in AArch64 state"],
  [0x17, "SMC64", "SMC instruction execution in AArch64 state"],
  [0x18, "SYS64", "Trapped MSR, MRS or System instruction execution in AArch64 state"],
  [0x19, "SVE", "Access to SVE functionality trapped"],
  [0x1a, "ERET", "Trapped ERET, ERETAA or ERETAB instruction execution"],
  [0x1c, "FPAC", "Pointer authentication failure (FEAT_FPAC)"],
  [0x1d, "SME", "Access to SME functionality trapped"],
  [0x1e, "GPC", "Granule Protection Check exception (FEAT_RME)"],
  [0x1f, "IMP_DEF", "IMPLEMENTATION DEFINED exception to EL3"],
  [0x20, "IABT_LOW", "Instruction Abort from a lower Exception level"],
  [0x21, "IABT_CUR", "Instruction Abort taken without a change in Exception level"],
  [0x22, "PC_ALIGN", "PC alignment fault"],
  [0x24, "DABT_LOW", "Data Abort from a lower Exception level"],
  [0x25, "DABT_CUR", "Data Abort taken without a change in Exception level"],
  [0x26, "SP_ALIGN", "SP alignment fault"],
  [0x27, "MOPS", "Memory Copy or Memory Set exception (FEAT_MOPS)"],
  [0x28, "FP_EXC32", "Trapped floating-point exception taken from AArch32 state"],
  [0x2c, "FP_EXC64", "Trapped floating-point exception taken from AArch64 state"],
  [0x2d, "GCS", "Guarded Control Stack exception (FEAT_GCS)"],
  [0x2f, "SERROR", "SError exception"],
  [0x30, "BREAKPT_LOW", "Breakpoint exception from a lower Exception level"],
  [0x31, "BREAKPT_CUR", "Breakpoint exception taken without a change in Exception level"],
  [0x32, "SOFTSTP_LOW", "Software Step exception from a lower Exception level"],
  [0x33, "SOFTSTP_CUR", "Software Step exception taken without a change in Exception level"],
  [0x34, "WATCHPT_LOW", "Watchpoint exception from a lower Exception level"],
  [0x35, "WATCHPT_CUR", "Watchpoint exception taken without a change in Exception level"],
  [0x38, "BKPT32", "BKPT instruction execution in AArch32 state"],
  [0x3a, "VECTOR32", "Vector Catch exception from AArch32 state"],
  [0x3c, "BRK64", "BRK instruction execution in AArch64 state"],
];

function column(index: 1 | 2): readonly (string | undefined)[] {
  const out: (string | undefined)[] = new Array<string | undefined>(64).fill(undefined);
  for (const row of EC_ROWS) out[row[0]] = row[index];
  return out;
}

/** Name of every exception class, indexed by EC 0…63 (Linux `kvm_exit` names); `undefined` when unallocated. */
export const ESR_EC_NAMES: readonly (string | undefined)[] = /* @__PURE__ */ column(1);

/** Architectural meaning of every exception class, indexed by EC 0…63; `undefined` when unallocated. */
export const ESR_EC_DESCRIPTIONS: readonly (string | undefined)[] = /* @__PURE__ */ column(2);

/** Exception class numbers the decoder dispatches on (ESR_ELx.EC values). */
export enum EC {
  /** Unknown reason. */
  UNKNOWN = 0x00,
  /** WFI/WFE/WFIT/WFET. */
  WFX = 0x01,
  /** HVC from AArch32. */
  HVC32 = 0x12,
  /** SMC from AArch32. */
  SMC32 = 0x13,
  /** HVC from AArch64. */
  HVC64 = 0x16,
  /** SMC from AArch64. */
  SMC64 = 0x17,
  /** MSR/MRS/system instruction. */
  SYS64 = 0x18,
  /** Instruction abort from a lower EL. */
  IABT_LOW = 0x20,
  /** Instruction abort, same EL. */
  IABT_CUR = 0x21,
  /** Data abort from a lower EL. */
  DABT_LOW = 0x24,
  /** Data abort, same EL. */
  DABT_CUR = 0x25,
  /** SError. */
  SERROR = 0x2f,
}
