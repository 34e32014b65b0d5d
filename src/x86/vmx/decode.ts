// decodeVmx and decodeVmxExit: one decode, told whether to build the cause. The basic exit reason
// picks a reason decoder from a table; each returns the exit and, when the cause is wanted, puts
// the cause of its class (built in causes.ts) in the context it is given.
import { bitsAt, isSetAt } from "../../core/at";
import { halt, nothing, systemDown } from "../../core/constructors";
import type { DecodedExit } from "../../core/decoded";
import { VmExitError } from "../../core/error";
import type { VmExit } from "../../core/exit";
import { bits, isSet } from "../../core/layout";
import { checkOptions } from "../../core/options";
import { hex, joinU64, splitOptionalU64Low } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import { needField, optionalU32, optionalU64 } from "../fields";
import { hypercallExit } from "../hypercall";
import { dissectIcr, icrExit, icrNote, X86_X2APIC_BROADCAST, X86_X2APIC_ICR_MSR } from "../icr";
import { ioExit, ioNote } from "../io";
import { apicBaseOf } from "../options";
import { checkRegs, optionalReg64, reg32Of } from "../regs";
import type { VmxCause, VmxCauseClass } from "./cause";
import {
  apicWriteCause,
  crAccessCause,
  drAccessCause,
  entryFailureCause,
  eoiInducedCause,
  exceptionNmiCause,
  externalInterruptCause,
  interruptionOf,
  invlpgCause,
  ioCause,
  msrCause,
  otherCause,
  qualificationOf,
  taskSwitchCause,
  vmcallCause,
} from "./causes";
import { decodeApicAccess, decodeEptMisconfig, decodeEptViolation } from "./decode-memory";
import { INTR_TYPE_EXTERNAL_INTERRUPT } from "./interruption";
import { ExitReason, Interruption, IoQualification } from "./positions";
import { ENTRY_FAIL_MEANINGS, IO_SIZES } from "./qualification";
import {
  type CauseSlot,
  checkVmxSnapshot,
  QUALIFICATION,
  type ReasonDecoder,
  readQualification,
} from "./read";
import {
  EXIT_REASON_BASIC,
  EXIT_REASON_FAILED_VMENTRY,
  isVmxEntryFailureReason,
  VMX_EXIT_REASON_NAMES,
  VmxExitReason,
} from "./reasons";
import { VMX_DECODE_OPTIONS, type VmxDecodeOptions, type VmxSnapshot } from "./snapshot";

function decodeOther(
  s: VmxSnapshot,
  exitReason: number,
  _o: VmxDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  checkRegs(s.regs);
  const q = s.exitQualification;
  readQualification(q);
  const idt = optionalU32(s.idtVectoringInfo, "idtVectoringInfo");
  if (out !== undefined) {
    const { lo, hi } = QUALIFICATION;
    out.cause = otherCause(exitReason, qualificationOf(q, lo, hi), interruptionOf(idt));
  }
  return nothing();
}

/** A reason that always means the same exit, with the cause of "other". */
function fixed(make: () => VmExit): ReasonDecoder {
  return (s, exitReason, o, out) => {
    decodeOther(s, exitReason, o, out);
    return make();
  };
}

function cpuDownZero(): VmExit {
  return unchecked.cpuDown(0n);
}

function decodeExceptionNmi(
  s: VmxSnapshot,
  exitReason: number,
  _o: VmxDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  checkRegs(s.regs);
  const q = s.exitQualification;
  readQualification(q);
  const info = optionalU32(s.exitInterruptionInfo, "exitInterruptionInfo");
  const code = optionalU32(s.exitInterruptionErrorCode, "exitInterruptionErrorCode");
  const idt = optionalU32(s.idtVectoringInfo, "idtVectoringInfo");
  if (out !== undefined) {
    const { lo, hi } = QUALIFICATION;
    out.cause = exceptionNmiCause(exitReason, qualificationOf(q, lo, hi), lo, info, code, idt);
  }
  return nothing();
}

