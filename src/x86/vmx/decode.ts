// decodeVmx and decodeVmxExit: one decode, told whether to build the cause. The basic exit reason
// picks a reason decoder from a table; each returns the exit and, when asked, fills in its class's
// fields of the cause whose base `makeCause` built.
import { makeCause } from "../../core/cause";
import { halt, nothing, systemDown } from "../../core/constructors";
import type { DecodedExit } from "../../core/decoded";
import { VmExitError } from "../../core/error";
import type { VmExit } from "../../core/exit";
import { bits, isSet } from "../../core/layout";
import { checkOptions } from "../../core/options";
import { hex, joinU64, toU64 } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import { hypercallExit } from "../hypercall";
import { dissectIcr, icrExit, icrNote, X86_X2APIC_BROADCAST, X86_X2APIC_ICR_MSR } from "../icr";
import { ioExit, ioNote } from "../io";
import { apicBaseOf } from "../options";
import { optionalReg64, reg32 } from "../regs";
import type { VmxCause, VmxCauseClass } from "./cause";
import { decodeApicAccess, decodeEptMisconfig, decodeEptViolation } from "./decode-memory";
import {
  checkVmxSnapshot,
  type Draft,
  needQualification,
  QUALIFICATION,
  type ReasonDecoder,
} from "./draft";
import {
  dissectInterruptionInfo,
  INTR_TYPE,
  INTR_TYPE_EXTERNAL_INTERRUPT,
  INTR_VALID,
  INTR_VECTOR,
} from "./interruption";
import {
  APIC_WRITE_OFFSET,
  CR_ACCESS_TYPE,
  CR_ACCESS_TYPES,
  CR_GPR,
  CR_LMSW_DATA,
  CR_LMSW_MEMORY,
  CR_NUMBER,
  DEBUG_BD,
  DEBUG_BREAKPOINTS,
  DEBUG_BS,
  DEBUG_RTM,
  DR_DIRECTION,
  DR_GPR,
  DR_NUMBER,
  ENTRY_FAIL_MEANINGS,
  EOI_VECTOR,
  exceptionQualificationKind,
  IO_DIRECTION,
  IO_IMMEDIATE,
  IO_PORT,
  IO_REP,
  IO_SIZE,
  IO_SIZES,
  IO_STRING,
  TASK_SWITCH_SELECTOR,
  TASK_SWITCH_SOURCE,
  TASK_SWITCH_SOURCES,
} from "./qualification";
import {
  EXIT_REASON_BASIC,
  EXIT_REASON_FAILED_VMENTRY,
  isVmxEntryFailureReason,
  VMX_EXIT_REASON_NAMES,
  VmxExitReason,
  vmxExitReasonFlags,
} from "./reasons";
import { VMX_DECODE_OPTIONS, type VmxDecodeOptions, type VmxSnapshot } from "./snapshot";

/** An empty fields object: `makeCause` builds the base and the decoder adds the fields after. */
const NO_FIELDS = Object.freeze({});

function decodeNothing(): VmExit {
  return nothing();
}

function decodeExceptionNmi(
  s: VmxSnapshot,
  lo: number,
  _hi: number,
  _o: VmxDecodeOptions | undefined,
  c: Draft | undefined,
): VmExit {
  if (c !== undefined && s.exitQualification !== undefined) {
    const kind = exceptionQualificationKind(s.exitInterruptionInfo);
    if (kind === 1) c.pageFaultAddress = c.qualification as bigint;
    else if (kind === 2) {
      c.debug = {
        breakpoints: bits(DEBUG_BREAKPOINTS, lo),
        bd: isSet(DEBUG_BD, lo),
        bs: isSet(DEBUG_BS, lo),
        rtm: isSet(DEBUG_RTM, lo),
      };
    }
  }
  return nothing();
}

function decodeExternalInterrupt(
  s: VmxSnapshot,
  _lo: number,
  _hi: number,
  _o: VmxDecodeOptions | undefined,
  c: Draft | undefined,
): VmExit {
  const info = s.exitInterruptionInfo;
  if (info === undefined || !isSet(INTR_VALID, info)) {
    throw new VmExitError(
      "missing-register",
      `exitInterruptionInfo with the valid bit (31) set is needed to decode EXTERNAL_INTERRUPT, got ${
        info === undefined ? "none" : hex(info)
      }`,
      "exitInterruptionInfo",
    );
  }
  if (bits(INTR_TYPE, info) !== INTR_TYPE_EXTERNAL_INTERRUPT) {
    throw new VmExitError(
      "reserved-encoding",
      `exitInterruptionInfo type (bits 10:8) of an EXTERNAL_INTERRUPT exit must be 0, got ${hex(info)}`,
      "exitInterruptionInfo",
    );
  }
  const vector = bits(INTR_VECTOR, info);
  if (c !== undefined) c.vector = vector;
  return unchecked.externalInterrupt(BigInt(vector));
}

