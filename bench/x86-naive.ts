// The naive VMX decoder: what a competent user writes by hand for the bench's mix when every
// 64-bit value is a bigint. Each field of a 64-bit value is one BigInt shift and mask with
// constant operands (the 32-bit exit reason and interruption information, numbers, are cut with
// number operations), the exits come from the public (validating) constructors, the MOV at RIP
// from the public `decodeX86MemAccess`, and the cause is one object literal per class with the
// library's keys, names taken from the library's tables. It checks nothing the constructors do not, so it does
// less than the library; the bench asserts at load that it returns the library's exits and causes
// on the whole workload. Classes and paths outside the mix throw.
import {
  cpuUp,
  externalInterrupt,
  halt,
  hypercall,
  ioRead,
  ioWrite,
  mmioRead,
  mmioWrite,
  nestedPageFault,
  nothing,
  sendIpi,
  sysRegRead,
  sysRegWrite,
} from "../src/core/constructors";
import type { VmExit } from "../src/core/exit";
import { X86_EXCEPTION_NAMES } from "../src/x86/exceptions";
import { X86_ICR_DELIVERY_MODES, X86_ICR_SHORTHANDS } from "../src/x86/icr";
import { decodeX86MemAccess } from "../src/x86/insn/index";
import { X86_REG_NAMES, type X86Reg, type X86Regs } from "../src/x86/regs";
import { VMX_INTERRUPTION_TYPES } from "../src/x86/vmx/interruption";
import { CR_ACCESS_TYPES } from "../src/x86/vmx/qualification";
import { VMX_EXIT_REASON_NAMES } from "../src/x86/vmx/reasons";
import type { VmxSnapshot } from "../src/x86/vmx/snapshot";

type Cause = Record<string, unknown>;

const ARCH = "x86-vmx";
const WIDTHS = [1, 2, 0, 4] as const;
const DATA_MASKS = [0n, 0xffn, 0xffffn, 0n, 0xffff_ffffn, 0n, 0n, 0n, 0xffff_ffff_ffff_ffffn];
/** Vectors an NMI or exception type names (types 2, 3, 5, 6). */
const NAMES_AN_EXCEPTION = [false, false, true, true, false, true, true, false];

/** A register or field as a bigint (0 when absent); registers are read by name at each site. */
function big(v: bigint | number | undefined): bigint {
  return BigInt(v ?? 0);
}

/** Exit-reason bits 26–29 and 31 (a 32-bit number: number operations, as anyone would write them). */
function flagsOf(reason: number): Cause {
  return {
    busLockDetected: ((reason >>> 26) & 1) === 1,
    enclaveMode: ((reason >>> 27) & 1) === 1,
    pendingMtf: ((reason >>> 28) & 1) === 1,
    fromVmxRoot: ((reason >>> 29) & 1) === 1,
    failedVmEntry: reason >>> 31 === 1,
  };
}

/** Interruption information (0x4404, 32 bits) dissected, with its error code when valid. */
function interruption(raw: number, errorCode: number | undefined): Cause {
  const vector = raw & 0xff;
  const type = (raw >>> 8) & 7;
  const errorCodeValid = ((raw >>> 11) & 1) === 1;
  const out: Cause = {
    raw,
    vector,
    type: VMX_INTERRUPTION_TYPES[type],
    errorCodeValid,
    nmiUnblocking: ((raw >>> 12) & 1) === 1,
    valid: raw >>> 31 === 1,
  };
  if (errorCodeValid && errorCode !== undefined) out.errorCode = errorCode;
  if (NAMES_AN_EXCEPTION[type] && X86_EXCEPTION_NAMES[vector] !== undefined) {
    out.exception = X86_EXCEPTION_NAMES[vector];
  }
  return out;
}