function decodeExternalInterrupt(
  s: VmxSnapshot,
  exitReason: number,
  _o: VmxDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  checkRegs(s.regs);
  const info = optionalU32(s.exitInterruptionInfo, "exitInterruptionInfo");
  const code = optionalU32(s.exitInterruptionErrorCode, "exitInterruptionErrorCode");
  if (info === undefined || !isSetAt(Interruption.VALID, info)) {
    throw new VmExitError(
      "missing-register",
      `exitInterruptionInfo with the valid bit (31) set is needed to decode EXTERNAL_INTERRUPT, got ${
        info === undefined ? "none" : hex(info)
      }`,
      "exitInterruptionInfo",
    );
  }
  if (bitsAt(Interruption.TYPE, info) !== INTR_TYPE_EXTERNAL_INTERRUPT) {
    throw new VmExitError(
      "reserved-encoding",
      `exitInterruptionInfo type (bits 10:8) of an EXTERNAL_INTERRUPT exit must be 0, got ${hex(info)}`,
      "exitInterruptionInfo",
    );
  }
  const vector = bitsAt(Interruption.VECTOR, info);
  if (out !== undefined) out.cause = externalInterruptCause(exitReason, info, code, vector);
  return unchecked.externalInterrupt(joinU64(vector, 0));
}

function decodeTaskSwitch(
  s: VmxSnapshot,
  exitReason: number,
  _o: VmxDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  checkRegs(s.regs);
  const q = s.exitQualification;
  readQualification(q);
  const idt = optionalU32(s.idtVectoringInfo, "idtVectoringInfo");
  if (out !== undefined) {
    out.cause = taskSwitchCause(exitReason, q !== undefined, QUALIFICATION.lo, idt);
  }
  return nothing();
}

function decodeInvlpg(
  s: VmxSnapshot,
  exitReason: number,
  _o: VmxDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  checkRegs(s.regs);
  const q = optionalU64(s.exitQualification, "exitQualification");
  if (out !== undefined) out.cause = invlpgCause(exitReason, q);
  return nothing();
}

function decodeVmcall(
  s: VmxSnapshot,
  exitReason: number,
  o: VmxDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const regs = checkRegs(s.regs);
  const abi = o?.hypercallAbi ?? "axvisor";
  const exit = hypercallExit(regs, abi, "VMCALL");
  if (out !== undefined) out.cause = vmcallCause(exitReason, abi);
  return exit;
}

function decodeIo(
  s: VmxSnapshot,
  exitReason: number,
  _o: VmxDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const regs = checkRegs(s.regs);
  const q = s.exitQualification;
  needField(q, "exitQualification", "IO_INSTRUCTION");
  const lo = splitOptionalU64Low(q, "exitQualification");
  const size = IO_SIZES[bitsAt(IoQualification.SIZE, lo)] as 0 | 1 | 2 | 4;
  if (size === 0) {
    throw new VmExitError(
      "reserved-encoding",
      `exitQualification size field (bits 2:0) of an I/O exit must be 0, 1 or 3, got ${bitsAt(IoQualification.SIZE, lo)} (qualification ${hex(lo)})`,
      "exitQualification",
    );
  }
  const isIn = isSetAt(IoQualification.DIRECTION, lo);
  const string = isSetAt(IoQualification.STRING, lo);
  const rep = isSetAt(IoQualification.REP, lo);
  if (!string && !rep) {
    const exit = ioExit(regs, isIn, bitsAt(IoQualification.PORT, lo), size, "IO_INSTRUCTION");
    if (out !== undefined)
      out.cause = ioCause(exitReason, lo, size, undefined, undefined, undefined);
    return exit;
  }
  const count = rep ? optionalReg64(regs, "rcx") : undefined;
  const gla = string ? optionalU64(s.guestLinearAddress, "guestLinearAddress") : undefined;
  if (out !== undefined) {
    out.cause = ioCause(exitReason, lo, size, count, gla, ioNote(isIn, string, rep));
  }
  return nothing();
}

function decodeMsrRead(
  s: VmxSnapshot,
  exitReason: number,
  _o: VmxDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const ecx = reg32Of(checkRegs(s.regs)?.rcx, "rcx", "MSR_READ");
  if (out !== undefined) {
    out.cause = msrCause(exitReason, ecx, "read", undefined, undefined, undefined);
  }
  return unchecked.sysRegRead(ecx, 0);
}

