// The naive SVM decoder: what a competent user writes by hand for the bench's mix when every
// register is a bigint. Each field is one BigInt shift and mask with constant operands, the exits
// come from the public (validating) constructors, and the cause is one object literal per class
// with the dissected fields the library's cause has (names from the library's tables). It checks
// nothing the constructors do not, so it does less than the library; the bench asserts at load
// that it returns the library's exits on the whole workload.
import {
  cpuDown,
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
  systemDown,
} from "../src/core/constructors";
import type { VmExit } from "../src/core/exit";
import { X86_EXCEPTION_NAMES } from "../src/x86/exceptions";
import { X86_ICR_DELIVERY_MODES, X86_ICR_SHORTHANDS } from "../src/x86/icr";
import { decodeX86MemAccess } from "../src/x86/insn/index";
import { X86_REG_NAMES } from "../src/x86/regs";
import { SVM_EXIT_CODE_NAMES } from "../src/x86/svm/codes";
import type { SvmSnapshot } from "../src/x86/svm/snapshot";

const big = (v: bigint | number | undefined): bigint => BigInt(v ?? 0);
const reg = (s: SvmSnapshot, name: string): bigint => big((s.regs as Record<string, bigint>)[name]);

type Cause = Record<string, unknown>;

/** An access of 1, 2, 4 or 8 bytes → its data mask (hoisted, as one would write it). */
const WIDTH_MASKS = [0n, 0xffn, 0xffffn, 0n, 0xffff_ffffn, 0n, 0n, 0n, 0xffff_ffff_ffff_ffffn];

const ADDRESS_SIZES = [undefined, 16, 32, undefined, 64, undefined, undefined, undefined];
const EVENT_TYPES = ["external-interrupt", "reserved", "nmi", "exception", "software-interrupt"];

/** EXITINTINFO dissected, as the library's cause carries it. */
function intInfoOf(s: SvmSnapshot): Cause | undefined {
  if (s.exitIntInfo === undefined) return undefined;
  const v = BigInt(s.exitIntInfo);
  const errorCodeValid = ((v >> 11n) & 1n) === 1n;
  const type = Number((v >> 8n) & 0x7n);
  return {
    raw: s.exitIntInfo,
    vector: Number(v & 0xffn),
    type: EVENT_TYPES[type] ?? "reserved",
    errorCodeValid,
    errorCode: errorCodeValid ? s.exitIntInfoErrorCode : undefined,
    valid: ((v >> 31n) & 1n) === 1n,
    exception: type === 2 || type === 3 ? X86_EXCEPTION_NAMES[Number(v & 0xffn)] : undefined,
  };
}