function decodeTaskSwitch(
  s: VmxSnapshot,
  lo: number,
  _hi: number,
  _o: VmxDecodeOptions | undefined,
  c: Draft | undefined,
): VmExit {
  if (c !== undefined && s.exitQualification !== undefined) {
    c.selector = bits(TASK_SWITCH_SELECTOR, lo);
    c.source = TASK_SWITCH_SOURCES[bits(TASK_SWITCH_SOURCE, lo)] as (typeof TASK_SWITCH_SOURCES)[0];
  }
  return nothing();
}

function decodeInvlpg(
  _s: VmxSnapshot,
  _lo: number,
  _hi: number,
  _o: VmxDecodeOptions | undefined,
  c: Draft | undefined,
): VmExit {
  if (c?.qualification !== undefined) c.linearAddress = c.qualification;
  return nothing();
}

function decodeVmcall(
  s: VmxSnapshot,
  _lo: number,
  _hi: number,
  o: VmxDecodeOptions | undefined,
  c: Draft | undefined,
): VmExit {
  const abi = o?.hypercallAbi ?? "axvisor";
  const exit = hypercallExit(s.regs, abi, "VMCALL");
  if (c !== undefined) c.hypercallAbi = abi;
  return exit;
}

function decodeCrAccess(
  s: VmxSnapshot,
  lo: number,
  _hi: number,
  _o: VmxDecodeOptions | undefined,
  c: Draft | undefined,
): VmExit {
  if (c !== undefined && s.exitQualification !== undefined) {
    c.cr = bits(CR_NUMBER, lo);
    c.accessType = CR_ACCESS_TYPES[bits(CR_ACCESS_TYPE, lo)] as (typeof CR_ACCESS_TYPES)[0];
    c.lmswMemoryOperand = isSet(CR_LMSW_MEMORY, lo);
    c.gpr = bits(CR_GPR, lo);
    c.lmswSourceData = bits(CR_LMSW_DATA, lo);
  }
  return nothing();
}

function decodeDrAccess(
  s: VmxSnapshot,
  lo: number,
  _hi: number,
  _o: VmxDecodeOptions | undefined,
  c: Draft | undefined,
): VmExit {
  if (c !== undefined && s.exitQualification !== undefined) {
    c.dr = bits(DR_NUMBER, lo);
    c.direction = isSet(DR_DIRECTION, lo) ? "from-dr" : "to-dr";
    c.gpr = bits(DR_GPR, lo);
  }
  return nothing();
}

function decodeIo(
  s: VmxSnapshot,
  lo: number,
  _hi: number,
  _o: VmxDecodeOptions | undefined,
  c: Draft | undefined,
): VmExit {
  needQualification(s, "IO_INSTRUCTION");
  const size = IO_SIZES[bits(IO_SIZE, lo)] as 0 | 1 | 2 | 4;
  if (size === 0) {
    throw new VmExitError(
      "reserved-encoding",
      `exitQualification size field (bits 2:0) of an I/O exit must be 0, 1 or 3, got ${bits(IO_SIZE, lo)} (qualification ${hex(lo)})`,
      "exitQualification",
    );
  }
  const isIn = isSet(IO_DIRECTION, lo);
  const string = isSet(IO_STRING, lo);
  const rep = isSet(IO_REP, lo);
  const port = bits(IO_PORT, lo);
  if (c !== undefined) {
    c.size = size;
    c.direction = isIn ? "in" : "out";
    c.string = string;
    c.rep = rep;
    c.immediate = isSet(IO_IMMEDIATE, lo);
    c.port = port;
  }
  if (!string && !rep) return ioExit(s.regs, isIn, port, size, "IO_INSTRUCTION");
  if (c !== undefined) {
    const count = rep ? optionalReg64(s.regs, "rcx") : undefined;
    if (count !== undefined) c.count = count;
    if (string && s.guestLinearAddress !== undefined) {
      c.linearAddress = toU64(s.guestLinearAddress, "guestLinearAddress");
    }
    c.note = ioNote(isIn, string, rep);
  }
  return nothing();
}

function decodeMsrRead(
  s: VmxSnapshot,
  _lo: number,
  _hi: number,
  _o: VmxDecodeOptions | undefined,
  c: Draft | undefined,
): VmExit {
  const ecx = reg32(s.regs, "rcx", "MSR_READ");
  if (c !== undefined) {
    c.index = ecx;
    c.direction = "read";
  }
  return unchecked.sysRegRead(ecx, 0);
}

function decodeMsrWrite(
  s: VmxSnapshot,
  _lo: number,
  _hi: number,
  _o: VmxDecodeOptions | undefined,
  c: Draft | undefined,
): VmExit {
  const ecx = reg32(s.regs, "rcx", "MSR_WRITE");
  const eax = reg32(s.regs, "rax", "MSR_WRITE");
  const edx = reg32(s.regs, "rdx", "MSR_WRITE");
  const icr = ecx === X86_X2APIC_ICR_MSR;
  // an x2APIC ICR write is an IPI; its reserved delivery mode 3 is reported as the raw write
  const exit =
    (icr ? icrExit(eax, edx, X86_X2APIC_BROADCAST) : undefined) ??
    unchecked.sysRegWrite(ecx, joinU64(eax, edx));
  if (c !== undefined) {
    c.index = ecx;
    c.direction = "write";
    c.value = joinU64(eax, edx);
    if (icr) {
      c.icr = dissectIcr(eax, edx);
      const note = icrNote(eax, edx, X86_X2APIC_BROADCAST);
      if (note !== undefined) c.note = note;
    }
  }
  return exit;
}

