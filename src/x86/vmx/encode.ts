import { show, VmExitError } from "../../core/error";
import type { ExitOf, VmExit } from "../../core/exit";
import { isVmExit } from "../../core/guards";
import { hex } from "../../core/u64";
import { X86_X2APIC_BROADCAST, X86_X2APIC_ICR_MSR } from "../icr";
import { encodeX86MemAccess } from "../insn/index";
import { checkOptions, cpuModeOption, hypercallAbiOption } from "../options";
import { isVmxEntryFailureReason, VMX_EXIT_REASON_NAMES, VmxExitReason } from "./reasons";
import type { VmxEncodeOptions, VmxSnapshot, X86CpuMode } from "./snapshot";

type Plan = VmxSnapshot | VmExitError;
type Planner<K extends VmExit["kind"]> = (exit: ExitOf<K>, options?: VmxEncodeOptions) => Plan;

/** EPT-violation qualifications the encoder writes: data read / write + GLA valid + final translation. */
const EPT_READ_QUALIFICATION = 0x181;
const EPT_WRITE_QUALIFICATION = 0x182;

function no(exit: VmExit, field: string, why: string): VmExitError {
  return new VmExitError(
    "unrepresentable",
    `${exit.kind} cannot be expressed on VMX: ${why}`,
    field,
  );
}

/** The x2APIC broadcast destination as a bigint. */
const BROADCAST = BigInt(X86_X2APIC_BROADCAST);

/** Bytes 1/2/4/8 → the largest value that fits. */
const WIDTH_MAX: Readonly<Record<number, bigint>> = {
  1: 0xffn,
  2: 0xffffn,
  4: 0xffff_ffffn,
  8: 0xffff_ffff_ffff_ffffn,
};

function mmioBytes(
  exit: VmExit,
  access: Parameters<typeof encodeX86MemAccess>[0],
  cpuMode: X86CpuMode,
): Uint8Array | VmExitError {
  try {
    return encodeX86MemAccess(access, cpuMode);
  } catch (e) {
    if (e instanceof VmExitError) {
      const field = e.field !== undefined && e.field in exit ? e.field : "width";
      return no(exit, field, `no MOV form in ${cpuMode}-bit mode (${e.message})`);
    }
    throw e;
  }
}

