import { isDeepStrictEqual } from "node:util";
import { decodeAarch64, decodeAarch64Exit } from "../src/aarch64/decode/decode";
import type { Aarch64Snapshot } from "../src/aarch64/snapshot";
import { naiveDecode } from "./aarch64-naive";
import { tunedDecode } from "./aarch64-tuned";
import { N, workload } from "./aarch64-workload";
import type { BenchSuite } from "./harness";

const show = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x));

// At load: the naive decoder returns the library's exits and causes, the tuned one its exits,
// on every snapshot of the workload (deep equality, so the objects are the same, not just alike).
for (const s of workload) {
  const lib = decodeAarch64(s);
  const naive = naiveDecode(s);
  if (!isDeepStrictEqual(naive.exit, lib.exit) || !isDeepStrictEqual(naive.cause, lib.cause)) {
    throw new Error(`bench/aarch64: naive decoder disagrees: ${show(naive)} vs ${show(lib)}`);
  }
  const tuned = tunedDecode(s);
  if (!isDeepStrictEqual(tuned, lib.exit) || !isDeepStrictEqual(decodeAarch64Exit(s), lib.exit)) {
    throw new Error(`bench/aarch64: tuned decoder disagrees: ${show(tuned)} vs ${show(lib.exit)}`);
  }
}

let sink = 0;
const EXIT = "decodeAarch64Exit";
const DECODE = "decodeAarch64";
const NAIVE = "naive BigInt-per-field";
const TUNED = "tuned hand-written (exit only)";

const tasks: Record<string, () => number> = {
  [DECODE]: () => {
    for (let i = 0; i < N; i++) {
      sink ^= decodeAarch64(workload[i] as Aarch64Snapshot).cause.code;
    }
    return sink;
  },
  [EXIT]: () => {
    for (let i = 0; i < N; i++) {
      sink ^= decodeAarch64Exit(workload[i] as Aarch64Snapshot).kind.length;
    }
    return sink;
  },
  [NAIVE]: () => {
    for (let i = 0; i < N; i++) {
      sink ^= naiveDecode(workload[i] as Aarch64Snapshot).cause.code as number;
    }
    return sink;
  },
  [TUNED]: () => {
    for (let i = 0; i < N; i++) sink ^= tunedDecode(workload[i] as Aarch64Snapshot).kind.length;
    return sink;
  },
};

// Every task runs hot before it is timed: on a loaded machine the engine's optimizing compiler
// runs late, and a task timed right after another one's code changed would be measured in part
// unoptimized (the same warm-up for all four).
for (let round = 0; round < 100; round++) for (const task of Object.values(tasks)) task();

/**
 * AArch64 decode suite on the seeded mix: decodeAarch64 and decodeAarch64Exit beside a naive
 * BigInt-per-field decoder and a tuned hand-written one, with the bars between them.
 */
export const suites: BenchSuite[] = [
  {
    name: `decodeAarch64 (${N} snapshots per op: DABT 50%, SYS64 20%, HVC 10%, WFx 10%, IRQ 10%; registers as bigint)`,
    itemsPerOp: N,
    tasks,
    bar: [
      { fast: EXIT, slow: TUNED, ratio: 0.75 },
      { fast: DECODE, slow: TUNED, ratio: 0.4 },
      { fast: DECODE, slow: NAIVE, ratio: 3 },
      { fast: EXIT, slow: NAIVE, ratio: 3 },
    ],
  },
];
