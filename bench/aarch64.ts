import { decodeAarch64, decodeAarch64Exit } from "../src/aarch64/decode/decode";
import type { Aarch64Snapshot } from "../src/aarch64/snapshot";
import { ESR_EC_NAMES } from "../src/aarch64/tables/ec";
import {
  cpuUp,
  externalInterrupt,
  halt,
  hypercall,
  mmioRead,
  mmioWrite,
  nestedPageFault,
  nothing,
  sysRegRead,
  sysRegWrite,
} from "../src/core/constructors";
import type { VmExit } from "../src/core/exit";
import { type BenchSuite, seededRandom } from "./harness";

const N = 1024;
const rnd = seededRandom(0xa64);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const u64 = (): bigint =>
  (BigInt(Math.floor(rnd() * 2 ** 32)) << 32n) | BigInt(Math.floor(rnd() * 2 ** 32));
const regs = (): bigint[] => Array.from({ length: 31 }, u64);

// Typical trapped system registers: CNTVCT_EL0, CNTP_CTL_EL0, ICC_SGI1R_EL1 (reads), SCTLR_EL1,
// MDSCR_EL1, PMCR_EL0, ICC_EOIR1_EL1 … as ISS = op0<<20 | op2<<17 | op1<<14 | CRn<<10 | CRm<<1.
const SYS_ADDRS = [0x34_f800, 0x36_f804, 0x30_0400, 0x24_0004, 0x32_e418, 0x32_3018];

/** The fixed mix: data abort 50 %, SYS64 20 %, HVC 10 %, WFx 10 %, IRQ 10 %. */
function snapshot(): Aarch64Snapshot {
  const r = rnd();
  if (r < 0.5) {
    // DABT_LOW, ISV, translation fault L3, random SAS / SRT / WnR, SF for 8-byte accesses.
    const sas = Math.floor(rnd() * 4);
    const sf = sas === 3 || rnd() < 0.5 ? 1 : 0;
    const wnr = rnd() < 0.5 ? 1 : 0;
    const srt = Math.floor(rnd() * 31);
    const esr = (0x9300_0007 | (sas << 22) | (srt << 16) | (sf << 15) | (wnr << 6)) >>> 0;
    const ipa = 0x900_0000 + Math.floor(rnd() * 0x10_0000) * 4;
    return { esr, hpfar: BigInt(ipa >>> 12) << 4n, far: BigInt(ipa & 0xfff), x: regs() };
  }
  if (r < 0.7) {
    const read = rnd() < 0.5 ? 1 : 0;
    const rt = Math.floor(rnd() * 31);
    return { esr: (0x6200_0000 | pick(SYS_ADDRS) | (rt << 5) | read) >>> 0, x: regs() };
  }
  if (r < 0.8) {
    const x = regs();
    x[0] = rnd() < 0.3 ? 0xc400_0003n : BigInt(Math.floor(rnd() * 0x1000));
    return { esr: 0x5a00_0000, x };
  }
  if (r < 0.9) return { esr: 0x0600_0000 | Math.floor(rnd() * 4) };
  return { esr: 0, exception: "irq", irq: Math.floor(rnd() * 1020) };
}

const workload: readonly Aarch64Snapshot[] = Array.from({ length: N }, snapshot);

// What a user would write by hand: one BigInt shift-and-mask per field, bigint everywhere.
const bits = (v: bigint, hi: bigint, lo: bigint): bigint =>
  (v >> lo) & ((1n << (hi - lo + 1n)) - 1n);

