// Completing reads: completeMmioRead (checks every field it reads, works on 32-bit halves) against
// the same write-back done with BigInt arithmetic and no checks (BigInt.asIntN / asUintN and
// masks: what one writes by hand). No bar: the two are about even on Node 20.
import { completeMmioRead } from "../src/complete/index";
import { mmioRead } from "../src/core/constructors";
import type { Arch } from "../src/core/decoded";
import type { MmioReadExit } from "../src/core/exit";
import { type BenchSuite, seededRandom } from "./harness";

const N = 1024;
const U64 = (1n << 64n) - 1n;
const random = seededRandom(7);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
const u64 = (): bigint =>
  (BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32));

interface Read {
  readonly arch: Arch;
  readonly exit: MmioReadExit;
  readonly data: bigint;
  readonly old: bigint;
}

const reads: Read[] = Array.from({ length: N }, () => {
  const arch = pick<Arch>(["x86-vmx", "aarch64", "riscv"]);
  const regWidth = arch === "x86-vmx" ? pick([1, 2, 4, 8] as const) : pick([4, 8] as const);
  const width = pick(([1, 2, 4, 8] as const).filter((w) => w <= regWidth));
  const reg =
    arch === "x86-vmx"
      ? regWidth === 1
        ? pick([0, 3, 9, 16, 19])
        : pick([0, 3, 9, 15])
      : pick([0, 5, 10, 31]);
  const exit = mmioRead({ addr: 0x1000n, width, reg, regWidth, signedExt: random() < 0.5 });
  return { arch, exit, data: u64(), old: u64() };
});

/** The write-back with BigInt operations per field. */
function naive(r: Read): { reg: number; value: bigint } | undefined {
  const { exit: e, data, old } = r;
  const loaded = e.signedExt ? BigInt.asIntN(8 * e.width, data) : BigInt.asUintN(8 * e.width, data);
  const v = BigInt.asUintN(8 * e.regWidth, loaded);
  if (r.arch === "aarch64") return e.reg === 31 ? undefined : { reg: e.reg, value: v };
  if (r.arch === "riscv") return e.reg === 0 ? undefined : { reg: e.reg, value: v };
  if (e.reg >= 16) return { reg: e.reg - 16, value: (old & (U64 ^ 0xff00n)) | (v << 8n) };
  const kept = e.regWidth === 1 ? U64 ^ 0xffn : e.regWidth === 2 ? U64 ^ 0xffffn : 0n;
  return { reg: e.reg, value: (old & kept) | v };
}

let sink = 0;

export const suites: BenchSuite[] = [
  {
    name: "completeMmioRead (x86, AArch64, RISC-V reads, batch of 1024)",
    itemsPerOp: N,
    tasks: {
      completeMmioRead: () => {
        for (const r of reads) sink ^= completeMmioRead(r.arch, r.exit, r.data, r.old)?.reg ?? 0;
        return sink;
      },
      "naive BigInt write-back": () => {
        for (const r of reads) sink ^= naive(r)?.reg ?? 0;
        return sink;
      },
    },
  },
];