const PLANNERS: { readonly [K in VmExit["kind"]]: Planner<K> } = {
  Hypercall: (exit, options) => {
    const [a0, a1, a2, a3, a4, a5] = exit.args;
    if (hypercallAbiOption(options?.hypercallAbi) === "kvm") {
      if (a4 !== 0n || a5 !== 0n) {
        return no(
          exit,
          "args",
          `the kvm ABI passes 4 arguments, got args[4] ${hex(a4)}, args[5] ${hex(a5)}`,
        );
      }
      return {
        exitReason: VmxExitReason.VMCALL,
        instructionLength: 3,
        regs: { rax: exit.nr, rbx: a0, rcx: a1, rdx: a2, rsi: a3 },
      };
    }
    return {
      exitReason: VmxExitReason.VMCALL,
      instructionLength: 3,
      regs: { rax: exit.nr, rdi: a0, rsi: a1, rdx: a2, rcx: a3, r8: a4, r9: a5 },
    };
  },
  MmioRead: (exit, options) => {
    if (exit.reg > 19) return no(exit, "reg", `register ${exit.reg} is not an x86 register (0–19)`);
    const bytes = mmioBytes(
      exit,
      {
        direction: "read",
        width: exit.width,
        reg: exit.reg,
        regWidth: exit.regWidth,
        signedExt: exit.signedExt,
      },
      cpuModeOption(options?.cpuMode),
    );
    if (bytes instanceof VmExitError) return bytes;
    return {
      exitReason: VmxExitReason.EPT_VIOLATION,
      exitQualification: EPT_READ_QUALIFICATION,
      guestPhysicalAddress: exit.addr,
      instructionLength: bytes.length,
      instructionBytes: bytes,
    };
  },
  MmioWrite: (exit, options) => {
    if (exit.data > (WIDTH_MAX[exit.width] as bigint)) {
      return no(exit, "data", `data ${hex(exit.data)} does not fit in ${exit.width} byte(s)`);
    }
    const bytes = mmioBytes(
      exit,
      { direction: "write", width: exit.width, reg: 0, regWidth: exit.width, signedExt: false },
      cpuModeOption(options?.cpuMode),
    );
    if (bytes instanceof VmExitError) return bytes;
    return {
      exitReason: VmxExitReason.EPT_VIOLATION,
      exitQualification: EPT_WRITE_QUALIFICATION,
      guestPhysicalAddress: exit.addr,
      instructionLength: bytes.length,
      instructionBytes: bytes,
      regs: { rax: exit.data },
    };
  },
  SysRegRead: (exit) => {
    if (exit.reg !== 0) {
      return no(
        exit,
        "reg",
        `RDMSR always returns the value in EDX:EAX (reg 0), got reg ${exit.reg}`,
      );
    }
    return { exitReason: VmxExitReason.MSR_READ, instructionLength: 2, regs: { rcx: exit.addr } };
  },
  SysRegWrite: (exit) => {
    if (exit.addr === X86_X2APIC_ICR_MSR) {
      return no(exit, "addr", "a WRMSR to 0x830 (x2APIC ICR) decodes as SendIPI, CpuUp or Nothing");
    }
    return {
      exitReason: VmxExitReason.MSR_WRITE,
      instructionLength: 2,
      regs: { rcx: exit.addr, rax: exit.value & 0xffff_ffffn, rdx: exit.value >> 32n },
    };
  },
  IoRead: (exit) => {
    if (exit.width === 8) return no(exit, "width", "IN transfers 1, 2 or 4 bytes, got width 8");
    return {
      exitReason: VmxExitReason.IO_INSTRUCTION,
      exitQualification: ((exit.width - 1) | 8 | (exit.port << 16)) >>> 0,
      instructionLength: 1,
      regs: { rdx: exit.port },
    };
  },
  IoWrite: (exit) => {
    if (exit.width === 8) return no(exit, "width", "OUT transfers 1, 2 or 4 bytes, got width 8");
    if (exit.data > (WIDTH_MAX[exit.width] as bigint)) {
      return no(exit, "data", `data ${hex(exit.data)} does not fit in ${exit.width} byte(s)`);
    }
    return {
      exitReason: VmxExitReason.IO_INSTRUCTION,
      exitQualification: ((exit.width - 1) | (exit.port << 16)) >>> 0,
      instructionLength: 1,
      regs: { rax: exit.data, rdx: exit.port },
    };
  },
  ExternalInterrupt: (exit) => {
    if (exit.vector > 0xffn)
      return no(exit, "vector", `vectors are 8 bits, got ${hex(exit.vector)}`);
    return {
      exitReason: VmxExitReason.EXTERNAL_INTERRUPT,
      exitInterruptionInfo: (0x8000_0000 | Number(exit.vector)) >>> 0,
    };
  },
  NestedPageFault: (exit) => {
    if ((exit.accessFlags & ~7) !== 0) {
      return no(
        exit,
        "accessFlags",
        `an EPT violation reports only READ, WRITE and EXECUTE, got ${hex(exit.accessFlags)}`,
      );
    }
    return {
      exitReason: VmxExitReason.EPT_VIOLATION,
      exitQualification: exit.accessFlags,
      guestPhysicalAddress: exit.addr,
    };
  },
  Halt: () => ({ exitReason: VmxExitReason.HLT, instructionLength: 1 }),
  CpuUp: (exit) => {
    if (exit.arg !== 0n)
      return no(exit, "arg", `a Start-up IPI carries no argument, got ${hex(exit.arg)}`);
    if (exit.targetCpu >= BROADCAST) {
      return no(
        exit,
        "targetCpu",
        `x2APIC IDs are 32 bits and 0xFFFFFFFF is the broadcast destination, got ${hex(exit.targetCpu)}`,
      );
    }
    if ((exit.entryPoint & 0xfffn) !== 0n || exit.entryPoint > 0xff000n) {
      return no(
        exit,
        "entryPoint",
        `a Start-up IPI starts at a page below 1 MiB (vector << 12), got ${hex(exit.entryPoint)}`,
      );
    }
    return {
      exitReason: VmxExitReason.MSR_WRITE,
      instructionLength: 2,
      regs: {
        rcx: X86_X2APIC_ICR_MSR,
        rax: 0x600n | (exit.entryPoint >> 12n),
        rdx: exit.targetCpu,
      },
    };
  },
  CpuDown: (exit) => {
    if (exit.state !== 0n)
      return no(exit, "state", `an INIT signal carries no state, got ${hex(exit.state)}`);
    return { exitReason: VmxExitReason.INIT_SIGNAL };
  },
  SystemDown: () => ({ exitReason: VmxExitReason.TRIPLE_FAULT }),
  Nothing: () => ({ exitReason: VmxExitReason.CPUID, instructionLength: 2 }),
  FailEntry: (exit) => {
    const v = exit.hardwareEntryFailureReason;
    if (v > 0xffff_ffffn) {
      return no(exit, "hardwareEntryFailureReason", `the exit reason is 32 bits, got ${hex(v)}`);
    }
    const reason = Number(v);
    const basic = reason & 0xffff;
    if (VMX_EXIT_REASON_NAMES[basic] === undefined) {
      return no(
        exit,
        "hardwareEntryFailureReason",
        `basic reason ${basic} is undefined (${hex(v)})`,
      );
    }
    if (reason >>> 31 !== 1 && !isVmxEntryFailureReason(basic)) {
      return no(
        exit,
        "hardwareEntryFailureReason",
        `${hex(v)} has neither bit 31 set nor basic reason 33, 34 or 41`,
      );
    }
    return { exitReason: reason };
  },
  SendIPI: (exit) => {
    if (exit.targetCpuAux !== 0n) {
      return no(
        exit,
        "targetCpuAux",
        `the ICR has one destination field, got targetCpuAux ${hex(exit.targetCpuAux)}`,
      );
    }
    if (exit.targetCpu > 0xffff_ffffn) {
      return no(exit, "targetCpu", `x2APIC IDs are 32 bits, got ${hex(exit.targetCpu)}`);
    }
    if (exit.vector > 0xffn)
      return no(exit, "vector", `vectors are 8 bits, got ${hex(exit.vector)}`);
    if (!exit.sendToAll && !exit.sendToSelf && exit.targetCpu === BROADCAST) {
      return no(
        exit,
        "targetCpu",
        "destination 0xFFFFFFFF with no shorthand is the x2APIC broadcast (decodes as sendToAll and sendToSelf)",
      );
    }
    const shorthand = exit.sendToAll ? (exit.sendToSelf ? 2n : 3n) : exit.sendToSelf ? 1n : 0n;
    return {
      exitReason: VmxExitReason.MSR_WRITE,
      instructionLength: 2,
      regs: { rcx: X86_X2APIC_ICR_MSR, rax: (shorthand << 18n) | exit.vector, rdx: exit.targetCpu },
    };
  },
};

function plan(exit: VmExit, options?: VmxEncodeOptions): Plan {
  return (PLANNERS[exit.kind] as Planner<VmExit["kind"]>)(exit, options);
}

/** Encodes an exit as a VMX snapshot that `decodeVmx` (same options) decodes back to it; throws `unrepresentable` otherwise. */
export function encodeVmx(exit: VmExit, options?: VmxEncodeOptions): VmxSnapshot {
  if (!isVmExit(exit)) {
    throw new VmExitError(
      "invalid-argument",
      `exit must be a valid VmExit, got ${show(exit)}`,
      "exit",
    );
  }
  checkOptions(options);
  const result = plan(exit, options);
  if (result instanceof VmExitError) throw result;
  return result;
}

/** True exactly when `encodeVmx(exit, options)` succeeds; never throws. */
export function canEncodeVmx(exit: VmExit, options?: VmxEncodeOptions): boolean {
  if (!isVmExit(exit)) return false;
  try {
    checkOptions(options);
    return !(plan(exit, options) instanceof VmExitError);
  } catch {
    return false;
  }
}
