import { halt, nothing, systemDown } from "../../core/constructors";
import type { DecodedExit } from "../../core/decoded";
import { VmExitError } from "../../core/error";
import type { VmExit } from "../../core/exit";
import type { MappingFlags } from "../../core/scalars/mapping-flags";
import { hex, joinU64 } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import { dissectIcr, icrExit, X86_X2APIC_ICR_MSR } from "../icr";
import { decodeMmio } from "../mmio";
import { apicBaseOption, checkOptions, hypercallAbiOption } from "../options";
import {
  checkSnapshot,
  fieldHalves,
  optionalField32,
  optionalField64,
  optionalReg64,
  reg32,
  reg64,
  requiredField64,
} from "../regs";
import type { VmxCause } from "./cause";
import { dissectInterruptionInfo } from "./interruption";
import {
  dissectApicAccess,
  dissectCrAccess,
  dissectDebugException,
  dissectDrAccess,
  dissectEntryFailure,
  dissectEptViolation,
  dissectTaskSwitch,
  type VmxIoQualification,
} from "./qualification";
import {
  isVmxEntryFailureReason,
  VMX_EXIT_REASON_NAMES,
  VmxExitReason,
  vmxExitReasonFlags,
} from "./reasons";
import type { VmxDecodeOptions, VmxSnapshot } from "./snapshot";

/** The cause under construction (all fields writable). */
type CauseDraft = { -readonly [K in keyof VmxCause]: VmxCause[K] };

/** One reason's decoder: fills in the cause and returns the exit. */
type ReasonDecoder = (
  s: VmxSnapshot,
  cause: CauseDraft,
  options: VmxDecodeOptions | undefined,
) => VmExit;

/** I/O qualification bits 2:0 → access size in bytes (0 marks the reserved encoding 2). */
const IO_SIZES = [1, 2, 0, 4] as const;

/** EPT-violation qualification bits 7 (guest linear address valid) and 8 (final translation). */
const EPT_GLA_VALID = 0x80;
const EPT_GLA_VALID_FINAL = 0x180;

/** Dissects the qualification of a reason with no dedicated layout, when given. */
function rawQualification(s: VmxSnapshot, cause: CauseDraft): void {
  const v = optionalField64(s.exitQualification, "exitQualification");
  if (v !== undefined) cause.qualification = { type: "raw", value: v };
}

/** Reads the qualification's low half (and checks the high half is a valid u64), requiring it. */
function qualificationLow(s: VmxSnapshot): number {
  return fieldHalves(s.exitQualification, "exitQualification", s.exitReason).lo;
}

function decodeNothing(s: VmxSnapshot, cause: CauseDraft): VmExit {
  rawQualification(s, cause);
  return nothing();
}

function decodeException(s: VmxSnapshot, cause: CauseDraft): VmExit {
  const info = cause.interruption;
  const q = s.exitQualification;
  if (info?.valid && q !== undefined) {
    const typeCode = (info.raw >>> 8) & 7;
    if (info.vector === 14 && typeCode === 3) {
      const linearAddress = optionalField64(q, "exitQualification") as bigint;
      cause.qualification =
        info.errorCode === undefined
          ? { type: "page-fault", linearAddress }
          : { type: "page-fault", linearAddress, errorCode: info.errorCode };
      return nothing();
    }
    if (info.vector === 1 && (typeCode === 3 || typeCode === 5)) {
      cause.qualification = dissectDebugException(qualificationLow(s));
      return nothing();
    }
  }
  return decodeNothing(s, cause);
}

function decodeExternalInterrupt(_s: VmxSnapshot, cause: CauseDraft): VmExit {
  const info = cause.interruption;
  if (info === undefined || !info.valid) {
    throw new VmExitError(
      "missing-register",
      `exitInterruptionInfo with the valid bit (31) set is needed for EXTERNAL_INTERRUPT, got ${
        info === undefined ? "none" : hex(info.raw)
      }`,
      "exitInterruptionInfo",
    );
  }
  if (info.type !== "external-interrupt") {
    throw new VmExitError(
      "reserved-encoding",
      `exitInterruptionInfo type (bits 10:8) of an EXTERNAL_INTERRUPT exit must be 0, got ${hex(info.raw)}`,
      "exitInterruptionInfo",
    );
  }
  return unchecked.externalInterrupt(BigInt(info.vector));
}

function decodeVmcall(s: VmxSnapshot, cause: CauseDraft, options?: VmxDecodeOptions): VmExit {
  const abi = hypercallAbiOption(options?.hypercallAbi);
  cause.hypercallAbi = abi;
  const nr = reg64(s, "rax");
  if (abi === "kvm") {
    return unchecked.hypercall(nr, [
      reg64(s, "rbx"),
      reg64(s, "rcx"),
      reg64(s, "rdx"),
      reg64(s, "rsi"),
      0n,
      0n,
    ]);
  }
  return unchecked.hypercall(nr, [
    reg64(s, "rdi"),
    reg64(s, "rsi"),
    reg64(s, "rdx"),
    reg64(s, "rcx"),
    reg64(s, "r8"),
    reg64(s, "r9"),
  ]);
}

