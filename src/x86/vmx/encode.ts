// encodeVmx and canEncodeVmx: the VMX exit state that decodes back to a given exit, or why there
// is none. One planner per exit kind; the shared x86 parts (hypercall ABIs, I/O, the ICR, the MMIO
// instruction) supply the registers and instruction bytes.
import { show, VmExitError } from "../../core/error";
import type { ExitKind, ExitOf, VmExit } from "../../core/exit";
import { isVmExit } from "../../core/guards";
import { bits } from "../../core/layout";
import { checkOptions } from "../../core/options";
import { hex } from "../../core/u64";
import { hypercallRegs } from "../hypercall";
import {
  ICR_DELIVERY_MODE,
  ICR_RESERVED_DELIVERY_MODE,
  X86_X2APIC_ICR_MSR,
  x2apicIcrOf,
} from "../icr";
import { ioRegs } from "../io";
import { mmioInstruction } from "../mmio";
import { Unencodable } from "../unencodable";
import { IO_DIRECTION, IO_PORT } from "./qualification";
import { isVmxEntryFailureReason, VMX_EXIT_REASON_NAMES, VmxExitReason } from "./reasons";
import { VMX_ENCODE_OPTIONS, type VmxEncodeOptions, type VmxSnapshot } from "./snapshot";

type Plan = VmxSnapshot | Unencodable;
type Planner<K extends ExitKind> = (exit: ExitOf<K>, options?: VmxEncodeOptions) => Plan;

/** EPT-violation qualifications the encoder writes: data read / write, GLA valid, final translation. */
const EPT_READ_QUALIFICATION = 0x181;
const EPT_WRITE_QUALIFICATION = 0x182;

/** Instruction lengths: VMCALL 0F 01 C1, RDMSR 0F 32, WRMSR 0F 30, CPUID 0F A2, HLT F4, IN/OUT DX EC/EE. */
const VMCALL_LENGTH = 3;
const MSR_LENGTH = 2;
const CPUID_LENGTH = 2;
const ONE_BYTE = 1;

const PLANNERS: { readonly [K in ExitKind]: Planner<K> } = {
  Hypercall: (exit, options) => {
    const regs = hypercallRegs(exit, options?.hypercallAbi ?? "axvisor");
    if (regs instanceof Unencodable) return regs;
    return { exitReason: VmxExitReason.VMCALL, instructionLength: VMCALL_LENGTH, regs };
  },
  MmioRead: (exit, options) => mmioPlan(exit, options, EPT_READ_QUALIFICATION),
  MmioWrite: (exit, options) => mmioPlan(exit, options, EPT_WRITE_QUALIFICATION),
  SysRegRead: (exit) => {
    if (exit.reg !== 0) {
      return new Unencodable(
        "reg",
        `RDMSR always returns the value in EDX:EAX (reg 0), got reg ${exit.reg}`,
      );
    }
    return {
      exitReason: VmxExitReason.MSR_READ,
      instructionLength: MSR_LENGTH,
      regs: { rcx: exit.addr },
    };
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
      exitReason: VmxExitReason.MSR_WRITE,
      instructionLength: MSR_LENGTH,
      regs: { rcx: exit.addr, rax: exit.value & 0xffff_ffffn, rdx: exit.value >> 32n },
    };
  },
  IoRead: (exit) => ioPlan(exit),
  IoWrite: (exit) => ioPlan(exit),
  ExternalInterrupt: (exit) => {
    if (exit.vector > 0xffn) {
      return new Unencodable("vector", `vectors are 8 bits, got ${hex(exit.vector)}`);
    }
    // valid (bit 31) | type 0 (external interrupt) | vector
    return {
      exitReason: VmxExitReason.EXTERNAL_INTERRUPT,
      exitInterruptionInfo: (0x8000_0000 | Number(exit.vector)) >>> 0,
    };
  },
  NestedPageFault: (exit) => {
    if ((exit.accessFlags & ~7) !== 0) {
      return new Unencodable(
        "accessFlags",
        `an EPT violation reports only READ, WRITE and EXECUTE, got ${hex(exit.accessFlags)}`,
      );
    }
    // qualification bits 2:0 are the access in MappingFlags order
    return {
      exitReason: VmxExitReason.EPT_VIOLATION,
      exitQualification: exit.accessFlags,
      guestPhysicalAddress: exit.addr,
    };
  },
  Halt: () => ({ exitReason: VmxExitReason.HLT, instructionLength: ONE_BYTE }),
  CpuUp: (exit) => icrPlan(exit),
  CpuDown: (exit) => {
    if (exit.state !== 0n) {
      return new Unencodable("state", `an INIT signal carries no state, got ${hex(exit.state)}`);
    }
    return { exitReason: VmxExitReason.INIT_SIGNAL };
  },
  SystemDown: () => ({ exitReason: VmxExitReason.TRIPLE_FAULT }),
  Nothing: () => ({ exitReason: VmxExitReason.CPUID, instructionLength: CPUID_LENGTH }),
  FailEntry: (exit) => {
    const v = exit.hardwareEntryFailureReason;
    if (v > 0xffff_ffffn) {
      return new Unencodable(
        "hardwareEntryFailureReason",
        `the exit reason is 32 bits, got ${hex(v)}`,
      );
    }
    const reason = Number(v);
    const basic = reason & 0xffff;
    if (VMX_EXIT_REASON_NAMES[basic] === undefined) {
      return new Unencodable(
        "hardwareEntryFailureReason",
        `basic reason ${basic} is undefined (${hex(v)})`,
      );
    }
    if (reason >>> 31 !== 1 && !isVmxEntryFailureReason(basic)) {
      return new Unencodable(
        "hardwareEntryFailureReason",
        `${hex(v)} has neither bit 31 set nor basic reason 33, 34 or 41`,
      );
    }
    return { exitReason: reason };
  },
  SendIPI: (exit) => icrPlan(exit),
};

