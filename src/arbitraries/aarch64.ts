import fc from "fast-check";
import { PSCI_EXITS } from "../aarch64/decode/call";
import { isSgiRegister } from "../aarch64/decode/sgi";
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
      // A write to an SGI register with IRM = 0 needs RS ≤ 3 (bits 47:46 of the value clear).
      const rt = (iss >>> 5) & 31;
      if (r.ec === 0x18 && (iss & 1) === 0 && isSgiRegister(iss & 0x3f_fc1e) && rt < 31) {
        x[rt] = (x[rt] as bigint) & ~(3n << 46n);
      }
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