function decodeMsrWrite(
  s: VmxSnapshot,
  exitReason: number,
  _o: VmxDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const regs = checkRegs(s.regs);
  const ecx = reg32Of(regs?.rcx, "rcx", "MSR_WRITE");
  const eax = reg32Of(regs?.rax, "rax", "MSR_WRITE");
  const edx = reg32Of(regs?.rdx, "rdx", "MSR_WRITE");
  const icr = ecx === X86_X2APIC_ICR_MSR;
  const value = joinU64(eax, edx);
  // an x2APIC ICR write is an IPI; its reserved delivery mode 3 is reported as the raw write
  const exit =
    (icr ? icrExit(eax, edx, X86_X2APIC_BROADCAST) : undefined) ??
    unchecked.sysRegWrite(ecx, value);
  if (out !== undefined) {
    out.cause = msrCause(
      exitReason,
      ecx,
      "write",
      value,
      icr ? dissectIcr(eax, edx) : undefined,
      icr ? icrNote(eax, edx, X86_X2APIC_BROADCAST) : undefined,
    );
  }
  return exit;
}

/**
 * A reason whose exit is `Nothing` and whose cause dissects the exit qualification (CR and DR
 * accesses, EOI-induced, APIC-write): `causeOf` is given whether the snapshot had one and its low half.
 */
function fromQualification(
  causeOf: (exitReason: number, given: boolean, lo: number) => VmxCause,
): ReasonDecoder {
  return (s, exitReason, _o, out) => {
    checkRegs(s.regs);
    const q = s.exitQualification;
    readQualification(q);
    if (out !== undefined) out.cause = causeOf(exitReason, q !== undefined, QUALIFICATION.lo);
    return nothing();
  };
}

const decodeCrAccess = /* @__PURE__ */ fromQualification(crAccessCause);
const decodeDrAccess = /* @__PURE__ */ fromQualification(drAccessCause);
const decodeEoiInduced = /* @__PURE__ */ fromQualification(eoiInducedCause);
const decodeApicWrite = /* @__PURE__ */ fromQualification(apicWriteCause);

/** Reason decoders and exit classes indexed by basic exit reason (every other reason: `Nothing`, "other"). */
const DECODERS: ReasonDecoder[] = /* @__PURE__ */ Array.from({ length: 86 }, () => decodeOther);
const CLASSES: VmxCauseClass[] = /* @__PURE__ */ Array.from({ length: 86 }, () => "other");

function reason(basic: number, cls: VmxCauseClass, decoder: ReasonDecoder): void {
  DECODERS[basic] = decoder;
  CLASSES[basic] = cls;
}
reason(VmxExitReason.EXCEPTION_NMI, "exception-nmi", decodeExceptionNmi);
reason(VmxExitReason.EXTERNAL_INTERRUPT, "external-interrupt", decodeExternalInterrupt);
reason(VmxExitReason.TRIPLE_FAULT, "other", fixed(systemDown));
reason(VmxExitReason.INIT_SIGNAL, "other", fixed(cpuDownZero));
reason(VmxExitReason.TASK_SWITCH, "task-switch", decodeTaskSwitch);
reason(VmxExitReason.HLT, "other", fixed(halt));
reason(VmxExitReason.MWAIT_INSTRUCTION, "other", fixed(halt));
reason(VmxExitReason.INVLPG, "invlpg", decodeInvlpg);
reason(VmxExitReason.VMCALL, "vmcall", decodeVmcall);
reason(VmxExitReason.CR_ACCESS, "cr-access", decodeCrAccess);
reason(VmxExitReason.DR_ACCESS, "dr-access", decodeDrAccess);
reason(VmxExitReason.IO_INSTRUCTION, "io", decodeIo);
reason(VmxExitReason.MSR_READ, "msr", decodeMsrRead);
reason(VmxExitReason.MSR_WRITE, "msr", decodeMsrWrite);
reason(VmxExitReason.APIC_ACCESS, "apic-access", decodeApicAccess);
reason(VmxExitReason.EOI_INDUCED, "eoi-induced", decodeEoiInduced);
reason(VmxExitReason.EPT_VIOLATION, "ept-violation", decodeEptViolation);
reason(VmxExitReason.EPT_MISCONFIG, "ept-misconfig", decodeEptMisconfig);
reason(VmxExitReason.APIC_WRITE, "apic-write", decodeApicWrite);