/** The naive decoder: exit and cause. */
export function naiveDecode(s: VmxSnapshot): { exit: VmExit; cause: Cause } {
  const exitReason = s.exitReason;
  const code = exitReason & 0xffff;
  const name = VMX_EXIT_REASON_NAMES[code];
  const flags = flagsOf(exitReason);
  const regs = s.regs;
  switch (code) {
    case 48:
      return eptViolation(s, exitReason, name, flags);
    case 30: {
      const q = BigInt(s.exitQualification ?? 0);
      const size = WIDTHS[Number(q & 7n)] as 1 | 2 | 4;
      const isIn = ((q >> 3n) & 1n) === 1n;
      const string = ((q >> 4n) & 1n) === 1n;
      const rep = ((q >> 5n) & 1n) === 1n;
      const port = Number((q >> 16n) & 0xffffn);
      if (string || rep) throw new Error("naive decoder: string / REP I/O is not in the mix");
      return {
        exit: isIn
          ? ioRead({ port, width: size })
          : ioWrite({ port, width: size, data: big(regs?.rax) & (DATA_MASKS[size] as bigint) }),
        cause: {
          arch: ARCH,
          code,
          name,
          class: "io",
          exitReason,
          flags,
          size,
          direction: isIn ? "in" : "out",
          string,
          rep,
          immediate: ((q >> 6n) & 1n) === 1n,
          port,
          count: undefined,
          linearAddress: undefined,
          note: undefined,
        },
      };
    }
    case 31: {
      const index = Number(big(regs?.rcx) & 0xffff_ffffn);
      return {
        exit: sysRegRead({ addr: index, reg: 0 }),
        cause: msrCause(exitReason, code, name, flags, index, "read", undefined, undefined),
      };
    }
    case 32:
      return msrWrite(regs, exitReason, code, name, flags);
    case 1: {
      const info = s.exitInterruptionInfo ?? 0;
      const vector = BigInt(info & 0xff);
      return {
        exit: externalInterrupt({ vector }),
        cause: {
          arch: ARCH,
          code,
          name,
          class: "external-interrupt",
          exitReason,
          flags,
          interruption: interruption(info, s.exitInterruptionErrorCode),
          vector: Number(vector),
        },
      };
    }
    case 0: {
      const info = s.exitInterruptionInfo;
      const i = info ?? 0;
      // #PF: a valid hardware exception (type 3) with vector 14
      const pf = i >>> 31 === 1 && ((i >>> 8) & 7) === 3 && (i & 0xff) === 14;
      if (!pf) throw new Error("naive decoder: exceptions other than #PF are not in the mix");
      return {
        exit: nothing(),
        cause: {
          arch: ARCH,
          code,
          name,
          class: "exception-nmi",
          exitReason,
          flags,
          interruption:
            info === undefined ? undefined : interruption(info, s.exitInterruptionErrorCode),
          idtVectoring: undefined,
          pageFaultAddress:
            s.exitQualification === undefined ? undefined : BigInt(s.exitQualification),
          debug: undefined,
        },
      };
    }
    case 18:
      return {
        exit: hypercall({
          nr: big(regs?.rax),
          args: [
            big(regs?.rdi),
            big(regs?.rsi),
            big(regs?.rdx),
            big(regs?.rcx),
            big(regs?.r8),
            big(regs?.r9),
          ],
        }),
        cause: {
          arch: ARCH,
          code,
          name,
          class: "vmcall",
          exitReason,
          flags,
          hypercallAbi: "axvisor",
        },
      };
    case 28: {
      const given = s.exitQualification !== undefined;
      const q = BigInt(s.exitQualification ?? 0);
      return {
        exit: nothing(),
        cause: {
          arch: ARCH,
          code,
          name,
          class: "cr-access",
          exitReason,
          flags,
          cr: given ? Number(q & 0xfn) : undefined,
          accessType: given ? CR_ACCESS_TYPES[Number((q >> 4n) & 3n)] : undefined,
          lmswMemoryOperand: given ? ((q >> 6n) & 1n) === 1n : undefined,
          gpr: given ? Number((q >> 8n) & 0xfn) : undefined,
          lmswSourceData: given ? Number((q >> 16n) & 0xffffn) : undefined,
        },
      };
    }
    case 10:
    case 12:
    case 40:
      return {
        exit: code === 12 ? halt() : nothing(),
        cause: {
          arch: ARCH,
          code,
          name,
          class: "other",
          exitReason,
          flags,
          idtVectoring: undefined,
          qualification:
            s.exitQualification === undefined ? undefined : BigInt(s.exitQualification),
        },
      };
    default:
      throw new Error(`naive decoder: exit reason ${code} is not in the mix`);
  }
}

function msrCause(
  exitReason: number,
  code: number,
  name: string | undefined,
  flags: Cause,
  index: number,
  direction: "read" | "write",
  value: bigint | undefined,
  icr: Cause | undefined,
): Cause {
  return {
    arch: ARCH,
    code,
    name,
    class: "msr",
    exitReason,
    flags,
    index,
    direction,
    value,
    icr,
    note: undefined,
  };
}

