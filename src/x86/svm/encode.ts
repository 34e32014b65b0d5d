// encodeSvm and canEncodeSvm: the SVM #VMEXIT state that decodes back to a given exit, or why
// there is none. One planner per exit kind; the shared x86 parts (hypercall ABIs, I/O, the ICR,
// the MMIO instruction) supply the registers and instruction bytes.
import { checkArg } from "../../core/check-arg";
import { VmExitError } from "../../core/error";
import type { ExitKind, ExitOf, VmExit } from "../../core/exit";
import { isVmExit } from "../../core/guards";
import { bits } from "../../core/layout";
import { checkOptions } from "../../core/options";
import { MappingFlags } from "../../core/scalars/mapping-flags";
import { hex } from "../../core/u64";
import { hypercallRegs } from "../hypercall";
import {
  ICR_DELIVERY_MODE,
  ICR_RESERVED_DELIVERY_MODE,
  X86_X2APIC_ICR_MSR,
  x2apicIcrOf,
} from "../icr";
import type { X86CpuMode } from "../insn/access";
import { ioRegs } from "../io";
import { mmioInstruction } from "../mmio";
import { Unencodable } from "../unencodable";
import { SVM_EXIT_CODES, SvmExitCode } from "./codes";
import { SVM_ENCODE_OPTIONS, type SvmEncodeOptions, type SvmSnapshot } from "./snapshot";

type Plan = SvmSnapshot | Unencodable;
type Planner<K extends ExitKind> = (exit: ExitOf<K>, options?: SvmEncodeOptions) => Plan;

/**
 * NPF error codes the encoder writes (EXITINFO1): bit 32 (the final guest-physical address) and
 * US (bit 2, set on every nested walk), with RW (bit 1) for a write and ID (bit 4) for a fetch.
 */
const NPF_READ = 0x1_0000_0004n;
const NPF_WRITE = 0x1_0000_0006n;
const NPF_FETCH = 0x1_0000_0014n;

/** IOIO EXITINFO1 address-size bit by CPU mode (A16 bit 7, A32 bit 8, A64 bit 9). */
const IO_ADDRESS_SIZE_BIT: Readonly<Record<X86CpuMode, number>> = {
  16: 0x80,
  32: 0x100,
  64: 0x200,
};

/** The VMRUN failure codes as EXITCODE values (2^64 − 1 … 2^64 − 4). */
const ENTRY_FAILURES: readonly bigint[] = /* @__PURE__ */ SVM_EXIT_CODES.filter(
  (c) => c.code < 0,
).map((c) => c.exitCode);

const PLANNERS: { readonly [K in ExitKind]: Planner<K> } = {
  Hypercall: (exit, options) => {
    const regs = hypercallRegs(exit, options?.hypercallAbi ?? "axvisor");
    if (regs instanceof Unencodable) return regs;
    return { exitCode: SvmExitCode.VMMCALL, regs };
  },
  MmioRead: (exit, options) => mmioPlan(exit, options, NPF_READ),
  MmioWrite: (exit, options) => mmioPlan(exit, options, NPF_WRITE),
  SysRegRead: (exit) => {
    if (exit.reg !== 0) {
      return new Unencodable(
        "reg",
        `RDMSR always returns the value in EDX:EAX (reg 0), got reg ${exit.reg}`,
      );
    }
    return { exitCode: SvmExitCode.MSR, exitInfo1: 0, exitInfo2: 0, regs: { rcx: exit.addr } };
  },
  SysRegWrite: (exit) => {
    const lo = Number(exit.value & 0xffff_ffffn);
    if (
      exit.addr === X86_X2APIC_ICR_MSR &&
      bits(ICR_DELIVERY_MODE, lo) !== ICR_RESERVED_DELIVERY_MODE
    ) {
      return new Unencodable(
        "value",
        `a WRMSR to 0x830 (x2APIC ICR) is SendIPI, CpuUp or Nothing unless its delivery mode (bits 10:8) is the reserved 3, got ${hex(exit.value)}`,
      );
    }
    return {
      exitCode: SvmExitCode.MSR,
      exitInfo1: 1,
      exitInfo2: 0,
      regs: { rcx: exit.addr, rax: exit.value & 0xffff_ffffn, rdx: exit.value >> 32n },
    };
  },
  IoRead: (exit, options) => ioPlan(exit, options),
  IoWrite: (exit, options) => ioPlan(exit, options),
  ExternalInterrupt: (exit) => {
    if (exit.vector > 0xffn) {
      return new Unencodable("vector", `vectors are 8 bits, got ${hex(exit.vector)}`);
    }
    // INTR reports no vector: the host acknowledges it, and the snapshot carries it
    return { exitCode: SvmExitCode.INTR, interruptVector: Number(exit.vector) };
  },
  NestedPageFault: (exit) => {
    const f = exit.accessFlags;
    const errorCode =
      f === MappingFlags.READ
        ? NPF_READ
        : f === MappingFlags.WRITE
          ? NPF_WRITE
          : f === MappingFlags.EXECUTE
            ? NPF_FETCH
            : undefined;
    if (errorCode === undefined) {
      return new Unencodable(
        "accessFlags",
        `an NPF reports one access, READ, WRITE or EXECUTE, got ${hex(f)}`,
      );
    }
    return { exitCode: SvmExitCode.NPF, exitInfo1: errorCode, exitInfo2: exit.addr };
  },
  Halt: () => ({ exitCode: SvmExitCode.HLT }),
  CpuUp: (exit) => icrPlan(exit),
  CpuDown: (exit) => {
    if (exit.state !== 0n) {
      return new Unencodable("state", `an INIT carries no state, got ${hex(exit.state)}`);
    }
    return { exitCode: SvmExitCode.INIT };
  },
  SystemDown: () => ({ exitCode: SvmExitCode.SHUTDOWN }),
  Nothing: () => ({ exitCode: SvmExitCode.CPUID }),
  FailEntry: (exit) => {
    const v = exit.hardwareEntryFailureReason;
    if (!ENTRY_FAILURES.includes(v)) {
      return new Unencodable(
        "hardwareEntryFailureReason",
        `SVM reports a failed VMRUN as EXITCODE −1 … −4 (0xffffffffffffffff … 0xfffffffffffffffc), got ${hex(v)}`,
      );
    }
    return { exitCode: v };
  },
  SendIPI: (exit) => icrPlan(exit),
};

