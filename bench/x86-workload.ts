// The VMX bench workload: a fixed seeded mix of the exits a KVM/x86 guest causes most, with every
// 64-bit value (the exit qualification, the guest-physical address, the guest registers) a
// bigint, as a VMM reading the VMCS and KVM_GET_REGS has them; 32-bit VMCS fields are numbers.
import type { VmxSnapshot } from "../src/x86/vmx/snapshot";
import { seededRandom } from "./harness";

/** How many snapshots one bench operation decodes. */
export const N = 1024;

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

/** One snapshot of the mix: EPT violation 40 % (half MMIO with bytes), I/O 20 %, MSR 15 %, external interrupt 10 %, HLT 5 %, other 10 %. */
function snapshot(): VmxSnapshot {
  const r = rnd();
  if (r < 0.4) {
    const bytes = pick(MMIO_BYTES);
    const write = bytes[0] === 0x89 || bytes[0] === 0xc7 || bytes[1] === 0x89;
    const gpa = BigInt(0xfebf_0000 + Math.floor(rnd() * 0x1_0000));
    const withBytes = rnd() < 0.5;
    // read / write at the final translation with a valid linear address (0x181 / 0x182), a write
    // to a readable and executable page (0x1aa), an instruction fetch (0x184)
    const q = withBytes ? (write ? 0x182 : 0x181) : pick([0x181, 0x182, 0x1aa, 0x184]);
    return {
      exitReason: 48,
      exitQualification: BigInt(q),
      guestPhysicalAddress: gpa,
      ...(withBytes ? { instructionBytes: bytes } : {}),
      regs: regs(),
    };
  }
  if (r < 0.6) {
    const size = pick([0, 1, 3]);
    const isIn = rnd() < 0.5 ? 8 : 0;
    return {
      exitReason: 30,
      exitQualification: BigInt((pick(PORTS) << 16) | isIn | size),
      regs: regs(),
    };
  }
  if (r < 0.75) {
    const rr = regs();
    rr.rcx = BigInt(pick(MSRS));
    // x2APIC ICR writes: Fixed vector 0xFD, Fixed to all but self, Fixed to self, Start-up at
    // page 0x9A, NMI
    if (rr.rcx === 0x830n) rr.rax = BigInt(pick([0xfd, 0xc_00fd, 0x4_00ec, 0x69a, 0x400]));
    return { exitReason: rnd() < 0.5 ? 31 : 32, regs: rr };
  }
  if (r < 0.85)
    return { exitReason: 1, exitInterruptionInfo: (0x8000_0000 | Math.floor(rnd() * 256)) >>> 0 };
  if (r < 0.9) return { exitReason: 12, instructionLength: 1 };
  return pick<VmxSnapshot>([
    { exitReason: 10, regs: regs() },
    { exitReason: 28, exitQualification: 0x3n },
    {
      exitReason: 0,
      exitQualification: 0x7f00_1000n,
      exitInterruptionInfo: 0x8000_0b0e,
      exitInterruptionErrorCode: 6,
    },
    { exitReason: 18, regs: regs() },
    { exitReason: 40 },
  ]);
}

/** The workload: N snapshots of the mix, the same on every run. */
export const workload: readonly VmxSnapshot[] = Array.from({ length: N }, snapshot);
