import fc from "fast-check";
import { PSCI_EXITS } from "../aarch64/decode/call";
import { isSgiRegister } from "../aarch64/decode/sgi";
import { LOAD_STORE_CLASSES } from "../aarch64/layout/load-store";
import type { Aarch64Snapshot } from "../aarch64/snapshot";
import { ESR_EC_NAMES } from "../aarch64/tables/ec";
import {
  cpuDown,
  cpuUp,
  externalInterrupt,
  halt,
  hypercall,
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
import { u64 } from "./index";

const MAX_IPA = (1n << 56n) - 1n;
const ALLOCATED_ECS: readonly number[] = ESR_EC_NAMES.flatMap((n, ec) =>
  n === undefined ? [] : [ec],
);

/** An IPA HPFAR + FAR can carry: 0…2^56 − 1. */
function ipa(): fc.Arbitrary<bigint> {
  return fc.oneof(
    fc.bigInt({ min: 0n, max: MAX_IPA }),
    fc.bigInt({ min: 0n, max: 0xffff_ffffn }),
    fc.constantFrom(0n, 0x900_0000n, 0x800_0000n, MAX_IPA),
  );
}

const reg = fc.integer({ min: 0, max: 31 });
const width = fc.constantFrom<1 | 2 | 4 | 8>(1, 2, 4, 8);
const sysAddr = fc.integer({ min: 0, max: 0x3f_ffff }).map((v) => v & 0x3f_fc1e);

function sgiExit(): fc.Arbitrary<VmExit> {
  return fc.oneof(
    fc
      .integer({ min: 0, max: 15 })
      .map((v) =>
        sendIpi({ targetCpu: 0, targetCpuAux: 0, sendToAll: true, sendToSelf: false, vector: v }),
      ),
    fc
      .record({
        aff: fc.integer({ min: 0, max: 0xff_ffff }),
        rs: fc.integer({ min: 0, max: 3 }),
        list: fc.integer({ min: 0, max: 0xffff }),
        vector: fc.integer({ min: 0, max: 15 }),
      })
      .map(({ aff, rs, list, vector }) =>
        sendIpi({
          targetCpu: (aff << 8) >>> 0,
          targetCpuAux: BigInt(list) << BigInt(16 * rs),
          sendToAll: false,
          sendToSelf: false,
          vector,
        }),
      ),
  );
}

/** Any exit `encodeAarch64` accepts (every kind AArch64 can express, within its limits). */
export function aarch64ExpressibleExit(): fc.Arbitrary<VmExit> {
  return fc.oneof(
    fc
      .record({
        nr: u64().filter((nr) => !PSCI_EXITS.has(Number(nr & 0xffff_ffffn))),
        args: fc.tuple(u64(), u64(), u64(), u64(), u64(), u64()),
      })
      .map(hypercall),
    fc
      .record({
        addr: ipa(),
        width,
        reg,
        regWidth: fc.constantFrom<4 | 8>(4, 8),
        signedExt: fc.boolean(),
      })
      .filter((r) => !(r.width === 8 && r.regWidth === 4))
      .map(mmioRead),
    fc
      .record({ addr: ipa(), width, data: u64() })
      .map((r) => mmioWrite({ ...r, data: r.data & ((1n << BigInt(8 * r.width)) - 1n) })),
    fc.record({ addr: sysAddr, reg }).map(sysRegRead),
    fc.record({ addr: sysAddr.filter((a) => !isSgiRegister(a)), value: u64() }).map(sysRegWrite),
    u64().map((vector) => externalInterrupt({ vector })),
    fc.record({ addr: ipa(), accessFlags: fc.constantFrom(1, 2, 4) }).map(nestedPageFault),
    fc.constant(null).map(halt),
    fc.record({ targetCpu: u64(), entryPoint: u64(), arg: u64() }).map(cpuUp),
    fc.constant(null).map(() => cpuDown({ state: 0 })),
    fc.constant(null).map(systemDown),
    fc.constant(null).map(nothing),
    sgiExit(),
  );
}

/** Valid raw AArch64 snapshots: an allocated EC, ESR[63:56] clear, every register supplied, no reserved syndrome. */
export function aarch64Snapshot(): fc.Arbitrary<Aarch64Snapshot> {
  return fc
    .record({
      ec: fc.oneof(fc.constantFrom(...ALLOCATED_ECS), fc.constantFrom(0x01, 0x16, 0x18, 0x24)),
      iss: fc.oneof(
        fc.integer({ min: 0, max: 0x1ff_ffff }),
        // msr ICC_SGI{1,A1,0}R_EL1, Xt: (3, 0, 12, 11, 5…7)
        fc
          .record({ op2: fc.integer({ min: 5, max: 7 }), rt: fc.integer({ min: 0, max: 31 }) })
          .map(({ op2, rt }) => (3 << 20) | (op2 << 17) | (12 << 10) | (rt << 5) | (11 << 1)),
      ),
      il: fc.boolean(),
      iss2: fc.integer({ min: 0, max: 0xff_ffff }),
      far: u64(),
      hpfar: u64(),
      x: fc.array(u64(), { minLength: 31, maxLength: 31 }),
      exception: fc.constantFrom("sync", "sync", "sync", "irq", "fiq", "serror"),
      irq: fc.integer({ min: 0, max: 1023 }),
      instruction: fc.integer({ min: 0, max: 0xffff_ffff }),
    })
    .map((r) => {
      let iss = r.iss;
      // ISV = 1 with SAS = 3 needs SF = 1 (a doubleword access uses an X register).
      if ((r.ec & ~1) === 0x24 && (iss >>> 22) % 4 === 3) iss |= 1 << 15;
      const x = [...r.x];
      const esr =
        (BigInt(r.iss2) << 32n) | BigInt(((r.ec << 26) | (r.il ? 1 << 25 : 0) | iss) >>> 0);
      return {
        esr,
        far: r.far,
        hpfar: r.hpfar,
        x,
        exception: r.exception,
        irq: r.irq,
        instruction: r.instruction,
      } satisfies Aarch64Snapshot;
    });
}

// ESR values of the classes whose exits read guest-chosen values, the rest of the ISS arbitrary:
// data aborts from a lower EL with a translation fault (the MMIO path), writes to the SGI
// registers, HVC/SMC from both states, WFx; and any allocated class.
const DABT_LOW_TRANSLATION = fc
  .record({ iss: fc.integer({ min: 0, max: 0x1ff_ffff }), level: fc.integer({ min: 4, max: 7 }) })
  .map(({ iss, level }) => ({ ec: 0x24, iss: (iss & ~0x3f) | level }));
const SGI_WRITE = fc
  .record({ op2: fc.integer({ min: 5, max: 7 }), rt: fc.integer({ min: 0, max: 31 }) })
  .map(({ op2, rt }) => ({
    ec: 0x18,
    iss: (3 << 20) | (op2 << 17) | (12 << 10) | (rt << 5) | (11 << 1),
  }));
const CALL = fc.record({
  ec: fc.constantFrom(0x12, 0x13, 0x16, 0x17),
  iss: fc.integer({ min: 0, max: 0xffff }),
});
const ANY_CLASS = fc.record({
  ec: fc.constantFrom(...ALLOCATED_ECS),
  iss: fc.integer({ min: 0, max: 0x1ff_ffff }),
});

/** A guest's register value: anything, with the interesting edges (all ones, SGI RS > 3, PSCI IDs). */
function guestValue(): fc.Arbitrary<bigint> {
  return fc.oneof(
    u64(),
    fc.constantFrom(
      0n,
      U64_MAX,
      0x00ff_f0ff_0fff_ffffn, // SGI: RS 15, IRM 0, every TargetList bit
      0x0000_4000_0100_0001n, // SGI: RS 4
      0xffff_ffff_c400_0003n, // CPU_ON (64) with garbage in bits 63:32
      0x8400_0003n, // CPU_ON (32)
    ),
    fc.bigInt({ min: 0n, max: 0xffffn }).map((n) => 0x8400_0000n | n), // PSCI and neighbours
  );
}

/** An instruction word at the faulting PC: anything, or any word of a load/store class. */
function guestInstruction(): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: 0, max: 0xffff_ffff }),
    fc
      .tuple(fc.constantFrom(...LOAD_STORE_CLASSES), fc.integer({ min: 0, max: 0xffff_ffff }))
      .map(([c, r]) => ((r & ~c.mask) | c.match) >>> 0),
  );
}

