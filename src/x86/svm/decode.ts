// decodeSvm and decodeSvmExit: one decode, told whether to build the cause. The exit code picks a
// code decoder from a table indexed like SVM_EXIT_CODES; each returns the exit and, when the cause
// is wanted, puts the cause of its class (built in causes.ts) in the slot it is given.
import { halt, nothing, systemDown } from "../../core/constructors";
import type { DecodedExit } from "../../core/decoded";
import { VmExitError } from "../../core/error";
import type { VmExit } from "../../core/exit";
import { checkOptions } from "../../core/options";
import { hex, highHalf, joinU64, splitOptionalU64Low, toInt } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import { needField, optionalU64 } from "../fields";
import { hypercallExit } from "../hypercall";
import {
  dissectIcr,
  icrExit,
  icrNote,
  X86_X2APIC_BROADCAST,
  X86_X2APIC_ICR_MSR,
  X86_XAPIC_BROADCAST,
} from "../icr";
import { ioExit, ioNote } from "../io";
import { apicBaseOf } from "../options";
import { optionalReg64, reg32Of } from "../regs";
import type { SvmCause, SvmCauseClass } from "./cause";
import {
  avicIncompleteIpiCause,
  crAccessCause,
  crWriteTrapCause,
  drAccessCause,
  entryFailureCause,
  exceptionCause,
  interruptCause,
  intInfoOf,
  invlpgCause,
  ioCause,
  msrCause,
  otherCause,
  taskSwitchCause,
  vmgexitCause,
  vmmcallCause,
} from "./causes";
import { SVM_EXIT_CODES, SvmExitCode, svmExitCodeIndex } from "./codes";
import { decodeAvicUnacceleratedAccess, decodeNpf } from "./decode-memory";
import {
  ERROR_CODE_VECTORS,
  exceptionName,
  IO_SIZES,
  Ioio,
  SVM_AVIC_IPI_FAILURES,
} from "./exitinfo";
import { ghcbMsrRequest } from "./ghcb";
import {
  type CauseSlot,
  type CodeDecoder,
  checkInfo,
  checkIntInfo,
  checkSvmSnapshot,
  INFO1,
  INFO2,
  readInfo1,
  readInfo2,
  u64Of,
} from "./read";
import { SVM_DECODE_OPTIONS, type SvmDecodeOptions, type SvmSnapshot } from "./snapshot";

function decodeOther(
  s: SvmSnapshot,
  code: number,
  _o: SvmDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const i1 = s.exitInfo1;
  const i2 = s.exitInfo2;
  checkInfo(i1, "exitInfo1");
  checkInfo(i2, "exitInfo2");
  const info = s.exitIntInfo;
  const err = s.exitIntInfoErrorCode;
  checkIntInfo(info, err);
  if (out !== undefined) {
    out.cause = otherCause(code, intInfoOf(info, err), u64Of(i1), u64Of(i2));
  }
  return nothing();
}

/** A code that always means the same exit, with the cause of "other". */
function fixed(make: () => VmExit): CodeDecoder {
  return (s, code, o, out) => {
    decodeOther(s, code, o, out);
    return make();
  };
}

function cpuDownZero(): VmExit {
  return unchecked.cpuDown(0n);
}

/** MOV to or from a control or debug register (EXITINFO1: the GPR and the MOV-valid bit). */
function movCrDr(causeOf: typeof crAccessCause | typeof drAccessCause): CodeDecoder {
  return (s, code, _o, out) => {
    const i1 = s.exitInfo1;
    readInfo1(i1);
    checkInfo(s.exitInfo2, "exitInfo2");
    const info = s.exitIntInfo;
    const err = s.exitIntInfoErrorCode;
    checkIntInfo(info, err);
    if (out !== undefined) {
      out.cause = causeOf(code, intInfoOf(info, err), i1 !== undefined, INFO1.lo, INFO1.hi);
    }
    return nothing();
  };
}

const decodeCrAccess = /* @__PURE__ */ movCrDr(crAccessCause);
const decodeDrAccess = /* @__PURE__ */ movCrDr(drAccessCause);

