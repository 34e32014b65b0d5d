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

/** Any 32-bit word: what a guest can put in memory as an instruction. */
const word32 = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 0xffff_ffff });

/**
 * htinst as the hardware writes it for an arbitrary guest memory instruction (privileged ISA,
 * "Transformed Instruction or Pseudoinstruction for mtinst or htinst"): 0, a pseudo-instruction,
 * a transformation (a load / store / AMO / HLV-HSV word chosen by the guest with its immediate
 * fields zeroed, rs1 replaced by the address offset, bit 1 cleared for a compressed original),
 * or an implementation's custom value.
 */
function guestHtinst(): fc.Arbitrary<bigint> {
  const transformed = fc
    .record({
      w: word32(),
      opcode: fc.constantFrom(0x03, 0x07, 0x23, 0x27, 0x2f, 0x73),
      offset: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 31 })),
      compressed: fc.boolean(),
    })
    .map(({ w, opcode, offset, compressed }) => {
      let t = (w & ~0x7f) | opcode;
      if (opcode === 0x03 || opcode === 0x07) t &= 0x000f_ffff; // imm[11:0] zeroed
      if (opcode === 0x23 || opcode === 0x27) t &= 0x01ff_f07f; // imm[11:5] and imm[4:0] zeroed
      if (opcode === 0x73) t = (t & ~0x7000) | 0x4000; // HLV / HSV: funct3 100
      t = (t & ~(31 << 15)) | (offset << 15);
      return BigInt((compressed ? t & ~2 : t) >>> 0);
    });
  return fc.oneof(
    fc.constant(0n),
    transformed,
    fc.constantFrom(0x2000n, 0x2020n, 0x3000n, 0x3020n),
    word32().map(BigInt),
  );
}

/**
 * Valid trap state as the hardware reports it, with every value the guest chooses left
 * arbitrary: all 32 registers (SBI EID / FID / arguments, store data, CSR write values), the
 * guest-virtual address, the instruction word the guest executed (in stval, htinst or
 * `instruction`). Decoding these must never throw.
 */
export function riscvGuestControlled(): fc.Arbitrary<RiscvSnapshot> {
  return fc.constantFrom<RiscvXlen>(64, 32).chain((xlen) => {
    const mask = xlen === 64 ? U64_MAX : 0xffff_ffffn;
    const value = u64().map((v) => v & mask);
    // the GPA is at most 59 bits on RV64 (Sv57x4) and 34 bits on RV32: htval holds GPA >> 2
    const htval = xlen === 64 ? fc.bigInt({ min: 0n, max: (1n << 57n) - 1n }) : value;
    const id = fc.oneof(
      fc.constantFrom(0x48534dn, 0x53525354n, 0x735049n, 0x485643n, 8n, 1n, 0x10n, 0x54494d45n),
      fc.constantFrom(0n, 1n, 2n, 3n),
      value,
    );
    const regs = fc
      .record({ x: fc.array(value, { minLength: 32, maxLength: 32 }), a7: id, a6: id })
      .map(({ x, a7, a6 }) => {
        const out = [...x];
        out[17] = a7 & mask;
        out[16] = a6 & mask;
        return out;
      });
    const instruction = fc.option(word32(), { nil: undefined });
    const withInstruction = (s: RiscvSnapshot, w: number | undefined): RiscvSnapshot =>
      w === undefined ? s : { ...s, instruction: w };
    const code =
      xlen === 64
        ? interruptCode()
        : fc.oneof(
            fc.constantFrom(1n, 2n, 3n, 5n, 6n, 7n, 9n, 10n, 11n, 12n, 13n),
            fc.bigInt({ min: 16n, max: 0x7fff_ffffn }),
          );
    const interrupt = code.map(
      (c): RiscvSnapshot => ({
        scause: (xlen === 64 ? 1n << 63n : 1n << 31n) | c,
        stval: 0n,
        htval: 0n,
        htinst: 0n,
        xlen,
      }),
    );
    const ecall = regs.map(
      (x): RiscvSnapshot => ({ scause: 10n, stval: 0n, htval: 0n, htinst: 0n, x, xlen }),
    );
    const guestPageFault = fc
      .record({
        scause: fc.constantFrom(20n, 21n, 23n),
        stval: value,
        htval,
        htinst: guestHtinst(),
        x: regs,
        instruction,
      })
      .map(({ instruction: w, ...s }) => withInstruction({ ...s, xlen }, w));
    const virtualInstruction = fc
      .record({ stval: fc.oneof(fc.constant(0n), word32().map(BigInt)), x: regs, instruction })
      .map(({ instruction: w, ...s }) => withInstruction({ ...s, scause: 22n, xlen }, w));
    const otherException = fc
      .record({
        scause: fc.constantFrom(
          0n,
          1n,
          2n,
          3n,
          4n,
          5n,
          6n,
          7n,
          8n,
          12n,
          13n,
          15n,
          16n,
          18n,
          19n,
          24n,
          48n,
        ),
        stval: value,
      })
      .map((s): RiscvSnapshot => ({ ...s, htval: 0n, htinst: 0n, xlen }));
    return fc.oneof(
      interrupt,
      { arbitrary: ecall, weight: 3 },
      { arbitrary: guestPageFault, weight: 4 },
      { arbitrary: virtualInstruction, weight: 3 },
      otherException,
    );
  });
}
