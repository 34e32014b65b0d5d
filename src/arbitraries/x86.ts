import fc from "fast-check";
import {
  cpuDown,
  cpuUp,
  externalInterrupt,
  failEntry,
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
} from "../core/constructors";
import type { VmExit } from "../core/exit";
import { U64_MAX } from "../core/u64";
import { canEncodeVmx, encodeVmx } from "../x86/vmx/encode";
import { isVmxEntryFailureReason, VMX_EXIT_REASON_NAMES } from "../x86/vmx/reasons";
import {
  type VmxEncodeOptions,
  type VmxSnapshot,
  X86_REG_NAMES,
  type X86Reg,
} from "../x86/vmx/snapshot";

const anyU64 = (): fc.Arbitrary<bigint> =>
  fc.oneof(
    fc.bigInt({ min: 0n, max: U64_MAX }),
    fc.bigInt({ min: 0n, max: 0xffff_ffffn }),
    fc.constantFrom(0n, 1n, 0xffn, 0xffff_ffffn, U64_MAX),
  );
const u32 = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 0xffff_ffff });
const width = fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const);
const masks = { 1: 0xffn, 2: 0xffffn, 4: 0xffff_ffffn, 8: U64_MAX } as const;

/** MMIO reads whose register is at least as wide as the access (MOV, MOVZX, MOVSX, MOVSXD shapes). */
const mmioReadShape = fc
  .record({
    addr: anyU64(),
    width,
    regWidth: width,
    reg: fc.oneof(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 16, max: 19 })),
    signedExt: fc.boolean(),
  })
  .filter((r) => r.regWidth >= r.width)
  .map(mmioRead);

/** Exits `encodeVmx` accepts under `options` (every variant; MMIO shapes the x86 MOV encoder can express). */
export function vmxExpressibleExit(options?: VmxEncodeOptions): fc.Arbitrary<VmExit> {
  const kvm = options?.hypercallAbi === "kvm";
  const args = kvm
    ? fc.tuple(anyU64(), anyU64(), anyU64(), anyU64(), fc.constant(0n), fc.constant(0n))
    : fc.tuple(anyU64(), anyU64(), anyU64(), anyU64(), anyU64(), anyU64());
  const smallWidth = fc.constantFrom(1 as const, 2 as const, 4 as const);
  const port = fc.integer({ min: 0, max: 0xffff });
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
  const all: fc.Arbitrary<VmExit>[] = [
    fc.record({ nr: anyU64(), args }).map(hypercall),
    mmioReadShape.filter((e) => canEncodeVmx(e, options)),
    fc
      .record({ addr: anyU64(), width, data: anyU64() })
      .map((r) => mmioWrite({ ...r, data: r.data & masks[r.width] }))
      .filter((e) => canEncodeVmx(e, options)),
    fc.record({ addr: u32(), reg: fc.constant(0) }).map(sysRegRead),
    fc.record({ addr: u32().filter((a) => a !== 0x830), value: anyU64() }).map(sysRegWrite),
    fc.record({ port, width: smallWidth }).map(ioRead),
    fc
      .record({ port, width: smallWidth, data: anyU64() })
      .map((r) => ioWrite({ ...r, data: r.data & masks[r.width] })),
    fc.integer({ min: 0, max: 0xff }).map((vector) => externalInterrupt({ vector })),
    fc.record({ addr: anyU64(), accessFlags: fc.integer({ min: 0, max: 7 }) }).map(nestedPageFault),
    fc.constant(null).map(halt),
    fc
      .record({
        targetCpu: fc.integer({ min: 0, max: 0xffff_fffe }),
        page: fc.integer({ min: 0, max: 0xff }),
      })
      .map((r) => cpuUp({ targetCpu: r.targetCpu, entryPoint: r.page * 0x1000, arg: 0 })),
    fc.constant(null).map(() => cpuDown({ state: 0 })),
    fc.constant(null).map(systemDown),
    fc.constant(null).map(nothing),
    failReason.map((r) => failEntry({ hardwareEntryFailureReason: r })),
    fc
      .record({
        targetCpu: u32(),
        sendToAll: fc.boolean(),
        sendToSelf: fc.boolean(),
        vector: fc.integer({ min: 0, max: 0xff }),
      })
      // 0xFFFFFFFF with no shorthand is the x2APIC broadcast, which decodes as sendToAll + sendToSelf
      .filter((r) => r.sendToAll || r.sendToSelf || r.targetCpu !== 0xffff_ffff)
      .map((r) => sendIpi({ ...r, targetCpuAux: 0 })),
  ];
  return fc.oneof(...all);
}

const GPRS: readonly X86Reg[] = [...X86_REG_NAMES, "rip"];

/** Defined basic reasons that are not VM-entry failures. */
const ORDINARY_REASONS = VMX_EXIT_REASON_NAMES.flatMap((name, i) =>
  name !== undefined && !isVmxEntryFailureReason(i) ? [i] : [],
);

/** A raw snapshot of any defined reason, with every register and VMCS field filled consistently. */
function rawVmxSnapshot(): fc.Arbitrary<VmxSnapshot> {
  const regs = fc
    .tuple(...GPRS.map(() => anyU64()))
    .map(
      (values) => Object.fromEntries(GPRS.map((r, i) => [r, values[i]])) as Record<X86Reg, bigint>,
    );
  return fc
    .record({
      basic: fc.constantFrom(...ORDINARY_REASONS),
      flags: fc.integer({ min: 0, max: 15 }),
      qualification: anyU64(),
      ioSize: fc.constantFrom(0, 1, 3),
      gpa: anyU64(),
      gla: anyU64(),
      vector: fc.integer({ min: 0, max: 0xff }),
      intrType: fc.integer({ min: 0, max: 7 }),
      icrMsr: fc.boolean(),
      regs,
      bytes: fc.uint8Array({ maxLength: 15 }),
    })
    .map((r): VmxSnapshot => {
      const exitReason = ((r.flags << 26) | r.basic) >>> 0;
      let q = r.qualification;
      if (r.basic === 30) q = (q & 0xffff_fff8n) | BigInt(r.ioSize);
      const regs = { ...r.regs };
      if (r.basic === 32 && r.icrMsr) regs.rcx = 0x830n;
      // ICR delivery mode 3 is reserved (decodes to an error), so valid snapshots avoid it.
      if ((regs.rcx & 0xffff_ffffn) === 0x830n && (regs.rax & 0x700n) === 0x300n)
        regs.rax ^= 0x100n;
      const intrType = r.basic === 1 ? 0 : r.intrType;
      return {
        exitReason,
        exitQualification: q,
        guestPhysicalAddress: r.gpa,
        guestLinearAddress: r.gla,
        exitInterruptionInfo: (0x8000_0000 | (intrType << 8) | r.vector) >>> 0,
        instructionBytes: r.bytes,
        regs,
      };
    });
}

/** Valid VMX snapshots: encodings of expressible exits and raw snapshots of every defined reason. */
export function vmxSnapshot(options?: VmxEncodeOptions): fc.Arbitrary<VmxSnapshot> {
  return fc.oneof(
    vmxExpressibleExit(options).map((e) => encodeVmx(e, options)),
    rawVmxSnapshot(),
  );
}