function msrWrite(
  regs: X86Regs | undefined,
  exitReason: number,
  code: number,
  name: string | undefined,
  flags: Cause,
): { exit: VmExit; cause: Cause } {
  const index = Number(big(regs?.rcx) & 0xffff_ffffn);
  const value = ((big(regs?.rdx) & 0xffff_ffffn) << 32n) | (big(regs?.rax) & 0xffff_ffffn);
  if (index !== 0x830) {
    return {
      exit: sysRegWrite({ addr: index, value }),
      cause: msrCause(exitReason, code, name, flags, index, "write", value, undefined),
    };
  }
  // the x2APIC ICR: vector 7:0, delivery mode 10:8, destination mode 11, level 14, trigger 15,
  // shorthand 19:18, destination 63:32
  const vector = value & 0xffn;
  const mode = Number((value >> 8n) & 7n);
  const logical = ((value >> 11n) & 1n) === 1n;
  const shorthand = Number((value >> 18n) & 3n);
  const destination = value >> 32n;
  if (destination === 0xffff_ffffn) throw new Error("naive decoder: broadcast is not in the mix");
  const icr: Cause = {
    vector: Number(vector),
    deliveryMode: X86_ICR_DELIVERY_MODES[mode],
    destinationMode: logical ? "logical" : "physical",
    level: ((value >> 14n) & 1n) === 1n ? "assert" : "deassert",
    triggerMode: ((value >> 15n) & 1n) === 1n ? "level" : "edge",
    shorthand: X86_ICR_SHORTHANDS[shorthand],
    destination: Number(destination),
  };
  let exit: VmExit;
  if (mode === 0 || mode === 1 || mode === 4) {
    exit = sendIpi({
      targetCpu: destination,
      targetCpuAux: 0n,
      sendToAll: shorthand >= 2,
      sendToSelf: shorthand === 1 || shorthand === 2,
      vector: mode === 4 ? 2n : vector,
    });
  } else if (mode === 6 && shorthand === 0 && !logical) {
    exit = cpuUp({ targetCpu: destination, entryPoint: vector << 12n, arg: 0n });
  } else {
    throw new Error(`naive decoder: ICR delivery mode ${mode} is not in the mix`);
  }
  return { exit, cause: msrCause(exitReason, code, name, flags, index, "write", value, icr) };
}

function eptViolation(
  s: VmxSnapshot,
  exitReason: number,
  name: string | undefined,
  flags: Cause,
): { exit: VmExit; cause: Cause } {
  const q = BigInt(s.exitQualification ?? 0);
  const addr = BigInt(s.guestPhysicalAddress ?? 0);
  const read = (q & 1n) === 1n;
  const write = ((q >> 1n) & 1n) === 1n;
  const fetch = ((q >> 2n) & 1n) === 1n;
  const linearAddressValid = ((q >> 7n) & 1n) === 1n;
  const finalTranslation = ((q >> 8n) & 1n) === 1n;
  let exit: VmExit | undefined;
  let instruction: unknown;
  let notMmio: string | undefined;
  if (fetch) {
    notMmio = "an instruction fetch (qualification bit 2) is not a data access";
  } else if (!read && !write) {
    throw new Error("naive decoder: an EPT violation with no data access is not in the mix");
  } else if (linearAddressValid && !finalTranslation) {
    throw new Error("naive decoder: paging-structure accesses are not in the mix");
  } else if (s.instructionBytes === undefined) {
    notMmio = "no instructionBytes to decode the access from";
  } else {
    const a = decodeX86MemAccess(s.instructionBytes, 64);
    if ("unsupported" in a || a.direction !== (write ? "write" : "read")) {
      throw new Error("naive decoder: undecodable or mismatched MOVs are not in the mix");
    }
    instruction = a;
    if (a.direction === "read") {
      exit = mmioRead({
        addr,
        width: a.width,
        reg: a.reg as number,
        regWidth: a.regWidth,
        signedExt: a.signedExt,
      });
    } else {
      const data =
        a.reg === undefined
          ? (a.immediate as bigint)
          : big(s.regs?.[X86_REG_NAMES[a.reg] as X86Reg]);
      exit = mmioWrite({ addr, width: a.width, data: data & (DATA_MASKS[a.width] as bigint) });
    }
  }
  return {
    exit: exit ?? nestedPageFault({ addr, accessFlags: Number(q & 7n) }),
    cause: {
      arch: ARCH,
      code: 48,
      name,
      class: "ept-violation",
      exitReason,
      flags,
      idtVectoring: undefined,
      gpa: addr,
      linearAddress: undefined,
      fault: {
        read,
        write,
        fetch,
        readable: ((q >> 3n) & 1n) === 1n,
        writable: ((q >> 4n) & 1n) === 1n,
        executable: ((q >> 5n) & 1n) === 1n,
        userExecutable: ((q >> 6n) & 1n) === 1n,
        linearAddressValid,
        finalTranslation,
        userMode: ((q >> 9n) & 1n) === 1n,
        linearWritable: ((q >> 10n) & 1n) === 1n,
        executeDisable: ((q >> 11n) & 1n) === 1n,
        nmiUnblocking: ((q >> 12n) & 1n) === 1n,
      },
      instruction,
      notMmio,
    },
  };
}
