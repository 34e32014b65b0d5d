import type { CauseBase } from "../core/decoded";
import type { Aarch64LoadStore } from "./decode/load-store";
import type { Aarch64Exception } from "./snapshot";
import type { FscClass, FscLevel } from "./tables/dfsc";

/** The ESR fields every synchronous (and SError) cause carries. */
export interface Aarch64EsrFields {
  /** The exception taken. */
  readonly exception: Aarch64Exception;
  /** The EC's architectural meaning. */
  readonly description: string;
  /** ESR.IL (bit 25): the trapped instruction was 32-bit (also set when not applicable). */
  readonly il: boolean;
  /** ESR.ISS (bits 24:0). */
  readonly iss: number;
  /** ESR.ISS2 (bits 55:32). */
  readonly iss2: number;
}

/** An IRQ or FIQ: the interrupt the host acknowledged (code 0, as Linux's `kvm_exit` prints for non-traps). */
export interface Aarch64InterruptCause extends CauseBase<"aarch64", "interrupt"> {
  /** `irq` or `fiq`. */
  readonly exception: "irq" | "fiq";
  /** The INTID acknowledged by the host. */
  readonly intid: bigint;
}

/** An SError (exception `serror`, or EC 0x2F): the SError ISS dissected. */
export interface Aarch64SErrorCause extends CauseBase<"aarch64", "serror">, Aarch64EsrFields {
  /** ISS[24] IDS: the syndrome is IMPLEMENTATION DEFINED. */
  readonly ids: boolean;
  /** ISS[12:10] AET: asynchronous error type (when IDS = 0). */
  readonly aet: number;
  /** ISS[9] EA: external abort type. */
  readonly ea: boolean;
  /** ISS[5:0] DFSC: 0 uncategorized, 0x11 asynchronous SError. */
  readonly dfsc: number;
}

/** EC 0x01: a trapped WFI, WFE, WFIT or WFET. */
export interface Aarch64WfxCause extends CauseBase<"aarch64", "wfx">, Aarch64EsrFields {
  /** ISS[1:0] TI: 0 WFI, 1 WFE, 2 WFIT, 3 WFET. */
  readonly ti: 0 | 1 | 2 | 3;
  /** The trapped instruction named by TI. */
  readonly mnemonic: "WFI" | "WFE" | "WFIT" | "WFET";
  /** ISS[2] RV: Rn is valid. */
  readonly rv: boolean;
  /** ISS[9:5] Rn: the register holding the WFIT/WFET timeout. */
  readonly rn: number;
  /** ISS[24] CV: the condition code is valid (AArch32). */
  readonly cv: boolean;
  /** ISS[23:20] COND (AArch32). */
  readonly cond: number;
}

/** EC 0x12/0x13/0x16/0x17: HVC or SMC, with the SMCCC function ID in W0 dissected. */
export interface Aarch64HvcSmcCause extends CauseBase<"aarch64", "hvc-smc">, Aarch64EsrFields {
  /** The instruction: `hvc` or `smc`. */
  readonly conduit: "hvc" | "smc";
  /** True for the AArch32 forms (EC 0x12, 0x13): arguments are W registers. */
  readonly aarch32: boolean;
  /** ISS[15:0]: the instruction's immediate (0 for SMC32, whose ISS has none). */
  readonly imm16: number;
  /** W0: the SMCCC function ID. */
  readonly functionId: number;
  /** Function ID bit 31: fast or yielding call. */
  readonly callType: "fast" | "yielding";
  /** Function ID bit 30: the SMC32 (32) or SMC64 (64) calling convention. */
  readonly convention: 32 | 64;
  /** Function ID bits 29:24: the owning service. */
  readonly owner: number;
  /** The owner's name. */
  readonly ownerName: string;
  /** Function ID bits 15:0. */
  readonly functionNumber: number;
  /** The function's name (PSCI, arch call or generic query), when known. */
  readonly functionName: string | undefined;
  /** The PSCI function, when the ID is one. */
  readonly psciFunction: string | undefined;
}

/** The fields of a value written to ICC_SGI1R_EL1 / ICC_ASGI1R_EL1 / ICC_SGI0R_EL1. */
export interface Aarch64Sgi {
  /** Bits 27:24: the SGI number. */
  readonly intid: number;
  /** Bit 40 IRM: 1 = every PE but self. */
  readonly irm: boolean;
  /** Bits 47:44 RS: which block of 16 Aff0 values TargetList covers. */
  readonly rs: number;
  /** Bits 15:0: one bit per Aff0 = RS·16 + n. */
  readonly targetList: number;
  /** Bits 23:16. */
  readonly aff1: number;
  /** Bits 39:32. */
  readonly aff2: number;
  /** Bits 55:48. */
  readonly aff3: number;
}