/** The naive decoder: exit and cause. */
export function naiveDecode(s: SvmSnapshot): { exit: VmExit; cause: Cause } {
  const code = BigInt(s.exitCode);
  const info1 = big(s.exitInfo1);
  const info2 = big(s.exitInfo2);
  const c = Number(code);
  const name = SVM_EXIT_CODE_NAMES[c];
  const exitIntInfo = intInfoOf(s);
  switch (code) {
    case 0x60n: {
      const vector = s.interruptVector ?? 0;
      const cause = { arch: "x86-svm", code: c, name, class: "interrupt", exitIntInfo, vector };
      return { exit: externalInterrupt({ vector }), cause };
    }
    case 0x81n: {
      const cause = {
        arch: "x86-svm",
        code: c,
        name,
        class: "vmmcall",
        exitIntInfo,
        hypercallAbi: "axvisor",
      };
      const args = [
        reg(s, "rdi"),
        reg(s, "rsi"),
        reg(s, "rdx"),
        reg(s, "rcx"),
        reg(s, "r8"),
        reg(s, "r9"),
      ] as const;
      return { exit: hypercall({ nr: reg(s, "rax"), args }), cause };
    }
    case 0x7bn: {
      const isIn = (info1 & 1n) === 1n;
      const str = ((info1 >> 2n) & 1n) === 1n;
      const rep = ((info1 >> 3n) & 1n) === 1n;
      const size = Number((info1 >> 4n) & 0x7n) as 1 | 2 | 4;
      const port = Number((info1 >> 16n) & 0xffffn);
      const cause = {
        arch: "x86-svm",
        code: c,
        name,
        class: "io",
        exitIntInfo,
        direction: isIn ? "in" : "out",
        size,
        string: str,
        rep,
        addressSize: ADDRESS_SIZES[Number((info1 >> 7n) & 0x7n)],
        segment: Number((info1 >> 10n) & 0x7n),
        port,
        nextRip: info2,
        count: rep ? reg(s, "rcx") : undefined,
        note: str || rep ? "not a single port access" : undefined,
      };
      if (str || rep) return { exit: nothing(), cause };
      if (isIn) return { exit: ioRead({ port, width: size }), cause };
      const data = reg(s, "rax") & (WIDTH_MASKS[size] as bigint);
      return { exit: ioWrite({ port, width: size, data }), cause };
    }
    case 0x7cn: {
      const index = Number(reg(s, "rcx") & 0xffffffffn);
      if (info1 === 0n) {
        const cause = {
          arch: "x86-svm",
          code: c,
          name,
          class: "msr",
          exitIntInfo,
          index,
          direction: "read",
          value: undefined,
          icr: undefined,
          note: undefined,
        };
        return { exit: sysRegRead({ addr: index, reg: 0 }), cause };
      }
      const value = ((reg(s, "rdx") & 0xffffffffn) << 32n) | (reg(s, "rax") & 0xffffffffn);
      let exit: VmExit = sysRegWrite({ addr: index, value });
      let icr: Cause | undefined;
      if (index === 0x830) {
        const vector = value & 0xffn;
        const mode = (value >> 8n) & 0x7n;
        const logical = ((value >> 11n) & 1n) === 1n;
        const sh = (value >> 18n) & 0x3n;
        const dest = (value >> 32n) & 0xffffffffn;
        const toAll = sh === 0n && dest === 0xffff_ffffn;
        icr = {
          vector: Number(vector),
          deliveryMode: X86_ICR_DELIVERY_MODES[Number(mode)],
          destinationMode: logical ? "logical" : "physical",
          level: ((value >> 14n) & 1n) === 1n ? "assert" : "deassert",
          triggerMode: ((value >> 15n) & 1n) === 1n ? "level" : "edge",
          shorthand: X86_ICR_SHORTHANDS[Number(sh)],
          destination: Number(dest),
        };
        if (mode === 0n || mode === 1n || mode === 4n) {
          exit = sendIpi({
            targetCpu: dest,
            targetCpuAux: 0n,
            sendToAll: sh >= 2n || toAll,
            sendToSelf: sh === 1n || sh === 2n || toAll,
            vector: mode === 4n ? 2n : vector,
          });
        } else if (mode === 6n && sh === 0n && !toAll && !logical) {
          exit = cpuUp({ targetCpu: dest, entryPoint: vector << 12n, arg: 0n });
        } else if (mode !== 3n) {
          exit = nothing();
        }
      }
      const cause = {
        arch: "x86-svm",
        code: c,
        name,
        class: "msr",
        exitIntInfo,
        index,
        direction: "write",
        value,
        icr,
        note: undefined,
      };
      return { exit, cause };
    }
    case 0x400n: {
      const fetch = ((info1 >> 4n) & 1n) === 1n;
      const write = ((info1 >> 1n) & 1n) === 1n;
      const pageTableAccess = ((info1 >> 33n) & 1n) === 1n;
      let exit: VmExit | undefined;
      let instruction: unknown;
      if (s.instructionBytes !== undefined && !fetch && !pageTableAccess) {
        const a = decodeX86MemAccess(s.instructionBytes, 64, "amd");
        if (!("unsupported" in a)) instruction = a;
        if (!("unsupported" in a) && (a.direction === "write") === write) {
          if (a.direction === "read") {
            exit = mmioRead({
              addr: info2,
              width: a.width,
              reg: a.reg as number,
              regWidth: a.regWidth,
              signedExt: a.signedExt,
            });
          } else {
            const src =
              a.reg === undefined
                ? (a.immediate as bigint)
                : reg(s, X86_REG_NAMES[a.reg] as string);
            exit = mmioWrite({
              addr: info2,
              width: a.width,
              data: src & (WIDTH_MASKS[a.width] as bigint),
            });
          }
        }
      }
      const cause = {
        arch: "x86-svm",
        code: c,
        name,
        class: "npf",
        exitIntInfo,
        gpa: info2,
        errorCode: info1,
        fault: {
          present: (info1 & 1n) === 1n,
          write,
          user: ((info1 >> 2n) & 1n) === 1n,
          reservedBit: ((info1 >> 3n) & 1n) === 1n,
          fetch,
          protectionKey: ((info1 >> 5n) & 1n) === 1n,
          shadowStack: ((info1 >> 6n) & 1n) === 1n,
          rmp: ((info1 >> 31n) & 1n) === 1n,
          finalTranslation: ((info1 >> 32n) & 1n) === 1n,
          pageTableAccess,
          encrypted: ((info1 >> 34n) & 1n) === 1n,
          sizeMismatch: ((info1 >> 35n) & 1n) === 1n,
          vmpl: ((info1 >> 36n) & 1n) === 1n,
        },
        instruction,
        notMmio: exit === undefined ? "not an MMIO access" : undefined,
      };
      exit ??= nestedPageFault({ addr: info2, accessFlags: fetch ? 4 : write ? 2 : 1 });
      return { exit, cause };
    }
    default: {
      const cause = {
        arch: "x86-svm",
        code: c,
        name,
        class: "other",
        exitIntInfo,
        exitInfo1: s.exitInfo1 === undefined ? undefined : info1,
        exitInfo2: s.exitInfo2 === undefined ? undefined : info2,
      };
      switch (code) {
        case 0x78n:
        case 0x8bn:
        case 0xa6n:
          return { exit: halt(), cause };
        case 0x7fn:
          return { exit: systemDown(), cause };
        case 0x63n:
          return { exit: cpuDown({ state: 0 }), cause };
        default:
          return { exit: nothing(), cause };
      }
    }
  }
}