function naiveDecode(s: Aarch64Snapshot): { exit: VmExit; cause: Record<string, unknown> } {
  if (s.exception === "irq") {
    const intid = BigInt(s.irq ?? 0);
    return {
      exit: externalInterrupt({ vector: intid }),
      cause: { arch: "aarch64", code: 0, name: "IRQ", intid },
    };
  }
  const esr = BigInt(s.esr);
  const ec = Number(bits(esr, 31n, 26n));
  const iss = bits(esr, 24n, 0n);
  const x = (n: bigint): bigint => (n === 31n ? 0n : BigInt(s.x?.[Number(n)] ?? 0));
  const il = bits(esr, 25n, 25n) === 1n;
  // Causes are written out field by field: object spread costs microseconds in V8 and would
  // measure the spread, not the BigInt field extraction this row is about.
  const base = { arch: "aarch64", code: ec, name: ESR_EC_NAMES[ec], il, iss: Number(iss) };
  if (ec === 0x24) {
    const isv = bits(iss, 24n, 24n) === 1n;
    const sas = bits(iss, 23n, 22n);
    const sse = bits(iss, 21n, 21n) === 1n;
    const srt = bits(iss, 20n, 16n);
    const sf = bits(iss, 15n, 15n) === 1n;
    const wnr = bits(iss, 6n, 6n) === 1n;
    const dfsc = bits(iss, 5n, 0n);
    const ipa = (bits(BigInt(s.hpfar ?? 0), 47n, 4n) << 12n) | bits(BigInt(s.far ?? 0), 11n, 0n);
    const width = (1 << Number(sas)) as 1 | 2 | 4 | 8;
    const cause = {
      arch: "aarch64",
      code: ec,
      name: ESR_EC_NAMES[ec],
      il,
      iss: Number(iss),
      isv,
      sas: Number(sas),
      sse,
      srt: Number(srt),
      sf,
      wnr,
      dfsc: Number(dfsc),
      ipa,
    };
    if ((dfsc & 0x3cn) !== 4n || !isv)
      return { exit: nestedPageFault({ addr: ipa, accessFlags: wnr ? 2 : 1 }), cause };
    const exit = wnr
      ? mmioWrite({ addr: ipa, width, data: x(srt) & ((1n << (8n * BigInt(width))) - 1n) })
      : mmioRead({ addr: ipa, width, reg: Number(srt), regWidth: sf ? 8 : 4, signedExt: sse });
    return { exit, cause };
  }
  if (ec === 0x18) {
    const rt = bits(iss, 9n, 5n);
    const addr = Number(iss & 0x3ffc1en);
    const cause = {
      arch: "aarch64",
      code: ec,
      name: ESR_EC_NAMES[ec],
      il,
      iss: Number(iss),
      op0: Number(bits(iss, 21n, 20n)),
      op2: Number(bits(iss, 19n, 17n)),
      op1: Number(bits(iss, 16n, 14n)),
      crn: Number(bits(iss, 13n, 10n)),
      crm: Number(bits(iss, 4n, 1n)),
      rt: Number(rt),
    };
    const exit =
      (iss & 1n) === 1n
        ? sysRegRead({ addr, reg: Number(rt) })
        : sysRegWrite({ addr, value: x(rt) });
    return { exit, cause };
  }
  if (ec === 0x16) {
    const fid = x(0n) & 0xffff_ffffn;
    const cause = {
      arch: "aarch64",
      code: ec,
      name: ESR_EC_NAMES[ec],
      il,
      iss: Number(iss),
      imm16: Number(bits(iss, 15n, 0n)),
      functionId: Number(fid),
    };
    if (fid === 0xc400_0003n)
      return { exit: cpuUp({ targetCpu: x(1n), entryPoint: x(2n), arg: x(3n) }), cause };
    return {
      exit: hypercall({ nr: x(0n), args: [x(1n), x(2n), x(3n), x(4n), x(5n), x(6n)] }),
      cause,
    };
  }
  if (ec === 0x01) {
    const ti = bits(iss, 1n, 0n);
    return {
      exit: (ti & 1n) === 0n ? halt() : nothing(),
      cause: {
        arch: "aarch64",
        code: ec,
        name: ESR_EC_NAMES[ec],
        il,
        iss: Number(iss),
        ti: Number(ti),
      },
    };
  }
  return { exit: nothing(), cause: base };
}

// Sanity: the naive decoder agrees with decodeAarch64 on the exits of the workload.
for (const s of workload) {
  const a = JSON.stringify(decodeAarch64(s).exit, (_k, v) => (typeof v === "bigint" ? `${v}` : v));
  const b = JSON.stringify(naiveDecode(s).exit, (_k, v) => (typeof v === "bigint" ? `${v}` : v));
  if (a !== b) throw new Error(`bench/aarch64: naive decoder disagrees: ${a} vs ${b}`);
}

let sink = 0;

/** AArch64 decode suite: decodeAarch64 and decodeAarch64Exit vs a naive BigInt-per-field decoder on a seeded mix. */
export const suites: BenchSuite[] = [
  {
    name: `decodeAarch64 (${N} snapshots per op: DABT 50%, SYS64 20%, HVC 10%, WFx 10%, IRQ 10%)`,
    itemsPerOp: N,
    tasks: {
      decodeAarch64: () => {
        for (let i = 0; i < N; i++)
          sink ^= decodeAarch64(workload[i] as Aarch64Snapshot).cause.code;
        return sink;
      },
      decodeAarch64Exit: () => {
        for (let i = 0; i < N; i++) {
          sink ^= decodeAarch64Exit(workload[i] as Aarch64Snapshot).kind.length;
        }
        return sink;
      },
      "naive BigInt-per-field": () => {
        for (let i = 0; i < N; i++)
          sink ^= naiveDecode(workload[i] as Aarch64Snapshot).cause.code as number;
        return sink;
      },
    },
    bar: { fast: "decodeAarch64", slow: "naive BigInt-per-field", ratio: 3 },
  },
];
