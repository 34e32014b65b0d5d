import fc from "fast-check";
import { failEntry, nestedPageFault } from "../core/constructors";
import type { VmExit } from "../core/exit";
import type { X86Regs } from "../x86/regs";
import { canEncodeVmx, encodeVmx } from "../x86/vmx/encode";
import { isVmxEntryFailureReason, VMX_EXIT_REASON_NAMES, VmxExitReason } from "../x86/vmx/reasons";
import type { VmxEncodeOptions, VmxSnapshot } from "../x86/vmx/snapshot";
import { anyU64, guestRegs, ICR_MSR, u32, x86SharedExits } from "./x86-common";

/** Exits `encodeVmx` accepts under `options` (every variant; MMIO shapes the x86 MOV encoder can express). */
export function vmxExpressibleExit(options?: VmxEncodeOptions): fc.Arbitrary<VmExit> {
  const failReason = fc
    .record({
      basic: fc.integer({ min: 0, max: 85 }),
      flags: fc.integer({ min: 0, max: 0x7fff }),
      failed: fc.boolean(),
    })
    .map(
      ({ basic, flags, failed }) =>
        ((isVmxEntryFailureReason(basic) || failed ? 0x8000_0000 : 0) | (flags << 16) | basic) >>>
        0,
    )
    .filter(
      (r) =>
        VMX_EXIT_REASON_NAMES[r & 0xffff] !== undefined &&
        (r >>> 31 === 1 || isVmxEntryFailureReason(r & 0xffff)),
    );
  return fc.oneof(
    ...x86SharedExits(options?.hypercallAbi === "kvm", (e) => canEncodeVmx(e, options)),
    fc.record({ addr: anyU64(), accessFlags: fc.integer({ min: 0, max: 7 }) }).map(nestedPageFault),
    failReason.map((r) => failEntry({ hardwareEntryFailureReason: r })),
  );
}

/** Defined basic reasons that are not VM-entry failures. */
const ORDINARY_REASONS = VMX_EXIT_REASON_NAMES.flatMap((name, i) =>
  name !== undefined && !isVmxEntryFailureReason(i) ? [i] : [],
);

/** Bytes a guest could have at RIP: anything, and MOV-family opcodes with any prefixes and operands. */
export function x86InstructionBytes(): fc.Arbitrary<Uint8Array> {
  const prefix = fc.constantFrom(
    0x66,
    0x67,
    0x26,
    0x2e,
    0x36,
    0x3e,
    0x64,
    0x65,
    0xf0,
    0xf2,
    0xf3,
    0x40,
    0x41,
    0x44,
    0x48,
    0x4c,
    0x4f,
  );
  const opcode = fc.constantFrom(
    [0x88],
    [0x89],
    [0x8a],
    [0x8b],
    [0xa0],
    [0xa1],
    [0xa2],
    [0xa3],
    [0xc6],
    [0xc7],
    [0x63],
    [0x0f, 0xb6],
    [0x0f, 0xb7],
    [0x0f, 0xbe],
    [0x0f, 0xbf],
  );
  const movLike = fc
    .tuple(
      fc.array(prefix, { maxLength: 4 }),
      opcode,
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 12 }),
    )
    .map(([p, op, rest]) => Uint8Array.from([...p, ...op, ...rest]));
  return fc.oneof(fc.uint8Array({ maxLength: 20 }), movLike);
}

/**
 * VMX exit state the hardware can produce (a defined exit reason with its flags, the fields each
 * reason needs in their valid forms) filled with values the guest chooses: every register, the
 * instruction bytes at RIP, the MSR written (often the x2APIC ICR, with any delivery mode). Decoding
 * these never throws.
 */
export function vmxGuestControlled(): fc.Arbitrary<VmxSnapshot> {
  return fc
    .record({
      basic: fc.oneof(
        fc.constantFrom(...ORDINARY_REASONS),
        fc.constantFrom(
          VmxExitReason.MSR_WRITE,
          VmxExitReason.EPT_VIOLATION,
          VmxExitReason.EPT_MISCONFIG,
          VmxExitReason.APIC_ACCESS,
          VmxExitReason.IO_INSTRUCTION,
          VmxExitReason.VMCALL,
        ),
      ),
      flags: fc.integer({ min: 0, max: 15 }),
      failed: fc.boolean(),
      qualification: anyU64(),
      ioSize: fc.constantFrom(0, 1, 3),
      gpa: anyU64(),
      gla: anyU64(),
      vector: fc.integer({ min: 0, max: 0xff }),
      intrType: fc.integer({ min: 0, max: 7 }),
      errorCode: u32(),
      idt: u32(),
      length: fc.integer({ min: 1, max: 15 }),
      icrMsr: fc.boolean(),
      regs: guestRegs(),
      bytes: x86InstructionBytes(),
    })
    .map((r): VmxSnapshot => {
      // a failed VM entry (bit 31) now and then, with any defined basic reason
      const failed = r.failed && r.basic % 7 === 0;
      const exitReason = ((failed ? 0x8000_0000 : 0) | (r.flags << 26) | r.basic) >>> 0;
      let q = r.qualification;
      // the I/O size field is 0, 1 or 3 on hardware (bits 2:0)
      if (r.basic === VmxExitReason.IO_INSTRUCTION) q = (q & ~7n) | BigInt(r.ioSize);
      const regs: X86Regs = { ...r.regs };
      if (r.basic === VmxExitReason.MSR_WRITE && r.icrMsr) regs.rcx = BigInt(ICR_MSR);
      // an EXTERNAL_INTERRUPT exit has valid interruption information of type 0
      const intrType = r.basic === VmxExitReason.EXTERNAL_INTERRUPT ? 0 : r.intrType;
      return {
        exitReason,
        exitQualification: q,
        guestPhysicalAddress: r.gpa,
        guestLinearAddress: r.gla,
        exitInterruptionInfo: (0x8000_0000 | (intrType << 8) | r.vector) >>> 0,
        exitInterruptionErrorCode: r.errorCode,
        idtVectoringInfo: r.idt,
        instructionLength: r.length,
        instructionBytes: r.bytes,
        regs,
      };
    });
}

/** Valid VMX snapshots: encodings of expressible exits and hardware state with arbitrary guest values. */
export function vmxSnapshot(options?: VmxEncodeOptions): fc.Arbitrary<VmxSnapshot> {
  return fc.oneof(
    vmxExpressibleExit(options).map((e) => encodeVmx(e, options)),
    vmxGuestControlled(),
  );
}
