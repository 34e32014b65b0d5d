// What the VMX and SVM arbitraries share: guest values (u64 registers), and the exits both x86
// formats express the same way (hypercalls, MMIO through the MOV encoder, MSRs, port I/O, the
// x2APIC ICR, HLT, …). Each format adds its nested-page-fault and entry-failure shapes.
import fc from "fast-check";
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
  nothing,
  sendIpi,
  sysRegRead,
  sysRegWrite,
  systemDown,
} from "../core/constructors";
import type { VmExit } from "../core/exit";
import { U64_MAX } from "../core/u64";
import { X86_REG_NAMES, type X86Reg } from "../x86/regs";

/** Any u64, biased towards the edges and 32-bit values. */
export const anyU64 = (): fc.Arbitrary<bigint> =>
  fc.oneof(
    fc.bigInt({ min: 0n, max: U64_MAX }),
    fc.bigInt({ min: 0n, max: 0xffff_ffffn }),
    fc.constantFrom(0n, 1n, 0xffn, 0xffff_ffffn, U64_MAX),
  );
/** Any u32 as a number. */
export const u32 = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 0xffff_ffff });

const width = fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const);
const masks = { 1: 0xffn, 2: 0xffffn, 4: 0xffff_ffffn, 8: U64_MAX } as const;

/** The x2APIC ICR MSR, which guests write to send IPIs. */
export const ICR_MSR = 0x830;

/** MMIO reads whose register is at least as wide as the access, and the AMD 66 63 shape (4 → 2, signed). */
const mmioReadShape = fc
  .record({
    addr: anyU64(),
    width,
    regWidth: width,
    reg: fc.oneof(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 16, max: 19 })),
    signedExt: fc.boolean(),
  })
  .filter((r) => r.regWidth >= r.width || (r.width === 4 && r.regWidth === 2))
  .map(mmioRead);

/** WRMSRs: any MSR, and the x2APIC ICR with the reserved delivery mode 3 (other ICR writes are IPIs). */
const msrWrite = fc
  .record({ addr: fc.oneof(u32(), fc.constant(ICR_MSR)), value: anyU64() })
  .map(({ addr, value }) =>
    sysRegWrite({ addr, value: addr === ICR_MSR ? (value & ~0x700n) | 0x300n : value }),
  );

/**
 * The exits VMX and SVM both express, as their encoders accept them under `kvm` ABI or not
 * (`canEncode` filters the MMIO shapes).
 */
export function x86SharedExits(
  kvm: boolean,
  canEncode: (exit: VmExit) => boolean,
): fc.Arbitrary<VmExit>[] {
  const args = kvm
    ? fc.tuple(anyU64(), anyU64(), anyU64(), anyU64(), fc.constant(0n), fc.constant(0n))
    : fc.tuple(anyU64(), anyU64(), anyU64(), anyU64(), anyU64(), anyU64());
  const smallWidth = fc.constantFrom(1 as const, 2 as const, 4 as const);
  const port = fc.integer({ min: 0, max: 0xffff });
  return [
    fc.record({ nr: anyU64(), args }).map(hypercall),
    mmioReadShape.filter(canEncode),
    fc
      .record({ addr: anyU64(), width, data: anyU64() })
      .map((r) => mmioWrite({ ...r, data: r.data & masks[r.width] }))
      .filter(canEncode),
    fc.record({ addr: u32(), reg: fc.constant(0) }).map(sysRegRead),
    msrWrite,
    fc.record({ port, width: smallWidth }).map(ioRead),
    fc
      .record({ port, width: smallWidth, data: anyU64() })
      .map((r) => ioWrite({ ...r, data: r.data & masks[r.width] })),
    fc.integer({ min: 0, max: 0xff }).map((vector) => externalInterrupt({ vector })),
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
}

const GPRS: readonly X86Reg[] = [...X86_REG_NAMES, "rip"];

/** Every guest register with a value the guest chose. */
export function guestRegs(): fc.Arbitrary<Record<X86Reg, bigint>> {
  return fc
    .tuple(...GPRS.map(() => anyU64()))
    .map(
      (values) => Object.fromEntries(GPRS.map((r, i) => [r, values[i]])) as Record<X86Reg, bigint>,
    );
}