/** CR write traps and INVLPG: `Nothing`, the cause carrying EXITINFO1 (the value, the address). */
function fromInfo1(causeOf: typeof crWriteTrapCause | typeof invlpgCause): CodeDecoder {
  return (s, code, _o, out) => {
    const i1 = s.exitInfo1;
    checkInfo(i1, "exitInfo1");
    checkInfo(s.exitInfo2, "exitInfo2");
    const info = s.exitIntInfo;
    const err = s.exitIntInfoErrorCode;
    checkIntInfo(info, err);
    if (out !== undefined) out.cause = causeOf(code, intInfoOf(info, err), u64Of(i1));
    return nothing();
  };
}

const decodeCrWriteTrap = /* @__PURE__ */ fromInfo1(crWriteTrapCause);
const decodeInvlpg = /* @__PURE__ */ fromInfo1(invlpgCause);

function decodeException(
  s: SvmSnapshot,
  code: number,
  _o: SvmDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const i1 = s.exitInfo1;
  const i2 = s.exitInfo2;
  readInfo1(i1);
  checkInfo(i2, "exitInfo2");
  const info = s.exitIntInfo;
  const err = s.exitIntInfoErrorCode;
  checkIntInfo(info, err);
  if (out !== undefined) {
    const vector = code - SvmExitCode.EXCP_BASE;
    out.cause = exceptionCause(
      code,
      intInfoOf(info, err),
      exceptionName(vector),
      i1 !== undefined && ERROR_CODE_VECTORS[vector] === true ? INFO1.lo : undefined,
      vector === 14 ? u64Of(i2) : undefined,
    );
  }
  return nothing();
}

function decodeInterrupt(
  s: SvmSnapshot,
  code: number,
  _o: SvmDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  checkInfo(s.exitInfo1, "exitInfo1");
  checkInfo(s.exitInfo2, "exitInfo2");
  const info = s.exitIntInfo;
  const err = s.exitIntInfoErrorCode;
  checkIntInfo(info, err);
  const v = s.interruptVector;
  if (v === undefined) {
    throw new VmExitError(
      "missing-register",
      "interruptVector is needed to decode INTR (SVM does not report the vector: give the one the host acknowledged) but is absent",
      "interruptVector",
    );
  }
  const vector =
    typeof v === "number" && v >>> 0 === v && v <= 0xff ? v : toInt(v, "interruptVector", 0, 0xff);
  if (out !== undefined) out.cause = interruptCause(code, intInfoOf(info, err), vector);
  return unchecked.externalInterrupt(joinU64(vector, 0));
}

function decodeIo(
  s: SvmSnapshot,
  code: number,
  _o: SvmDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const i1 = s.exitInfo1;
  const i2 = s.exitInfo2;
  const lo = splitOptionalU64Low(i1, "exitInfo1");
  const hi = highHalf();
  checkInfo(i2, "exitInfo2");
  const info = s.exitIntInfo;
  const err = s.exitIntInfoErrorCode;
  checkIntInfo(info, err);
  needField(i1, "exitInfo1", "IOIO");
  const size = IO_SIZES[(lo >>> Ioio.SIZE) & 7] as 0 | 1 | 2 | 4;
  if (size === 0) {
    throw new VmExitError(
      "reserved-encoding",
      `exitInfo1 operand size (bits 6:4: SZ32, SZ16, SZ8) of an IOIO exit must have exactly one bit set, got ${(lo >>> Ioio.SIZE) & 7} (exitInfo1 ${hex(joinU64(lo, hi))})`,
      "exitInfo1",
    );
  }
  const isIn = ((lo >>> Ioio.TYPE) & 1) !== 0;
  const string = ((lo >>> Ioio.STR) & 1) !== 0;
  const rep = ((lo >>> Ioio.REP) & 1) !== 0;
  if (!string && !rep) {
    const exit = ioExit(s.regs, isIn, lo >>> Ioio.PORT, size, "IOIO");
    if (out !== undefined) {
      out.cause = ioCause(code, intInfoOf(info, err), lo, size, u64Of(i2), undefined, undefined);
    }
    return exit;
  }
  if (out !== undefined) {
    const count = rep ? optionalReg64(s.regs, "rcx") : undefined;
    out.cause = ioCause(
      code,
      intInfoOf(info, err),
      lo,
      size,
      u64Of(i2),
      count,
      ioNote(isIn, string, rep),
    );
  } else if (rep) {
    optionalReg64(s.regs, "rcx");
  }
  return nothing();
}

