import {
  cpuDown,
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
  systemDown,
} from "../src/core/constructors";
import type { VmExit } from "../src/core/exit";
import { decodeX86MemAccess } from "../src/x86/insn/index";
import { X86_REG_NAMES } from "../src/x86/regs";
import { SVM_EXIT_CODE_NAMES } from "../src/x86/svm/codes";
import { decodeSvm, decodeSvmExit } from "../src/x86/svm/decode";
import type { SvmSnapshot } from "../src/x86/svm/snapshot";
import { type BenchSuite, seededRandom } from "./harness";

const N = 1024;
const rnd = seededRandom(0x5a4d);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const u64 = (): bigint =>
  (BigInt(Math.floor(rnd() * 2 ** 32)) << 32n) | BigInt(Math.floor(rnd() * 2 ** 32));
const regs = (): Record<string, bigint> =>
  Object.fromEntries([...X86_REG_NAMES, "rip"].map((r) => [r, u64()]));

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

/**
 * The fixed AMD mix, as a VMCB reader gives it (EXITCODE and EXITINFO1/2 as u64 bigints,
 * EXITINTINFO 0, 64-bit registers as bigints; object literals, EXITCODE first: built with a spread
 * of shared fields instead, every decoder, hand-written ones too, ran 3–5× slower on V8's
 * megamorphic loads): NPF 40 % (half MMIO with decode-assist bytes), IOIO
 * 20 %, MSR 15 %, INTR 10 %, HLT 5 %, other 10 % (CPUID, MOV CR3, #PF, VMMCALL, PAUSE).
 */
function snapshot(): SvmSnapshot {
  const r = rnd();
  if (r < 0.4) {
    const bytes = pick(MMIO_BYTES);
    const write = bytes[0] === 0x89 || bytes[0] === 0xc7 || bytes[1] === 0x89;
    const gpa = BigInt(0xfebf_0000 + Math.floor(rnd() * 0x1_0000));
    // GUEST_FINAL (bit 32) | US | RW for a write; reads, dirty-log writes (P) and fetches (ID) without bytes
    if (rnd() < 0.5) {
      return {
        exitCode: 0x400n,
        exitInfo1: write ? 0x1_0000_0006n : 0x1_0000_0004n,
        exitInfo2: gpa,
        exitIntInfo: 0,
        exitIntInfoErrorCode: 0,
        instructionBytes: bytes,
        regs: regs(),
      };
    }
    return {
      exitCode: 0x400n,
      exitInfo1: pick([0x1_0000_0004n, 0x1_0000_0006n, 0x1_0000_0007n, 0x1_0000_0014n]),
      exitInfo2: gpa,
      exitIntInfo: 0,
      exitIntInfoErrorCode: 0,
      regs: regs(),
    };
  }
  if (r < 0.6) {
    // PORT << 16 | A64 | one of SZ8/16/32 | TYPE
    const size = pick([0x10, 0x20, 0x40]);
    const info1 = (pick(PORTS) << 16) | 0x200 | size | (rnd() < 0.5 ? 1 : 0);
    return {
      exitCode: 0x7bn,
      exitInfo1: BigInt(info1),
      exitInfo2: 0xffff_ffff_8100_0002n,
      exitIntInfo: 0,
      exitIntInfoErrorCode: 0,
      regs: regs(),
    };
  }
  if (r < 0.75) {
    const rr = regs();
    rr.rcx = BigInt(pick(MSRS));
    if (rr.rcx === 0x830n) rr.rax = BigInt(pick([0xfd, 0xc_00fd, 0x4_00ec, 0x69a, 0x400]));
    return {
      exitCode: 0x7cn,
      exitInfo1: rnd() < 0.5 ? 0n : 1n,
      exitInfo2: 0n,
      exitIntInfo: 0,
      exitIntInfoErrorCode: 0,
      regs: rr,
    };
  }
  if (r < 0.85) {
    return {
      exitCode: 0x60n,
      exitInfo1: 0n,
      exitInfo2: 0n,
      exitIntInfo: 0,
      exitIntInfoErrorCode: 0,
      interruptVector: Math.floor(rnd() * 256),
    };
  }
  if (r < 0.9)
    return {
      exitCode: 0x78n,
      exitInfo1: 0n,
      exitInfo2: 0n,
      exitIntInfo: 0,
      exitIntInfoErrorCode: 0,
    };
  return pick<SvmSnapshot>([
    {
      exitCode: 0x72n,
      exitInfo1: 0n,
      exitInfo2: 0n,
      exitIntInfo: 0,
      exitIntInfoErrorCode: 0,
      regs: regs(),
    },
    {
      exitCode: 0x13n,
      exitInfo1: 0x8000_0000_0000_0003n,
      exitInfo2: 0n,
      exitIntInfo: 0,
      exitIntInfoErrorCode: 0,
    },
    {
      exitCode: 0x4en,
      exitInfo1: 6n,
      exitInfo2: 0x7f00_1000n,
      exitIntInfo: 0,
      exitIntInfoErrorCode: 0,
    },
    {
      exitCode: 0x81n,
      exitInfo1: 0n,
      exitInfo2: 0n,
      exitIntInfo: 0,
      exitIntInfoErrorCode: 0,
      regs: regs(),
    },
    { exitCode: 0x77n, exitInfo1: 0n, exitInfo2: 0n, exitIntInfo: 0, exitIntInfoErrorCode: 0 },
  ]);
}