/** EC 0x18: a trapped MSR, MRS or system instruction. */
export interface Aarch64Sys64Cause extends CauseBase<"aarch64", "sys64">, Aarch64EsrFields {
  /** ISS[21:20]. */
  readonly op0: number;
  /** ISS[16:14]. */
  readonly op1: number;
  /** ISS[13:10]. */
  readonly crn: number;
  /** ISS[4:1]. */
  readonly crm: number;
  /** ISS[19:17]. */
  readonly op2: number;
  /** ISS[9:5]: the transfer register (31 = XZR). */
  readonly rt: number;
  /** ISS[0]: 1 read (MRS), 0 write (MSR). */
  readonly direction: "read" | "write";
  /** `ISS & 0x3FFC1E`, the `SysRegAddr`. */
  readonly sysRegAddr: number;
  /** The register's architectural name, when known. */
  readonly register: string | undefined;
  /** For writes to the SGI generation registers: the value's fields. */
  readonly sgi: Aarch64Sgi | undefined;
  /** Why a write to an SGI register is `Nothing` rather than a `SendIPI` (RS > 3), when it is. */
  readonly notSendIpi: string | undefined;
}

/** Fields shared by instruction and data aborts. */
export interface Aarch64AbortFields {
  /** ISS[12:11] SET: synchronous error type (for a synchronous external abort). */
  readonly set: number;
  /** ISS[10] FnV: FAR is not valid. */
  readonly fnv: boolean;
  /** ISS[9] EA: external abort type. */
  readonly ea: boolean;
  /** ISS[7] S1PTW: stage-2 fault on a stage-1 translation table walk. */
  readonly s1ptw: boolean;
  /** ISS[5:0] DFSC/IFSC. */
  readonly fsc: number;
  /** The fault status code's meaning. */
  readonly fscDescription: string;
  /** The fault status code's class, when allocated. */
  readonly fscClass: FscClass | undefined;
  /** The translation table level, when the code names one. */
  readonly fscLevel: FscLevel | undefined;
  /**
   * The faulting IPA, `(HPFAR[47:4] << 12) | FAR[11:0]`, for an abort from a lower EL when HPFAR
   * was supplied (FAR[11:0] taken as 0 when FnV).
   */
  readonly gpa: bigint | undefined;
  /** False when FnV says FAR is not valid. */
  readonly farValid: boolean;
}

/** EC 0x20/0x21: an instruction abort. */
export interface Aarch64InstructionAbortCause
  extends CauseBase<"aarch64", "instruction-abort">,
    Aarch64EsrFields,
    Aarch64AbortFields {}

/** EC 0x24/0x25: a data abort. */
export interface Aarch64DataAbortCause
  extends CauseBase<"aarch64", "data-abort">,
    Aarch64EsrFields,
    Aarch64AbortFields {
  /** ISS[24] ISV: bits 23:14 hold a valid instruction syndrome. */
  readonly isv: boolean;
  /** ISS[23:22] SAS: access size 1 << SAS bytes. */
  readonly sas: number;
  /** ISS[21] SSE: sign-extend the loaded value. */
  readonly sse: boolean;
  /** ISS[20:16] SRT: the transfer register. */
  readonly srt: number;
  /** ISS[15] SF: 64-bit register. */
  readonly sf: boolean;
  /** ISS[14] AR: acquire/release. */
  readonly ar: boolean;
  /** ISS[13] VNCR: the fault came from a VNCR_EL2-based access. */
  readonly vncr: boolean;
  /** ISS[8] CM: cache maintenance or address translation instruction. */
  readonly cm: boolean;
  /** ISS[6] WnR: the access was a write. */
  readonly wnr: boolean;
  /** The load/store decoded from the snapshot's `instruction` when ISV = 0 and it is one. */
  readonly instruction: Aarch64LoadStore | undefined;
  /** Where an MMIO access was read from: the ISS syndrome or the instruction word. */
  readonly mmioSource: "syndrome" | "instruction" | undefined;
  /** Why a stage-2 fault was not turned into MMIO, when it was not. */
  readonly notMmio: string | undefined;
}

/** Every other allocated EC: the ISS left raw (see `explainEsr` for its fields). */
export interface Aarch64OtherCause extends CauseBase<"aarch64", "other">, Aarch64EsrFields {}

/** What an AArch64 exit was, dissected; discriminated by `class`. */
export type Aarch64Cause =
  | Aarch64InterruptCause
  | Aarch64SErrorCause
  | Aarch64WfxCause
  | Aarch64HvcSmcCause
  | Aarch64Sys64Cause
  | Aarch64InstructionAbortCause
  | Aarch64DataAbortCause
  | Aarch64OtherCause;

/** The `class` of any AArch64 cause. */
export type Aarch64CauseClass = Aarch64Cause["class"];