function mmioPlan(
  exit: ExitOf<"MmioRead"> | ExitOf<"MmioWrite">,
  options: SvmEncodeOptions | undefined,
  errorCode: bigint,
): Plan {
  const insn = mmioInstruction(exit, options?.cpuMode ?? 64, "amd");
  if (insn instanceof Unencodable) return insn;
  return {
    exitCode: SvmExitCode.NPF,
    exitInfo1: errorCode,
    exitInfo2: exit.addr,
    instructionBytes: insn.bytes,
    regs: insn.regs,
  };
}

function ioPlan(
  exit: ExitOf<"IoRead"> | ExitOf<"IoWrite">,
  options: SvmEncodeOptions | undefined,
): Plan {
  const regs = ioRegs(exit);
  if (regs instanceof Unencodable) return regs;
  // IN eAX, DX / OUT DX, eAX: TYPE (bit 0) for IN, the one-hot size (SZ8 bit 4, SZ16 bit 5, SZ32
  // bit 6), the address size of the mode, the port in bits 31:16
  const info1 =
    (exit.kind === "IoRead" ? 1 : 0) |
    (exit.width << 4) |
    IO_ADDRESS_SIZE_BIT[options?.cpuMode ?? 64] |
    (exit.port << 16);
  return { exitCode: SvmExitCode.IOIO, exitInfo1: info1 >>> 0, regs };
}

function icrPlan(exit: ExitOf<"SendIPI"> | ExitOf<"CpuUp">): Plan {
  const icr = x2apicIcrOf(exit);
  if (icr instanceof Unencodable) return icr;
  return {
    exitCode: SvmExitCode.MSR,
    exitInfo1: 1,
    exitInfo2: 0,
    regs: { rcx: X86_X2APIC_ICR_MSR, rax: BigInt(icr.lo), rdx: BigInt(icr.hi) },
  };
}

function plan(exit: VmExit, options?: SvmEncodeOptions): Plan {
  return (PLANNERS[exit.kind] as Planner<ExitKind>)(exit, options);
}

/**
 * Encodes an exit as SVM #VMEXIT state that `decodeSvm` (same options) decodes back to it; throws
 * `VmExitError("unrepresentable")` naming the field when SVM cannot express it.
 * @example encodeSvm({ kind: "Halt" }) // { exitCode: 0x78 }
 */
export function encodeSvm(exit: VmExit, options?: SvmEncodeOptions): SvmSnapshot {
  checkArg(exit, "exit", "exit");
  checkOptions(options, SVM_ENCODE_OPTIONS);
  const result = plan(exit, options);
  if (result instanceof Unencodable) {
    throw new VmExitError(
      "unrepresentable",
      `${exit.kind} cannot be expressed on SVM: ${result.why}`,
      result.field,
    );
  }
  return result;
}

/** True exactly when `encodeSvm(exit, options)` succeeds; never throws. */
export function canEncodeSvm(exit: VmExit, options?: SvmEncodeOptions): boolean {
  if (!isVmExit(exit)) return false;
  try {
    checkOptions(options, SVM_ENCODE_OPTIONS);
  } catch {
    return false;
  }
  return !(plan(exit, options) instanceof Unencodable);
}
