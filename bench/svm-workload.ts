// The seeded AMD SVM mix every SVM bench decoder runs on: EXITCODE and EXITINFO1/2 as u64 bigints
// as a VMCB reader gives them, EXITINTINFO 0, 64-bit registers as bigints.
import { X86_REG_NAMES } from "../src/x86/regs";
import type { SvmSnapshot } from "../src/x86/svm/snapshot";
import { seededRandom } from "./harness";

/** Snapshots per operation. */
export const N = 1024;
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

/** The workload: N snapshots of the mix, the same on every run. */
export const workload: readonly SvmSnapshot[] = Array.from({ length: N }, snapshot);