/** The class of the cause `decodeVmx` gives for a (defined) 32-bit exit reason. */
export function vmxCauseClassOf(exitReason: number): VmxCauseClass {
  const basic = bits(EXIT_REASON_BASIC, exitReason);
  if (isSet(EXIT_REASON_FAILED_VMENTRY, exitReason) || isVmxEntryFailureReason(basic)) {
    return "entry-failure";
  }
  return CLASSES[basic] ?? "other";
}

/** What the qualification of a VM-entry failure means (reasons 33 and 34), when given. */
function entryFailureMeaning(basic: number, q: bigint | undefined): string | undefined {
  if (q === undefined) return undefined;
  if (basic === VmxExitReason.INVALID_STATE) {
    const code = q < BigInt(ENTRY_FAIL_MEANINGS.length) ? Number(q) : -1;
    return ENTRY_FAIL_MEANINGS[code] ?? "undefined code";
  }
  if (basic === VmxExitReason.MSR_LOAD_FAIL) return `MSR-load entry ${q} failed (1-based)`;
  return undefined;
}

/** Checks the options of a VMX decode or explanation (the APIC base must also be page-aligned). */
function checkVmxDecodeOptions(options: VmxDecodeOptions | undefined): void {
  if (options === undefined) return;
  checkOptions(options, VMX_DECODE_OPTIONS);
  apicBaseOf(options.apicBase);
}

/** A VM-entry failure: the full exit reason; the cause says what the qualification of 33 and 34 means. */
function decodeEntryFailure(
  s: VmxSnapshot,
  exitReason: number,
  out: CauseSlot | undefined,
): VmExit {
  checkRegs(s.regs);
  const q = s.exitQualification;
  readQualification(q);
  if (out !== undefined) {
    const { lo, hi } = QUALIFICATION;
    const qualification = qualificationOf(q, lo, hi);
    out.cause = entryFailureCause(
      exitReason,
      qualification,
      entryFailureMeaning(exitReason & 0xffff, qualification),
    );
  }
  return unchecked.failEntry(BigInt(exitReason));
}

/** The one decode: the exit; when `out` is given, the cause too, in `out.cause`. */
function decode(
  snapshot: VmxSnapshot,
  options: VmxDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const exitReason = checkVmxSnapshot(snapshot);
  checkVmxDecodeOptions(options);
  const basic = bitsAt(ExitReason.BASIC, exitReason);
  if (VMX_EXIT_REASON_NAMES[basic] === undefined) {
    throw new VmExitError(
      "unknown-exit-reason",
      `exitReason basic reason (bits 15:0) ${basic} (${hex(basic)}) is not a defined VMX exit reason (exitReason ${hex(exitReason)})`,
      "exitReason",
    );
  }
  if (isSetAt(ExitReason.FAILED_VMENTRY, exitReason) || isVmxEntryFailureReason(basic)) {
    return decodeEntryFailure(snapshot, exitReason, out);
  }
  return (DECODERS[basic] as ReasonDecoder)(snapshot, exitReason, options, out);
}

/** Placeholders the result object starts with (replaced before it is returned). */
const NO_EXIT: VmExit = /* @__PURE__ */ nothing();
const NO_CAUSE = undefined as unknown as VmxCause;

/**
 * Decodes raw VMX exit state (VMCS fields and guest registers) into the typed exit and a cause
 * dissecting it, discriminated by `class`. Rejects only state the hardware cannot produce
 * (`VmExitError`); anything the guest chose gives the closest exit.
 * @example
 * decodeVmx({ exitReason: 30, exitQualification: 0x3f80000, regs: { rax: 0x41n } }).exit
 * // { kind: "IoWrite", port: 0x3f8, width: 1, data: 0x41n }
 */
export function decodeVmx(
  snapshot: VmxSnapshot,
  options?: VmxDecodeOptions,
): DecodedExit<VmxCause> {
  const result = { exit: NO_EXIT, cause: NO_CAUSE };
  result.exit = decode(snapshot, options, result);
  return result;
}

/**
 * The exit `decodeVmx(snapshot, options)` returns, without building the cause (the same decode).
 * @example decodeVmxExit({ exitReason: 12 }) // { kind: "Halt" }
 */
export function decodeVmxExit(snapshot: VmxSnapshot, options?: VmxDecodeOptions): VmExit {
  return decode(snapshot, options, undefined);
}