function decodeIo(s: VmxSnapshot, cause: CauseDraft): VmExit {
  const lo = qualificationLow(s);
  const size = IO_SIZES[lo & 7];
  if (size === undefined || size === 0) {
    throw new VmExitError(
      "reserved-encoding",
      `exitQualification size field (bits 2:0) of an I/O exit must be 0, 1 or 3, got ${lo & 7} (qualification ${hex(lo)})`,
      "exitQualification",
    );
  }
  const isIn = (lo & 8) !== 0;
  const string = (lo & 0x10) !== 0;
  const rep = (lo & 0x20) !== 0;
  const port = lo >>> 16;
  const q: { -readonly [K in keyof VmxIoQualification]: VmxIoQualification[K] } = {
    type: "io",
    size,
    direction: isIn ? "in" : "out",
    string,
    rep,
    immediate: (lo & 0x40) !== 0,
    port,
  };
  cause.qualification = q;
  if (string || rep) {
    const count = rep ? optionalReg64(s, "rcx") : undefined;
    if (count !== undefined) q.count = count;
    const gla = string ? optionalField64(s.guestLinearAddress, "guestLinearAddress") : undefined;
    if (gla !== undefined) q.linearAddress = gla;
    cause.detail = `${string ? (isIn ? "INS" : "OUTS") : isIn ? "IN" : "OUT"}${rep ? " with REP" : ""}: not a single port access`;
    return nothing();
  }
  if (isIn) return unchecked.ioRead(port, size);
  const eax = reg32(s, "rax");
  return unchecked.ioWrite(
    port,
    size,
    BigInt(size === 4 ? eax : eax & (size === 1 ? 0xff : 0xffff)),
  );
}

function decodeMsrRead(s: VmxSnapshot, cause: CauseDraft): VmExit {
  const ecx = reg32(s, "rcx");
  cause.msr = { index: ecx, direction: "read" };
  return unchecked.sysRegRead(ecx, 0);
}

function decodeMsrWrite(s: VmxSnapshot, cause: CauseDraft): VmExit {
  const ecx = reg32(s, "rcx");
  const eax = reg32(s, "rax");
  const edx = reg32(s, "rdx");
  const value = joinU64(eax, edx);
  if (ecx !== X86_X2APIC_ICR_MSR) {
    cause.msr = { index: ecx, direction: "write", value };
    return unchecked.sysRegWrite(ecx, value);
  }
  const icr = dissectIcr(eax, edx);
  cause.msr = { index: ecx, direction: "write", value, icr };
  const outcome = icrExit(icr, eax);
  if (outcome.detail !== undefined) cause.detail = outcome.detail;
  return outcome.exit;
}

function decodeEptViolation(s: VmxSnapshot, cause: CauseDraft, options?: VmxDecodeOptions): VmExit {
  const lo = qualificationLow(s);
  const addr = requiredField64(s.guestPhysicalAddress, "guestPhysicalAddress", s.exitReason);
  const gla = optionalField64(s.guestLinearAddress, "guestLinearAddress");
  cause.qualification = dissectEptViolation(lo, addr, gla);
  if ((lo & EPT_GLA_VALID_FINAL) === EPT_GLA_VALID) {
    // bit 7 set, bit 8 clear: the CPU was walking (or setting A/D bits in) the guest page tables,
    // so the GPA is a paging-structure entry, not the operand of the instruction at RIP
    if (s.instructionBytes !== undefined) {
      cause.detail =
        "the access is to a guest paging-structure entry (qualification bit 7 set, bit 8 clear), not the instruction's operand";
    }
  } else if ((lo & 4) === 0 && (lo & 3) !== 0) {
    const mmio = decodeMmio(s, options, addr, (lo & 2) !== 0 ? "write" : "read", cause);
    if (mmio !== undefined) return mmio;
  }
  return unchecked.nestedPageFault(addr, (lo & 7) as MappingFlags);
}

function decodeEptMisconfig(s: VmxSnapshot, cause: CauseDraft, options?: VmxDecodeOptions): VmExit {
  const addr = requiredField64(s.guestPhysicalAddress, "guestPhysicalAddress", s.exitReason);
  cause.qualification = { type: "ept-misconfig", guestPhysicalAddress: addr };
  return (
    decodeMmio(s, options, addr, undefined, cause) ??
    unchecked.nestedPageFault(addr, 0 as MappingFlags)
  );
}

function decodeApicAccess(s: VmxSnapshot, cause: CauseDraft, options?: VmxDecodeOptions): VmExit {
  const q = dissectApicAccess(qualificationLow(s));
  cause.qualification = q;
  const base = apicBaseOption(options?.apicBase);
  if (q.accessType > 1) {
    cause.detail = `APIC access type ${q.accessType} (${q.accessTypeName}) is not a linear data access`;
    return nothing();
  }
  const addr = base + BigInt(q.offset);
  return decodeMmio(s, options, addr, q.accessType === 1 ? "write" : "read", cause) ?? nothing();
}

