import {
  externalInterrupt,
  halt,
  hypercall,
  ioRead,
  ioWrite,
  mmioRead,
  mmioWrite,
  nestedPageFault,
  nothing,
  sysRegRead,
  sysRegWrite,
} from "../src/core/constructors";
import type { VmExit } from "../src/core/exit";
import { decodeX86MemAccess } from "../src/x86/insn/index";
import { X86_REG_NAMES } from "../src/x86/regs";
import { decodeVmx, decodeVmxExit } from "../src/x86/vmx/decode";
import { VMX_EXIT_REASON_NAMES } from "../src/x86/vmx/reasons";
import type { VmxSnapshot } from "../src/x86/vmx/snapshot";
import { type BenchSuite, seededRandom } from "./harness";

const N = 1024;
const rnd = seededRandom(0x86);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const u64 = (): bigint =>
  (BigInt(Math.floor(rnd() * 2 ** 32)) << 32n) | BigInt(Math.floor(rnd() * 2 ** 32));
const REG_NAMES = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp"] as const;
const regs = (): Record<string, bigint> =>
  Object.fromEntries(
    [...REG_NAMES, "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"].map((r) => [r, u64()]),
  );

// MMIO instructions a guest driver typically uses (hand-encoded): mov eax,[rbx]; mov [rax],edx;
// mov rcx,[rbx]; movzx eax,byte [rbx]; mov dword [rax],imm32; mov [rax],r12.
const MMIO_BYTES = [
  [0x8b, 0x03],
  [0x89, 0x10],
  [0x48, 0x8b, 0x0b],
  [0x0f, 0xb6, 0x03],
  [0xc7, 0x00, 0x78, 0x56, 0x34, 0x12],
  [0x4c, 0x89, 0x20],
].map((b) => Uint8Array.from(b));
const PORTS = [0x3f8, 0x3fd, 0x60, 0x64, 0xcf8, 0xcfc, 0x1f0, 0x80];
const MSRS = [0x6e0, 0x1b, 0xc000_0080, 0x830, 0x80b, 0x10];

/** The fixed mix: EPT violation 40 % (half MMIO with bytes), I/O 20 %, MSR 15 %, external interrupt 10 %, HLT 5 %, other 10 %. */
function snapshot(): VmxSnapshot {
  const r = rnd();
  if (r < 0.4) {
    const bytes = pick(MMIO_BYTES);
    const write = bytes[0] === 0x89 || bytes[0] === 0xc7 || bytes[1] === 0x89;
    const gpa = BigInt(0xfebf_0000 + Math.floor(rnd() * 0x1_0000));
    const withBytes = rnd() < 0.5;
    return {
      exitReason: 48,
      exitQualification: withBytes ? (write ? 0x182 : 0x181) : pick([0x181, 0x182, 0x1aa, 0x184]),
      guestPhysicalAddress: gpa,
      ...(withBytes ? { instructionBytes: bytes } : {}),
      regs: regs(),
    };
  }
  if (r < 0.6) {
    const size = pick([0, 1, 3]);
    const isIn = rnd() < 0.5 ? 8 : 0;
    return { exitReason: 30, exitQualification: (pick(PORTS) << 16) | isIn | size, regs: regs() };
  }
  if (r < 0.75) {
    const rr = regs();
    rr.rcx = BigInt(pick(MSRS));
    if (rr.rcx === 0x830n) rr.rax = BigInt(pick([0xfd, 0xc_00fd, 0x4_00ec, 0x69a, 0x400]));
    return { exitReason: rnd() < 0.5 ? 31 : 32, regs: rr };
  }
  if (r < 0.85)
    return { exitReason: 1, exitInterruptionInfo: (0x8000_0000 | Math.floor(rnd() * 256)) >>> 0 };
  if (r < 0.9) return { exitReason: 12, instructionLength: 1 };
  return pick<VmxSnapshot>([
    { exitReason: 10, regs: regs() },
    { exitReason: 28, exitQualification: 0x3 },
    {
      exitReason: 0,
      exitQualification: 0x7f00_1000,
      exitInterruptionInfo: 0x8000_0b0e,
      exitInterruptionErrorCode: 6,
    },
    { exitReason: 18, regs: regs() },
    { exitReason: 40 },
  ]);
}