function decodeEoiInduced(
  s: VmxSnapshot,
  lo: number,
  _hi: number,
  _o: VmxDecodeOptions | undefined,
  c: Draft | undefined,
): VmExit {
  if (c !== undefined && s.exitQualification !== undefined) c.vector = bits(EOI_VECTOR, lo);
  return nothing();
}

function decodeApicWrite(
  s: VmxSnapshot,
  lo: number,
  _hi: number,
  _o: VmxDecodeOptions | undefined,
  c: Draft | undefined,
): VmExit {
  if (c !== undefined && s.exitQualification !== undefined) c.offset = bits(APIC_WRITE_OFFSET, lo);
  return nothing();
}

/** A reason that always means the same exit. */
function fixed(make: () => VmExit): ReasonDecoder {
  return () => make();
}

function cpuDownZero(): VmExit {
  return unchecked.cpuDown(0n);
}

/** Reason decoders and exit classes indexed by basic exit reason (every other reason: `Nothing`, "other"). */
const DECODERS: ReasonDecoder[] = /* @__PURE__ */ Array.from({ length: 86 }, () => decodeNothing);
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

/** A VM-entry failure: the full exit reason; the qualification's meaning for reasons 33 and 34. */
function decodeEntryFailure(exitReason: number, basic: number, c: Draft | undefined): VmExit {
  if (c?.qualification !== undefined) {
    const q = c.qualification;
    if (basic === VmxExitReason.INVALID_STATE) {
      const code = q < BigInt(ENTRY_FAIL_MEANINGS.length) ? Number(q) : -1;
      c.meaning = ENTRY_FAIL_MEANINGS[code] ?? "undefined code";
    } else if (basic === VmxExitReason.MSR_LOAD_FAIL) {
      c.meaning = `MSR-load entry ${q} failed (1-based)`;
    }
  }
  return unchecked.failEntry(BigInt(exitReason));
}

/** Checks the options of a VMX decode or explanation (the APIC base must also be page-aligned). */
export function checkVmxDecodeOptions(options: VmxDecodeOptions | undefined): void {
  if (options === undefined) return;
  checkOptions(options, VMX_DECODE_OPTIONS);
  apicBaseOf(options.apicBase);
}

/** The one decode: the exit, and the cause in `result` when one is given. */
function decode(
  snapshot: VmxSnapshot,
  options: VmxDecodeOptions | undefined,
  result: { cause: VmxCause } | undefined,
): VmExit {
  const exitReason = checkVmxSnapshot(snapshot);
  const lo = QUALIFICATION.lo;
  const hi = QUALIFICATION.hi;
  checkVmxDecodeOptions(options);
  const basic = bits(EXIT_REASON_BASIC, exitReason);
  const name = VMX_EXIT_REASON_NAMES[basic];
  if (name === undefined) {
    throw new VmExitError(
      "unknown-exit-reason",
      `exitReason basic reason (bits 15:0) ${basic} (${hex(basic)}) is not a defined VMX exit reason (exitReason ${hex(exitReason)})`,
      "exitReason",
    );
  }
  const failed = isSet(EXIT_REASON_FAILED_VMENTRY, exitReason) || isVmxEntryFailureReason(basic);
  let c: Draft | undefined;
  if (result !== undefined) {
    c = makeCause(
      "x86-vmx",
      basic,
      name,
      failed ? "entry-failure" : (CLASSES[basic] as VmxCauseClass),
      NO_FIELDS,
    ) as Draft;
    c.exitReason = exitReason;
    c.flags = vmxExitReasonFlags(exitReason);
    const q = snapshot.exitQualification;
    if (q !== undefined) c.qualification = typeof q === "bigint" ? q : joinU64(lo, hi);
    const info = snapshot.exitInterruptionInfo;
    if (info !== undefined) {
      c.interruption = dissectInterruptionInfo(info, snapshot.exitInterruptionErrorCode);
    }
    if (snapshot.idtVectoringInfo !== undefined) {
      c.idtVectoring = dissectInterruptionInfo(snapshot.idtVectoringInfo);
    }
    result.cause = c as VmxCause;
  }
  if (failed) return decodeEntryFailure(exitReason, basic, c);
  return (DECODERS[basic] as ReasonDecoder)(snapshot, lo, hi, options, c);
}

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

/** Placeholders the result object starts with (replaced before it is returned). */
const NO_EXIT: VmExit = /* @__PURE__ */ nothing();
const NO_CAUSE = NO_FIELDS as VmxCause;