const workload: readonly SvmSnapshot[] = Array.from({ length: N }, snapshot);

// ---- What a user would write by hand: one BigInt shift-and-mask per field, bigint everywhere,
// the same exits and a cause with the same dissected fields.
const bits = (v: bigint, hi: bigint, lo: bigint): bigint =>
  (v >> lo) & ((1n << (hi - lo + 1n)) - 1n);
const big = (v: bigint | number | undefined): bigint => BigInt(v ?? 0);
const reg = (s: SvmSnapshot, name: string): bigint => big((s.regs as Record<string, bigint>)[name]);

function naiveDecode(s: SvmSnapshot): { exit: VmExit; cause: Record<string, unknown> } {
  const code = BigInt(s.exitCode);
  const info1 = big(s.exitInfo1);
  const info2 = big(s.exitInfo2);
  const intInfo = BigInt(s.exitIntInfo ?? 0);
  const cause: Record<string, unknown> = {
    arch: "x86-svm",
    code: Number(code),
    name: SVM_EXIT_CODE_NAMES[Number(code)],
    exitIntInfo: {
      raw: s.exitIntInfo,
      vector: Number(bits(intInfo, 7n, 0n)),
      type: Number(bits(intInfo, 10n, 8n)),
      errorCodeValid: bits(intInfo, 11n, 11n) === 1n,
      valid: bits(intInfo, 31n, 31n) === 1n,
    },
  };
  switch (code) {
    case 0x60n:
      cause.vector = s.interruptVector;
      return { exit: externalInterrupt({ vector: s.interruptVector ?? 0 }), cause };
    case 0x78n:
      return { exit: halt(), cause };
    case 0x7fn:
      return { exit: systemDown(), cause };
    case 0x63n:
      return { exit: cpuDown({ state: 0 }), cause };
    case 0x81n:
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
    case 0x7bn: {
      const isIn = bits(info1, 0n, 0n) === 1n;
      const size = Number(bits(info1, 6n, 4n)) as 1 | 2 | 4;
      const port = Number(bits(info1, 31n, 16n));
      Object.assign(cause, {
        direction: isIn ? "in" : "out",
        size,
        string: bits(info1, 2n, 2n) === 1n,
        rep: bits(info1, 3n, 3n) === 1n,
        addressSize: [0, 16, 32, 0, 64][Number(bits(info1, 9n, 7n))],
        segment: Number(bits(info1, 12n, 10n)),
        port,
        nextRip: info2,
      });
      if (isIn) return { exit: ioRead({ port, width: size }), cause };
      return {
        exit: ioWrite({ port, width: size, data: reg(s, "rax") & ((1n << BigInt(8 * size)) - 1n) }),
        cause,
      };
    }
    case 0x7cn: {
      const ecx = Number(bits(reg(s, "rcx"), 31n, 0n));
      if (info1 === 0n) return { exit: sysRegRead({ addr: ecx, reg: 0 }), cause };
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
    case 0x400n: {
      const fetch = bits(info1, 4n, 4n) === 1n;
      const write = bits(info1, 1n, 1n) === 1n;
      Object.assign(cause, {
        gpa: info2,
        errorCode: info1,
        present: bits(info1, 0n, 0n) === 1n,
        write,
        user: bits(info1, 2n, 2n) === 1n,
        reservedBit: bits(info1, 3n, 3n) === 1n,
        fetch,
        protectionKey: bits(info1, 5n, 5n) === 1n,
        shadowStack: bits(info1, 6n, 6n) === 1n,
        rmp: bits(info1, 31n, 31n) === 1n,
        finalTranslation: bits(info1, 32n, 32n) === 1n,
        pageTableAccess: bits(info1, 33n, 33n) === 1n,
        encrypted: bits(info1, 34n, 34n) === 1n,
        sizeMismatch: bits(info1, 35n, 35n) === 1n,
        vmpl: bits(info1, 36n, 36n) === 1n,
      });
      if (s.instructionBytes !== undefined && !fetch && bits(info1, 33n, 33n) === 0n) {
        const a = decodeX86MemAccess(s.instructionBytes, 64, "amd");
        if (!("unsupported" in a) && (a.direction === "write") === write) {
          cause.instruction = a;
          if (a.direction === "read") {
            return {
              exit: mmioRead({
                addr: info2,
                width: a.width,
                reg: a.reg as number,
                regWidth: a.regWidth,
                signedExt: a.signedExt,
              }),
              cause,
            };
          }
          const src =
            a.reg === undefined ? (a.immediate as bigint) : reg(s, X86_REG_NAMES[a.reg] as string);
          return {
            exit: mmioWrite({
              addr: info2,
              width: a.width,
              data: src & ((1n << BigInt(8 * a.width)) - 1n),
            }),
            cause,
          };
        }
      }
      return {
        exit: nestedPageFault({ addr: info2, accessFlags: fetch ? 4 : write ? 2 : 1 }),
        cause,
      };
    }
    default:
      Object.assign(cause, { exitInfo1: info1, exitInfo2: info2 });
      return { exit: nothing(), cause };
  }
}

// ---- The practical limit in plain JS: every u64 split once through a typed-array view, numbers
// inside, the exit only, a fast path for the common MOV forms (REX, 8B / 89 / 0F B6 / C7 with a
// ModRM of mod 00 and a base register) and the library's MOV decoder for everything else.
const U64 = new BigUint64Array(1);
const U32 = new Uint32Array(U64.buffer);
const J64 = new BigUint64Array(1);
const J32 = new Uint32Array(J64.buffer);
const MASK = [0, 0xff, 0xffff, 0, 0xffff_ffff];
const NPF_FLAGS = [1, 2];
const GPR = X86_REG_NAMES;

function lo32(v: bigint | number | undefined): number {
  if (typeof v === "number") return v >>> 0;
  U64[0] = v ?? 0n;
  return U32[0] as number;
}

function join(lo: number, hi: number): bigint {
  J32[0] = lo;
  J32[1] = hi;
  return J64[0] as bigint;
}

function storeData(regs: Record<string, bigint>, reg: number, width: number): bigint {
  U64[0] = regs[GPR[reg] as string] as bigint;
  if (width === 8) return U64[0] as bigint;
  return BigInt((U32[0] as number) & (MASK[width] as number)) & 0xffff_ffffn;
}

function tunedMmio(s: SvmSnapshot, gpa: bigint, write: boolean): VmExit | undefined {
  const b = s.instructionBytes as Uint8Array;
  let i = 0;
  let rex = 0;
  if ((b[0] as number) >> 4 === 4) rex = b[i++] as number;
  let op = b[i++] as number;
  const two = op === 0x0f;
  if (two) op = b[i++] as number;
  const modrm = b[i] as number;
  const rm = modrm & 7;
  if (modrm >> 6 !== 0 || rm === 4 || rm === 5) return undefined;
  const reg = ((modrm >> 3) & 7) | ((rex & 4) << 1);
  const w = (rex & 8) !== 0 ? 8 : 4;
  if (!two && op === 0x8b && !write) {
    return { kind: "MmioRead", addr: gpa as never, width: w, reg, regWidth: w, signedExt: false };
  }
  if (two && op === 0xb6 && !write) {
    return { kind: "MmioRead", addr: gpa as never, width: 1, reg, regWidth: w, signedExt: false };
  }
  const regs = s.regs as Record<string, bigint>;
  if (!two && op === 0x89 && write) {
    return { kind: "MmioWrite", addr: gpa as never, width: w, data: storeData(regs, reg, w) };
  }
  if (!two && op === 0xc7 && write && w === 4 && reg === 0) {
    const imm =
      ((b[i + 1] as number) |
        ((b[i + 2] as number) << 8) |
        ((b[i + 3] as number) << 16) |
        ((b[i + 4] as number) << 24)) >>>
      0;
    return { kind: "MmioWrite", addr: gpa as never, width: 4, data: BigInt(imm) };
  }
  return undefined;
}

function tunedDecode(s: SvmSnapshot): VmExit {
  const code = lo32(s.exitCode);
  switch (code) {
    case 0x400: {
      U64[0] = s.exitInfo1 as bigint;
      const lo = U32[0] as number;
      const hi = U32[1] as number;
      const gpa = s.exitInfo2 as bigint;
      const fetch = (lo & 0x10) !== 0;
      const write = (lo & 2) !== 0;
      if (s.instructionBytes !== undefined && !fetch && (hi & 2) === 0) {
        const fast = tunedMmio(s, gpa, write);
        if (fast !== undefined) return fast;
        const a = decodeX86MemAccess(s.instructionBytes, 64, "amd");
        if (!("unsupported" in a) && (a.direction === "write") === write) {
          if (a.direction === "read") {
            return {
              kind: "MmioRead",
              addr: gpa as never,
              width: a.width,
              reg: a.reg as number,
              regWidth: a.regWidth,
              signedExt: a.signedExt,
            };
          }
          const data =
            a.reg === undefined
              ? (a.immediate as bigint)
              : storeData(s.regs as Record<string, bigint>, a.reg, a.width);
          return { kind: "MmioWrite", addr: gpa as never, width: a.width, data };
        }
      }
      return {
        kind: "NestedPageFault",
        addr: gpa as never,
        accessFlags: (fetch ? 4 : NPF_FLAGS[write ? 1 : 0]) as never,
      };
    }
    case 0x7b: {
      const info1 = lo32(s.exitInfo1);
      const size = ((info1 >>> 4) & 7) as 1 | 2 | 4;
      const port = info1 >>> 16;
      if ((info1 & 0xc) !== 0) return { kind: "Nothing" };
      if ((info1 & 1) !== 0) return { kind: "IoRead", port: port as never, width: size };
      const rax = lo32((s.regs as Record<string, bigint>).rax);
      return {
        kind: "IoWrite",
        port: port as never,
        width: size,
        data: BigInt((rax & (MASK[size] as number)) >>> 0),
      };
    }
    case 0x7c: {
      const regs = s.regs as Record<string, bigint>;
      const ecx = lo32(regs.rcx);
      if (lo32(s.exitInfo1) === 0) return { kind: "SysRegRead", addr: ecx as never, reg: 0 };
      const eax = lo32(regs.rax);
      const edx = lo32(regs.rdx);
      if (ecx === 0x830) {
        const mode = (eax >>> 8) & 7;
        const sh = (eax >>> 18) & 3;
        if (mode === 0 || mode === 1 || mode === 4) {
          return {
            kind: "SendIPI",
            targetCpu: BigInt(edx),
            targetCpuAux: 0n,
            sendToAll: sh >= 2 || (sh === 0 && edx === 0xffff_ffff),
            sendToSelf: sh === 1 || sh === 2 || (sh === 0 && edx === 0xffff_ffff),
            vector: BigInt(mode === 4 ? 2 : eax & 0xff),
          };
        }
        if (mode === 6 && sh === 0 && edx !== 0xffff_ffff && (eax & 0x800) === 0) {
          return {
            kind: "CpuUp",
            targetCpu: BigInt(edx),
            entryPoint: BigInt((eax & 0xff) << 12) as never,
            arg: 0n,
          };
        }
        if (mode !== 3) return { kind: "Nothing" };
      }
      return { kind: "SysRegWrite", addr: ecx as never, value: join(eax, edx) };
    }
    case 0x60:
      return { kind: "ExternalInterrupt", vector: BigInt(s.interruptVector as number) };
    case 0x78:
    case 0xa6:
    case 0x8b:
      return { kind: "Halt" };
    case 0x81: {
      const r = s.regs as Record<string, bigint>;
      return {
        kind: "Hypercall",
        nr: r.rax as bigint,
        args: [r.rdi, r.rsi, r.rdx, r.rcx, r.r8, r.r9] as never,
      };
    }
    default:
      return { kind: "Nothing" };
  }
}

// Sanity: the naive and the tuned decoders agree with decodeSvm on the exits of the whole workload.
const text = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}` : x));
for (const s of workload) {
  const lib = text(decodeSvm(s).exit);
  const naive = text(naiveDecode(s).exit);
  const tuned = text(tunedDecode(s));
  if (lib !== naive) throw new Error(`bench/svm.ts: naive decoder disagrees: ${lib} vs ${naive}`);
  if (lib !== tuned) throw new Error(`bench/svm.ts: tuned decoder disagrees: ${lib} vs ${tuned}`);
}

let sink: unknown;

/** decodeSvm and decodeSvmExit on the seeded AMD mix vs a naive BigInt-per-field decoder and a tuned one. */
export const suites: BenchSuite[] = [
  {
    name: "x86 SVM decode (NPF 40 %, IOIO 20 %, MSR 15 %, INTR 10 %, HLT 5 %, other 10 %)",
    itemsPerOp: N,
    tasks: {
      decodeSvm: () => {
        for (const s of workload) sink = decodeSvm(s);
        return sink;
      },
      decodeSvmExit: () => {
        for (const s of workload) sink = decodeSvmExit(s);
        return sink;
      },
      "naive BigInt decoder": () => {
        for (const s of workload) sink = naiveDecode(s);
        return sink;
      },
      "tuned hand-written decoder": () => {
        for (const s of workload) sink = tunedDecode(s);
        return sink;
      },
    },
    bar: [
      { fast: "decodeSvm", slow: "naive BigInt decoder", ratio: 3 },
      { fast: "decodeSvmExit", slow: "tuned hand-written decoder", ratio: 0.75 },
      { fast: "decodeSvm", slow: "tuned hand-written decoder", ratio: 0.4 },
    ],
  },
];