const workload: readonly VmxSnapshot[] = Array.from({ length: N }, snapshot);

// What a user would write by hand: one BigInt shift-and-mask per field, bigint everywhere,
// the same exits and a cause with the same dissected fields.
const bits = (v: bigint, hi: bigint, lo: bigint): bigint =>
  (v >> lo) & ((1n << (hi - lo + 1n)) - 1n);
const big = (v: bigint | number | undefined): bigint => BigInt(v ?? 0);
const reg = (s: VmxSnapshot, name: string): bigint => big((s.regs as Record<string, bigint>)[name]);
const NAMES = X86_REG_NAMES;

function naiveDecode(s: VmxSnapshot): { exit: VmExit; cause: Record<string, unknown> } {
  const reason = BigInt(s.exitReason);
  const basic = Number(bits(reason, 15n, 0n));
  const cause: Record<string, unknown> = {
    arch: "x86-vmx",
    code: basic,
    name: VMX_EXIT_REASON_NAMES[basic],
    exitReason: s.exitReason,
    flags: {
      busLockDetected: bits(reason, 26n, 26n) === 1n,
      enclaveMode: bits(reason, 27n, 27n) === 1n,
      pendingMtf: bits(reason, 28n, 28n) === 1n,
      fromVmxRoot: bits(reason, 29n, 29n) === 1n,
      failedVmEntry: bits(reason, 31n, 31n) === 1n,
    },
  };
  const q = big(s.exitQualification);
  if (s.exitInterruptionInfo !== undefined) {
    const info = BigInt(s.exitInterruptionInfo);
    cause.interruption = {
      raw: s.exitInterruptionInfo,
      vector: Number(bits(info, 7n, 0n)),
      type: Number(bits(info, 10n, 8n)),
      errorCodeValid: bits(info, 11n, 11n) === 1n,
      nmiUnblocking: bits(info, 12n, 12n) === 1n,
      valid: bits(info, 31n, 31n) === 1n,
    };
  }
  switch (basic) {
    case 1:
      return {
        exit: externalInterrupt({ vector: bits(BigInt(s.exitInterruptionInfo ?? 0), 7n, 0n) }),
        cause,
      };
    case 12:
      return { exit: halt(), cause };
    case 18:
      return {
        exit: hypercall({
          nr: reg(s, "rax"),
          args: [
            reg(s, "rdi"),
            reg(s, "rsi"),
            reg(s, "rdx"),
            reg(s, "rcx"),
            reg(s, "r8"),
            reg(s, "r9"),
          ],
        }),
        cause,
      };
    case 30: {
      const size = Number(bits(q, 2n, 0n)) + 1;
      const isIn = bits(q, 3n, 3n) === 1n;
      const port = Number(bits(q, 31n, 16n));
      cause.qualification = {
        type: "io",
        size,
        direction: isIn ? "in" : "out",
        string: bits(q, 4n, 4n) === 1n,
        rep: bits(q, 5n, 5n) === 1n,
        immediate: bits(q, 6n, 6n) === 1n,
        port,
      };
      const width = size as 1 | 2 | 4;
      if (isIn) return { exit: ioRead({ port, width }), cause };
      return {
        exit: ioWrite({ port, width, data: reg(s, "rax") & ((1n << BigInt(8 * size)) - 1n) }),
        cause,
      };
    }
    case 31:
      return { exit: sysRegRead({ addr: Number(bits(reg(s, "rcx"), 31n, 0n)), reg: 0 }), cause };
    case 32: {
      const ecx = Number(bits(reg(s, "rcx"), 31n, 0n));
      const value = (bits(reg(s, "rdx"), 31n, 0n) << 32n) | bits(reg(s, "rax"), 31n, 0n);
      if (ecx === 0x830) {
        const mode = bits(value, 10n, 8n);
        const sh = bits(value, 19n, 18n);
        const dest = bits(value, 63n, 32n);
        const vector = bits(value, 7n, 0n);
        if (mode === 0n || mode === 1n || mode === 4n) {
          return {
            exit: {
              kind: "SendIPI",
              targetCpu: dest,
              targetCpuAux: 0n,
              sendToAll: sh >= 2n,
              sendToSelf: sh === 1n || sh === 2n,
              vector: mode === 4n ? 2n : vector,
            },
            cause,
          };
        }
        if (mode === 6n && sh === 0n) {
          return {
            exit: { kind: "CpuUp", targetCpu: dest, entryPoint: (vector << 12n) as never, arg: 0n },
            cause,
          };
        }
        return { exit: nothing(), cause };
      }
      return { exit: sysRegWrite({ addr: ecx, value }), cause };
    }
    case 48: {
      const gpa = big(s.guestPhysicalAddress);
      cause.qualification = {
        type: "ept-violation",
        read: bits(q, 0n, 0n) === 1n,
        write: bits(q, 1n, 1n) === 1n,
        fetch: bits(q, 2n, 2n) === 1n,
        readable: bits(q, 3n, 3n) === 1n,
        writable: bits(q, 4n, 4n) === 1n,
        executable: bits(q, 5n, 5n) === 1n,
        userExecutable: bits(q, 6n, 6n) === 1n,
        linearAddressValid: bits(q, 7n, 7n) === 1n,
        finalTranslation: bits(q, 8n, 8n) === 1n,
        userMode: bits(q, 9n, 9n) === 1n,
        linearWritable: bits(q, 10n, 10n) === 1n,
        executeDisable: bits(q, 11n, 11n) === 1n,
        nmiUnblocking: bits(q, 12n, 12n) === 1n,
        guestPhysicalAddress: gpa,
      };
      if (s.instructionBytes !== undefined && bits(q, 2n, 2n) === 0n) {
        const a = decodeX86MemAccess(s.instructionBytes, 64);
        if (!("unsupported" in a)) {
          cause.instruction = a;
          if (a.direction === "read") {
            return {
              exit: mmioRead({
                addr: gpa,
                width: a.width,
                reg: a.reg as number,
                regWidth: a.regWidth,
                signedExt: a.signedExt,
              }),
              cause,
            };
          }
          const src =
            a.reg === undefined ? (a.immediate as bigint) : reg(s, NAMES[a.reg] as string);
          return {
            exit: mmioWrite({
              addr: gpa,
              width: a.width,
              data: src & ((1n << BigInt(8 * a.width)) - 1n),
            }),
            cause,
          };
        }
      }
      return { exit: nestedPageFault({ addr: gpa, accessFlags: Number(bits(q, 2n, 0n)) }), cause };
    }
    default:
      if (s.exitQualification !== undefined) cause.qualification = { type: "raw", value: q };
      return { exit: nothing(), cause };
  }
}

// Sanity: the naive decoder agrees with decodeVmx on the exits of the workload.
for (const s of workload) {
  const a = JSON.stringify(decodeVmx(s).exit, (_k, v) => (typeof v === "bigint" ? `${v}` : v));
  const b = JSON.stringify(naiveDecode(s).exit, (_k, v) => (typeof v === "bigint" ? `${v}` : v));
  if (a !== b) throw new Error(`bench/x86.ts: naive decoder disagrees: ${a} vs ${b}`);
}

let sink: unknown;

/** decodeVmx and decodeVmxExit on the seeded mix vs a naive BigInt-per-field decoder of the same mix. */
export const suites: BenchSuite[] = [
  {
    name: "x86 VMX decode (mixed workload)",
    itemsPerOp: N,
    tasks: {
      decodeVmx: () => {
        for (const s of workload) sink = decodeVmx(s);
        return sink;
      },
      decodeVmxExit: () => {
        for (const s of workload) sink = decodeVmxExit(s);
        return sink;
      },
      "naive BigInt decoder": () => {
        for (const s of workload) sink = naiveDecode(s);
        return sink;
      },
    },
    bar: { fast: "decodeVmx", slow: "naive BigInt decoder", ratio: 3 },
  },
];
