import fc from "fast-check";
import { failEntry, nestedPageFault } from "../core/constructors";
import type { VmExit } from "../core/exit";
import type { X86Regs } from "../x86/regs";
import { SVM_EXIT_CODES, SvmExitCode } from "../x86/svm/codes";
import { canEncodeSvm, encodeSvm } from "../x86/svm/encode";
import type { SvmEncodeOptions, SvmSnapshot } from "../x86/svm/snapshot";
import { x86InstructionBytes } from "./x86";
import { anyU64, guestRegs, ICR_MSR, u32, x86SharedExits } from "./x86-common";

/** Exits `encodeSvm` accepts under `options` (every variant; MMIO shapes as an AMD processor decodes them). */
export function svmExpressibleExit(options?: SvmEncodeOptions): fc.Arbitrary<VmExit> {
  return fc.oneof(
    ...x86SharedExits(options?.hypercallAbi === "kvm", (e) => canEncodeSvm(e, options)),
    // an NPF reports one access: READ, WRITE or EXECUTE
    fc.record({ addr: anyU64(), accessFlags: fc.constantFrom(1, 2, 4) }).map(nestedPageFault),
    // VMEXIT_INVALID, _BUSY, _IDLE_REQUIRED, _INVALID_PMC
    fc
      .constantFrom(...SVM_EXIT_CODES.filter((c) => c.code < 0).map((c) => c.exitCode))
      .map((v) => failEntry({ hardwareEntryFailureReason: v })),
  );
}

/** Every defined exit code as the VMCB holds it. */
const EXIT_CODES: readonly bigint[] = SVM_EXIT_CODES.map((c) => c.exitCode);

/**
 * SVM #VMEXIT state the hardware can produce (a defined exit code, EXITINFO1 in the form the code
 * has: one-hot IOIO sizes, MSR 0 or 1) filled with values the guest chooses: every register, the
 * bytes at RIP, the MSR written (often the x2APIC ICR, any delivery mode), the AVIC ICR, the GHCB
 * MSR. Decoding these never throws.
 */
export function svmGuestControlled(): fc.Arbitrary<SvmSnapshot> {
  return fc
    .record({
      exitCode: fc.oneof(
        fc.constantFrom(...EXIT_CODES),
        fc.constantFrom(
          BigInt(SvmExitCode.MSR),
          BigInt(SvmExitCode.NPF),
          BigInt(SvmExitCode.AVIC_INCOMPLETE_IPI),
          BigInt(SvmExitCode.AVIC_UNACCELERATED_ACCESS),
          BigInt(SvmExitCode.IOIO),
          BigInt(SvmExitCode.VMMCALL),
          BigInt(SvmExitCode.VMGEXIT),
        ),
      ),
      exitInfo1: anyU64(),
      exitInfo2: anyU64(),
      ioSize: fc.constantFrom(1n, 2n, 4n),
      write: fc.boolean(),
      exitIntInfo: u32(),
      exitIntInfoErrorCode: u32(),
      nextRip: anyU64(),
      interruptVector: fc.integer({ min: 0, max: 0xff }),
      ghcbGpa: anyU64(),
      icrMsr: fc.boolean(),
      regs: guestRegs(),
      bytes: x86InstructionBytes(),
    })
    .map((r): SvmSnapshot => {
      let info1 = r.exitInfo1;
      // IOIO: exactly one of SZ8, SZ16, SZ32 (bits 6:4); MSR: 0 (RDMSR) or 1 (WRMSR)
      if (r.exitCode === BigInt(SvmExitCode.IOIO)) info1 = (info1 & ~0x70n) | (r.ioSize << 4n);
      if (r.exitCode === BigInt(SvmExitCode.MSR)) info1 = r.write ? 1n : 0n;
      const regs: X86Regs = { ...r.regs };
      if (r.exitCode === BigInt(SvmExitCode.MSR) && r.icrMsr) regs.rcx = BigInt(ICR_MSR);
      return {
        exitCode: r.exitCode,
        exitInfo1: info1,
        exitInfo2: r.exitInfo2,
        exitIntInfo: r.exitIntInfo,
        exitIntInfoErrorCode: r.exitIntInfoErrorCode,
        nextRip: r.nextRip,
        instructionBytes: r.bytes,
        interruptVector: r.interruptVector,
        ghcbGpa: r.ghcbGpa,
        regs,
      };
    });
}

/** Valid SVM snapshots: encodings of expressible exits and hardware state with arbitrary guest values. */
export function svmSnapshot(options?: SvmEncodeOptions): fc.Arbitrary<SvmSnapshot> {
  return fc.oneof(
    svmExpressibleExit(options).map((e) => encodeSvm(e, options)),
    svmGuestControlled(),
  );
}