function decodeMsr(
  s: SvmSnapshot,
  code: number,
  _o: SvmDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const i1 = s.exitInfo1;
  readInfo1(i1);
  checkInfo(s.exitInfo2, "exitInfo2");
  const info = s.exitIntInfo;
  const err = s.exitIntInfoErrorCode;
  checkIntInfo(info, err);
  needField(i1, "exitInfo1", "MSR");
  const rw = INFO1.lo;
  if (INFO1.hi !== 0 || rw > 1) {
    throw new VmExitError(
      "reserved-encoding",
      `exitInfo1 of an MSR exit must be 0 (RDMSR) or 1 (WRMSR), got ${hex(joinU64(rw, INFO1.hi))}`,
      "exitInfo1",
    );
  }
  const regs = s.regs;
  const ecx = reg32Of(regs?.rcx, "rcx", "MSR");
  if (rw === 0) {
    if (out !== undefined) {
      out.cause = msrCause(
        code,
        intInfoOf(info, err),
        ecx,
        "read",
        undefined,
        undefined,
        undefined,
      );
    }
    return unchecked.sysRegRead(ecx, 0);
  }
  const eax = reg32Of(regs?.rax, "rax", "MSR");
  const edx = reg32Of(regs?.rdx, "rdx", "MSR");
  const icr = ecx === X86_X2APIC_ICR_MSR;
  const value = joinU64(eax, edx);
  // an x2APIC ICR write is an IPI; its reserved delivery mode 3 is reported as the raw write
  const exit =
    (icr ? icrExit(eax, edx, X86_X2APIC_BROADCAST) : undefined) ??
    unchecked.sysRegWrite(ecx, value);
  if (out !== undefined) {
    out.cause = msrCause(
      code,
      intInfoOf(info, err),
      ecx,
      "write",
      value,
      icr ? dissectIcr(eax, edx) : undefined,
      icr ? icrNote(eax, edx, X86_X2APIC_BROADCAST) : undefined,
    );
  }
  return exit;
}

function decodeTaskSwitch(
  s: SvmSnapshot,
  code: number,
  _o: SvmDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const i1 = s.exitInfo1;
  const i2 = s.exitInfo2;
  readInfo1(i1);
  readInfo2(i2);
  const info = s.exitIntInfo;
  const err = s.exitIntInfoErrorCode;
  checkIntInfo(info, err);
  if (out !== undefined) {
    out.cause = taskSwitchCause(
      code,
      intInfoOf(info, err),
      i1 !== undefined,
      INFO1.lo,
      i2 !== undefined,
      INFO2.lo,
      INFO2.hi,
    );
  }
  return nothing();
}

function decodeVmmcall(
  s: SvmSnapshot,
  code: number,
  o: SvmDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  checkInfo(s.exitInfo1, "exitInfo1");
  checkInfo(s.exitInfo2, "exitInfo2");
  const info = s.exitIntInfo;
  const err = s.exitIntInfoErrorCode;
  checkIntInfo(info, err);
  const abi = o?.hypercallAbi ?? "axvisor";
  const exit = hypercallExit(s.regs, abi, "VMMCALL");
  if (out !== undefined) out.cause = vmmcallCause(code, intInfoOf(info, err), abi);
  return exit;
}

function decodeAvicIncompleteIpi(
  s: SvmSnapshot,
  code: number,
  o: SvmDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const i1 = s.exitInfo1;
  const i2 = s.exitInfo2;
  readInfo1(i1);
  readInfo2(i2);
  const info = s.exitIntInfo;
  const err = s.exitIntInfoErrorCode;
  checkIntInfo(info, err);
  needField(i1, "exitInfo1", "AVIC_INCOMPLETE_IPI");
  const x2apic = o?.x2apic === true;
  const lo = INFO1.lo;
  // x2APIC: the destination is ICR[63:32]; xAPIC: ICR[63:56]
  const destination = x2apic ? INFO1.hi : INFO1.hi >>> 24;
  const broadcast = x2apic ? X86_X2APIC_BROADCAST : X86_XAPIC_BROADCAST;
  // the reserved delivery mode 3 sends nothing, and (unlike WRMSR) there is no raw write to report
  const exit = icrExit(lo, destination, broadcast) ?? nothing();
  if (out !== undefined) {
    const given = i2 !== undefined;
    out.cause = avicIncompleteIpiCause(
      code,
      intInfoOf(info, err),
      dissectIcr(lo, destination),
      x2apic,
      given ? (SVM_AVIC_IPI_FAILURES[INFO2.hi] ?? "reserved") : undefined,
      given ? INFO2.lo & 0x1ff : undefined,
      icrNote(lo, destination, broadcast),
    );
  }
  return exit;
}

