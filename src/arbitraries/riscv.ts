import fc from "fast-check";
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
import type { RiscvSnapshot, RiscvXlen } from "../riscv/snapshot";

const u64 = (): fc.Arbitrary<bigint> =>
  fc.oneof(
    fc.bigInt({ min: 0n, max: U64_MAX }),
    fc.bigInt({ min: 0n, max: 0xffff_ffffn }),
    fc.constantFrom(0n, 1n, 0xffff_ffffn, U64_MAX),
  );
const reg = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 31 });
const args6 = fc.tuple(u64(), u64(), u64(), u64(), u64(), u64());

/** Interrupt codes that decode (standard ones and platform codes ≥ 16, below 2^63). */
const interruptCode = (): fc.Arbitrary<bigint> =>
  fc.oneof(
    fc.constantFrom(1n, 2n, 3n, 5n, 6n, 7n, 9n, 10n, 11n, 12n, 13n),
    fc.bigInt({ min: 16n, max: (1n << 63n) - 1n }),
  );

const rv64Read = fc
  .record({
    addr: u64(),
    width: fc.constantFrom(1, 2, 4, 8),
    reg: reg(),
    signed: fc.boolean(),
  })
  .map(({ addr, width, reg, signed }) =>
    mmioRead({ addr, width, reg, regWidth: 8, signedExt: width === 8 ? true : signed }),
  );
const rv32Read = fc
  .record({
    addr: fc.bigInt({ min: 0n, max: (1n << 34n) - 1n }),
    width: fc.constantFrom(1, 2, 4),
    reg: reg(),
    signed: fc.boolean(),
  })
  .map(({ addr, width, reg, signed }) =>
    mmioRead({ addr, width, reg, regWidth: 4, signedExt: width === 4 ? true : signed }),
  );
const write = fc
  .record({ addr: u64(), width: fc.constantFrom(1, 2, 4, 8), data: u64() })
  .map(({ addr, width, data }) =>
    mmioWrite({ addr, width, data: data & ((1n << BigInt(8 * width)) - 1n) }),
  );
const ipi = fc
  .record({ targetCpu: u64(), targetCpuAux: u64(), all: fc.boolean() })
  .map(({ targetCpu, targetCpuAux, all }) => {
    const base = all ? U64_MAX : targetCpu;
    return sendIpi({
      targetCpu: base,
      targetCpuAux,
      sendToAll: base === U64_MAX,
      sendToSelf: false,
      vector: 1n,
    });
  });

/** Exits `encodeRiscv` accepts (every kind RISC-V can express, within its encoding limits). */
export function riscvExpressibleExit(): fc.Arbitrary<VmExit> {
  return fc.oneof(
    fc.record({ nr: u64(), args: args6 }).map(hypercall),
    rv64Read,
    rv32Read,
    write,
    fc.record({ addr: fc.integer({ min: 0, max: 4095 }), reg: reg() }).map(sysRegRead),
    fc.record({ addr: fc.integer({ min: 0, max: 4095 }), value: u64() }).map(sysRegWrite),
    interruptCode().map((vector) => externalInterrupt({ vector })),
    fc.record({ addr: u64(), accessFlags: fc.constantFrom(0x1, 0x2, 0x4) }).map(nestedPageFault),
    fc.constant(null).map(halt),
    fc.record({ targetCpu: u64(), entryPoint: u64(), arg: u64() }).map(cpuUp),
    fc.constant(null).map(() => cpuDown({ state: 0n })),
    fc.constant(null).map(systemDown),
    fc.constant(null).map(nothing),
    ipi,
  ) as fc.Arbitrary<VmExit>;
}