/**
 * Valid AArch64 hardware state (an allocated EC, ESR[63:56] clear, no reserved syndrome, every
 * register supplied) with arbitrary values in what the guest chooses: X registers (store data,
 * values written to system registers, SMCCC function IDs and arguments), FAR_EL2 (a guest VA)
 * and the instruction word. Decoding these never throws.
 */
export function aarch64GuestControlled(): fc.Arbitrary<Aarch64Snapshot> {
  return fc
    .record({
      syndrome: fc.oneof(DABT_LOW_TRANSLATION, SGI_WRITE, CALL, ANY_CLASS),
      il: fc.boolean(),
      iss2: fc.integer({ min: 0, max: 0xff_ffff }),
      far: guestValue(),
      fipa: fc.bigInt({ min: 0n, max: (1n << 44n) - 1n }),
      x: fc.array(guestValue(), { minLength: 31, maxLength: 31 }),
      exception: fc.constantFrom("sync", "sync", "sync", "sync", "irq", "fiq", "serror"),
      irq: fc.integer({ min: 0, max: 1023 }),
      instruction: guestInstruction(),
    })
    .map((r) => {
      const { ec } = r.syndrome;
      let iss = r.syndrome.iss;
      // ISV = 1 with SAS = 3 needs SF = 1: hardware never reports 8 bytes through a W register.
      if ((ec & ~1) === 0x24 && (iss >>> 24) & 1 && (iss >>> 22) % 4 === 3) iss |= 1 << 15;
      const esr = (BigInt(r.iss2) << 32n) | BigInt(((ec << 26) | (r.il ? 1 << 25 : 0) | iss) >>> 0);
      return {
        esr,
        far: r.far,
        hpfar: r.fipa << 4n,
        x: r.x,
        exception: r.exception,
        irq: r.irq,
        instruction: r.instruction,
      } satisfies Aarch64Snapshot;
    });
}