function decodeVmgexit(
  s: SvmSnapshot,
  code: number,
  _o: SvmDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const i1 = s.exitInfo1;
  const i2 = s.exitInfo2;
  checkInfo(i1, "exitInfo1");
  checkInfo(i2, "exitInfo2");
  const info = s.exitIntInfo;
  const err = s.exitIntInfoErrorCode;
  checkIntInfo(info, err);
  const ghcb = s.ghcbGpa;
  const ghcbGpa = optionalU64(ghcb, "ghcbGpa");
  if (out !== undefined) {
    // GHCB GPA bits 11:0 non-zero: the value is a GHCB MSR protocol request, not a page address
    const lo = ghcbGpa === undefined ? 0 : Number(ghcbGpa & 0xffff_ffffn);
    const protocol =
      ghcbGpa !== undefined && (lo & 0xfff) !== 0
        ? ghcbMsrRequest(ghcbGpa, lo, Number(ghcbGpa >> 32n))
        : undefined;
    out.cause = vmgexitCause(code, intInfoOf(info, err), ghcbGpa, protocol, u64Of(i1), u64Of(i2));
  }
  return nothing();
}

/** −1 … −4: VMRUN failed; the exit is the whole EXITCODE. */
function decodeEntryFailure(
  s: SvmSnapshot,
  code: number,
  _o: SvmDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const i1 = s.exitInfo1;
  const i2 = s.exitInfo2;
  checkInfo(i1, "exitInfo1");
  checkInfo(i2, "exitInfo2");
  const info = s.exitIntInfo;
  const err = s.exitIntInfoErrorCode;
  checkIntInfo(info, err);
  const exitCode = (SVM_EXIT_CODES[svmExitCodeIndex(code)] as { exitCode: bigint }).exitCode;
  if (out !== undefined) {
    out.cause = entryFailureCause(code, intInfoOf(info, err), exitCode, u64Of(i1), u64Of(i2));
  }
  return unchecked.failEntry(exitCode);
}

/** The exit codes as numbers, indexed like `SVM_EXIT_CODES`. */
const CODE_NUMBERS: readonly number[] = /* @__PURE__ */ SVM_EXIT_CODES.map((c) => c.code);

/** Code decoders and exit classes indexed like `SVM_EXIT_CODES` (every other code: `Nothing`, "other"). */
const DECODERS: CodeDecoder[] = /* @__PURE__ */ SVM_EXIT_CODES.map(() => decodeOther);
const CLASSES: SvmCauseClass[] = /* @__PURE__ */ SVM_EXIT_CODES.map(() => "other");

function codes(from: number, to: number, cls: SvmCauseClass, decoder: CodeDecoder): void {
  // over the defined codes, not the range: 0x8000_0001 … 0x8000_FFFF alone is 65,535 numbers, a
  // few milliseconds of every start (and every worker thread's)
  CODE_NUMBERS.forEach((code, i) => {
    if (code < from || code > to) return;
    DECODERS[i] = decoder;
    CLASSES[i] = cls;
  });
}
codes(0x000, 0x01f, "cr-access", decodeCrAccess);
codes(0x020, 0x03f, "dr-access", decodeDrAccess);
codes(0x040, 0x05f, "exception", decodeException);
codes(SvmExitCode.INTR, SvmExitCode.INTR, "interrupt", decodeInterrupt);
codes(SvmExitCode.INIT, SvmExitCode.INIT, "other", fixed(cpuDownZero));
codes(SvmExitCode.CR0_SEL_WRITE, SvmExitCode.CR0_SEL_WRITE, "cr-access", decodeCrAccess);
codes(SvmExitCode.HLT, SvmExitCode.HLT, "other", fixed(halt));
codes(SvmExitCode.INVLPG, SvmExitCode.INVLPG, "invlpg", decodeInvlpg);
codes(SvmExitCode.IOIO, SvmExitCode.IOIO, "io", decodeIo);
codes(SvmExitCode.MSR, SvmExitCode.MSR, "msr", decodeMsr);
codes(SvmExitCode.TASK_SWITCH, SvmExitCode.TASK_SWITCH, "task-switch", decodeTaskSwitch);
codes(SvmExitCode.SHUTDOWN, SvmExitCode.SHUTDOWN, "other", fixed(systemDown));
codes(SvmExitCode.VMMCALL, SvmExitCode.VMMCALL, "vmmcall", decodeVmmcall);
codes(SvmExitCode.MWAIT, SvmExitCode.MWAIT, "other", fixed(halt));
codes(SvmExitCode.EFER_WRITE_TRAP, 0x09f, "cr-write-trap", decodeCrWriteTrap);
codes(SvmExitCode.IDLE_HLT, SvmExitCode.IDLE_HLT, "other", fixed(halt));
codes(SvmExitCode.NPF, SvmExitCode.NPF, "npf", decodeNpf);
codes(
  SvmExitCode.AVIC_INCOMPLETE_IPI,
  SvmExitCode.AVIC_INCOMPLETE_IPI,
  "avic-incomplete-ipi",
  decodeAvicIncompleteIpi,
);
codes(
  SvmExitCode.AVIC_UNACCELERATED_ACCESS,
  SvmExitCode.AVIC_UNACCELERATED_ACCESS,
  "avic-unaccelerated-access",
  decodeAvicUnacceleratedAccess,
);
codes(SvmExitCode.VMGEXIT, SvmExitCode.VMGEXIT, "vmgexit", decodeVmgexit);
codes(0x8000_0001, 0x8000_ffff, "vmgexit", decodeVmgexit);
codes(-4, -1, "entry-failure", decodeEntryFailure);