/** CSR instructions (SYSTEM, funct3 ≠ 0/4) with rs1/uimm = 0 or rd = 0 half of the time: pure reads and writes. */
function csrInstruction(): fc.Arbitrary<number> {
  return fc
    .record({
      csr: fc.integer({ min: 0, max: 0xfff }),
      funct3: fc.constantFrom(1, 2, 3, 5, 6, 7),
      rs1: fc.oneof(fc.constant(0), reg()),
      rd: fc.oneof(fc.constant(0), reg()),
    })
    .map(
      ({ csr, funct3, rs1, rd }) =>
        ((csr << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | 0x73) >>> 0,
    );
}

/** A 16- or 32-bit word biased towards loads, stores, CSR instructions and WFI. */
function instructionWord(): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: 0, max: 0xffff }),
    fc.integer({ min: 0, max: 0xffff_ffff }),
    fc.integer({ min: 0, max: 0x1ff_ffff }).map((v) => ((v << 7) | 0x03) >>> 0),
    fc.integer({ min: 0, max: 0x1ff_ffff }).map((v) => ((v << 7) | 0x23) >>> 0),
    fc.integer({ min: 0, max: 0x1ff_ffff }).map((v) => ((v << 7) | 0x73) >>> 0),
    csrInstruction(),
    fc.constant(0x1050_0073),
  );
}

/** htinst values: 0, transformed loads/stores (32-bit or compressed), pseudo-instructions, anything. */
function htinst(): fc.Arbitrary<bigint> {
  const transformed = fc
    .record({
      funct3: fc.integer({ min: 0, max: 7 }),
      reg: reg(),
      store: fc.boolean(),
      compressed: fc.boolean(),
      offset: fc.constantFrom(0, 0, 0, 1, 2),
    })
    .map(({ funct3, reg, store, compressed, offset }) => {
      const base = store ? (reg << 20) | 0x23 : (reg << 7) | 0x03;
      const word = base | (funct3 << 12) | (offset << 15);
      return BigInt((compressed ? word & ~2 : word) >>> 0);
    });
  return fc.oneof(
    fc.constant(0n),
    transformed,
    fc.constantFrom(0x2000n, 0x2020n, 0x3000n, 0x3020n),
    u64(),
  );
}

/** scause values that are not reserved, for RV64 or RV32. */
function scause(xlen: RiscvXlen): fc.Arbitrary<bigint> {
  const top = xlen === 64 ? 1n << 63n : 1n << 31n;
  const exceptions = fc.constantFrom(
    0n,
    1n,
    2n,
    3n,
    4n,
    5n,
    6n,
    7n,
    8n,
    9n,
    10n,
    11n,
    12n,
    13n,
    15n,
    16n,
    18n,
    19n,
    20n,
    21n,
    22n,
    23n,
    24n,
    31n,
    48n,
    63n,
  );
  const interrupts = interruptCode().map((c) => top | (c & (top - 1n)));
  return fc.oneof(
    { arbitrary: exceptions, weight: 2 },
    { arbitrary: fc.constantFrom(10n, 20n, 21n, 22n, 23n), weight: 3 },
    { arbitrary: interrupts.filter((v) => v !== top), weight: 1 },
  );
}

/** Valid raw RISC-V snapshots (every register present, values within XLEN): decoding never throws. */
export function riscvSnapshot(): fc.Arbitrary<RiscvSnapshot> {
  return fc.constantFrom<RiscvXlen>(64, 64, 32).chain((xlen) => {
    const mask = xlen === 64 ? U64_MAX : 0xffff_ffffn;
    const value = u64().map((v) => v & mask);
    const a7 = fc.oneof(
      fc.constantFrom(0x48534dn, 0x53525354n, 0x735049n, 0x485643n, 8n, 1n, 0x10n, 0x54494d45n),
      value,
    );
    return fc
      .record({
        scause: scause(xlen),
        // stval: a guest-virtual address, or the trapping instruction (virtual-instruction traps).
        stval: fc.oneof(value, instructionWord().map(BigInt), fc.constant(0n)),
        htval: value.map((v) => (xlen === 64 ? v >> 2n : v)),
        htinst: htinst().map((v) => v & mask),
        x: fc.array(value, { minLength: 32, maxLength: 32 }),
        a7,
        a6: fc.oneof(
          { arbitrary: fc.constantFrom(0n, 1n, 2n, 3n), weight: 3 },
          { arbitrary: value, weight: 1 },
        ),
        instruction: fc.option(instructionWord(), { nil: undefined }),
      })
      .map(({ x, a7, a6, instruction, ...rest }) => {
        const regs = [...x];
        regs[17] = a7 & mask;
        regs[16] = a6;
        const snapshot: RiscvSnapshot = { ...rest, x: regs, xlen };
        return instruction === undefined ? snapshot : { ...snapshot, instruction };
      });
  });
}