function withQualification(
  dissect: (lo: number) => NonNullable<VmxCause["qualification"]>,
): ReasonDecoder {
  return (s, cause) => {
    if (s.exitQualification !== undefined) cause.qualification = dissect(qualificationLow(s));
    return nothing();
  };
}

function decodeInvlpg(s: VmxSnapshot, cause: CauseDraft): VmExit {
  const v = optionalField64(s.exitQualification, "exitQualification");
  if (v !== undefined) cause.qualification = { type: "invlpg", linearAddress: v };
  return nothing();
}

/** A reason that always means the same exit; its qualification (if any) is kept raw. */
function fixed(make: () => VmExit): ReasonDecoder {
  return (s, cause) => {
    rawQualification(s, cause);
    return make();
  };
}

/** Decoders indexed by basic exit reason; reasons without an entry decode as `Nothing`. */
const DECODERS: ReasonDecoder[] = Array.from({ length: 86 }, () => decodeNothing);
DECODERS[VmxExitReason.EXCEPTION_NMI] = decodeException;
DECODERS[VmxExitReason.EXTERNAL_INTERRUPT] = decodeExternalInterrupt;
DECODERS[VmxExitReason.TRIPLE_FAULT] = fixed(systemDown);
DECODERS[VmxExitReason.INIT_SIGNAL] = fixed(() => unchecked.cpuDown(0n));
DECODERS[VmxExitReason.TASK_SWITCH] = withQualification(dissectTaskSwitch);
DECODERS[VmxExitReason.HLT] = fixed(halt);
DECODERS[VmxExitReason.MWAIT_INSTRUCTION] = fixed(halt);
DECODERS[VmxExitReason.INVLPG] = decodeInvlpg;
DECODERS[VmxExitReason.VMCALL] = decodeVmcall;
DECODERS[VmxExitReason.CR_ACCESS] = withQualification(dissectCrAccess);
DECODERS[VmxExitReason.DR_ACCESS] = withQualification(dissectDrAccess);
DECODERS[VmxExitReason.IO_INSTRUCTION] = decodeIo;
DECODERS[VmxExitReason.MSR_READ] = decodeMsrRead;
DECODERS[VmxExitReason.MSR_WRITE] = decodeMsrWrite;
DECODERS[VmxExitReason.APIC_ACCESS] = decodeApicAccess;
DECODERS[VmxExitReason.EPT_VIOLATION] = decodeEptViolation;
DECODERS[VmxExitReason.EPT_MISCONFIG] = decodeEptMisconfig;

function decodeFailEntry(s: VmxSnapshot, cause: CauseDraft, basic: number): VmExit {
  const q = s.exitQualification;
  if (q !== undefined && (basic === 33 || basic === 34)) {
    const h = fieldHalves(q, "exitQualification", s.exitReason);
    cause.qualification = dissectEntryFailure(basic, h.lo, h.hi);
  } else {
    rawQualification(s, cause);
  }
  return unchecked.failEntry(BigInt(s.exitReason >>> 0));
}

/** Decodes raw VMX exit state into a typed exit and a dissected `VmxCause` (DESIGN.md §3.1). */
export function decodeVmx(
  snapshot: VmxSnapshot,
  options?: VmxDecodeOptions,
): DecodedExit<VmxCause> {
  const exitReason = checkSnapshot(snapshot);
  checkOptions(options);
  const basic = exitReason & 0xffff;
  const name = VMX_EXIT_REASON_NAMES[basic];
  if (name === undefined) {
    throw new VmExitError(
      "unknown-exit-reason",
      `exitReason basic reason (bits 15:0) ${basic} (${hex(basic)}) is not a defined VMX exit reason (exitReason ${hex(exitReason)})`,
      "exitReason",
    );
  }
  const cause: CauseDraft = {
    arch: "x86-vmx",
    code: basic,
    name,
    class: "vmx",
    exitReason,
    flags: vmxExitReasonFlags(exitReason),
  };
  const info = optionalField32(snapshot.exitInterruptionInfo, "exitInterruptionInfo");
  if (info !== undefined) {
    const code = optionalField32(snapshot.exitInterruptionErrorCode, "exitInterruptionErrorCode");
    cause.interruption = dissectInterruptionInfo(info, code);
  }
  const idt = optionalField32(snapshot.idtVectoringInfo, "idtVectoringInfo");
  if (idt !== undefined) cause.idtVectoring = dissectInterruptionInfo(idt);
  let exit: VmExit;
  if (exitReason >>> 31 === 1 || isVmxEntryFailureReason(basic)) {
    exit = decodeFailEntry(snapshot, cause, basic);
  } else {
    exit = (DECODERS[basic] as ReasonDecoder)(snapshot, cause, options);
  }
  return { exit, cause };
}