/** The class of the cause `decodeSvm` gives for a defined exit code (as `svmExitCodeOf` numbers it). */
export function svmCauseClassOf(code: number): SvmCauseClass {
  return CLASSES[svmExitCodeIndex(code)] ?? "other";
}

/** Checks the options of an SVM decode or explanation (the APIC base must also be page-aligned). */
export function checkSvmDecodeOptions(options: SvmDecodeOptions | undefined): void {
  if (options === undefined) return;
  checkOptions(options, SVM_DECODE_OPTIONS);
  apicBaseOf(options.apicBase);
}

/** The one decode: the exit; when `out` is given, the cause too, in `out.cause`. */
function decode(
  snapshot: SvmSnapshot,
  options: SvmDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const i = checkSvmSnapshot(snapshot);
  checkSvmDecodeOptions(options);
  const code = CODE_NUMBERS[i] as number;
  // the commonest exits are called directly (the engine can inline them); the call through the
  // table sees every decoder and stays a generic call (measured: NPF and IOIO direct, exit-only
  // decode +3–5 %; MSR and INTR direct too, 3 % fewer instructions a decodeSvm on the bench mix)
  if (code === SvmExitCode.NPF) return decodeNpf(snapshot, code, options, out);
  if (code === SvmExitCode.IOIO) return decodeIo(snapshot, code, options, out);
  if (code === SvmExitCode.MSR) return decodeMsr(snapshot, code, options, out);
  if (code === SvmExitCode.INTR) return decodeInterrupt(snapshot, code, options, out);
  return (DECODERS[i] as CodeDecoder)(snapshot, code, options, out);
}

/** Placeholders the result object starts with (replaced before it is returned). */
const NO_EXIT: VmExit = /* @__PURE__ */ nothing();
const NO_CAUSE = undefined as unknown as SvmCause;

/**
 * Decodes raw SVM #VMEXIT state (EXITCODE, EXITINFO1/2, EXITINTINFO, decode-assist bytes and guest
 * registers) into the typed exit and a cause dissecting it, discriminated by `class`. Rejects only
 * state the hardware cannot produce (`VmExitError`); anything the guest chose gives the closest exit.
 * @example
 * decodeSvm({ exitCode: 0x7b, exitInfo1: 0x3f80010, regs: { rax: 0x41n } }).exit
 * // { kind: "IoWrite", port: 0x3f8, width: 1, data: 0x41n }
 */
export function decodeSvm(
  snapshot: SvmSnapshot,
  options?: SvmDecodeOptions,
): DecodedExit<SvmCause> {
  const result = { exit: NO_EXIT, cause: NO_CAUSE };
  result.exit = decode(snapshot, options, result);
  return result;
}

/**
 * The exit `decodeSvm(snapshot, options)` returns, without building the cause (the same decode).
 * @example decodeSvmExit({ exitCode: 0x78 }) // { kind: "Halt" }
 */
export function decodeSvmExit(snapshot: SvmSnapshot, options?: SvmDecodeOptions): VmExit {
  return decode(snapshot, options, undefined);
}