function mmioPlan(
  exit: ExitOf<"MmioRead"> | ExitOf<"MmioWrite">,
  options: VmxEncodeOptions | undefined,
  qualification: number,
): Plan {
  const insn = mmioInstruction(exit, options?.cpuMode ?? 64, "intel");
  if (insn instanceof Unencodable) return insn;
  return {
    exitReason: VmxExitReason.EPT_VIOLATION,
    exitQualification: qualification,
    guestPhysicalAddress: exit.addr,
    guestLinearAddress: insn.linearAddress,
    instructionLength: insn.bytes.length,
    instructionBytes: insn.bytes,
    regs: insn.regs,
  };
}

function ioPlan(exit: ExitOf<"IoRead"> | ExitOf<"IoWrite">): Plan {
  const regs = ioRegs(exit);
  if (regs instanceof Unencodable) return regs;
  // IN eAX, DX / OUT DX, eAX: size − 1 in bits 2:0, IN in bit 3, the port in bits 31:16
  const q = (exit.width - 1) | (exit.kind === "IoRead" ? 1 << IO_DIRECTION.lo : 0);
  return {
    exitReason: VmxExitReason.IO_INSTRUCTION,
    exitQualification: (q | (exit.port << IO_PORT.lo)) >>> 0,
    instructionLength: ONE_BYTE,
    regs,
  };
}

function icrPlan(exit: ExitOf<"SendIPI"> | ExitOf<"CpuUp">): Plan {
  const icr = x2apicIcrOf(exit);
  if (icr instanceof Unencodable) return icr;
  return {
    exitReason: VmxExitReason.MSR_WRITE,
    instructionLength: MSR_LENGTH,
    regs: { rcx: X86_X2APIC_ICR_MSR, rax: BigInt(icr.lo), rdx: BigInt(icr.hi) },
  };
}

function plan(exit: VmExit, options?: VmxEncodeOptions): Plan {
  return (PLANNERS[exit.kind] as Planner<ExitKind>)(exit, options);
}

/**
 * Encodes an exit as VMX exit state that `decodeVmx` (same options) decodes back to it; throws
 * `VmExitError("unrepresentable")` naming the field when VMX cannot express it.
 * @example encodeVmx({ kind: "Halt" }) // { exitReason: 12, instructionLength: 1 }
 */
export function encodeVmx(exit: VmExit, options?: VmxEncodeOptions): VmxSnapshot {
  if (!isVmExit(exit)) {
    throw new VmExitError(
      "invalid-argument",
      `exit must be a valid VmExit, got ${show(exit)}`,
      "exit",
    );
  }
  checkOptions(options, VMX_ENCODE_OPTIONS);
  const result = plan(exit, options);
  if (result instanceof Unencodable) {
    throw new VmExitError(
      "unrepresentable",
      `${exit.kind} cannot be expressed on VMX: ${result.why}`,
      result.field,
    );
  }
  return result;
}

/** True exactly when `encodeVmx(exit, options)` succeeds; never throws. */
export function canEncodeVmx(exit: VmExit, options?: VmxEncodeOptions): boolean {
  if (!isVmExit(exit)) return false;
  try {
    checkOptions(options, VMX_ENCODE_OPTIONS);
  } catch {
    return false;
  }
  return !(plan(exit, options) instanceof Unencodable);
}
