import { isDeepStrictEqual } from "node:util";
import { decodeSvm, decodeSvmExit } from "../src/x86/svm/decode";
import type { SvmSnapshot } from "../src/x86/svm/snapshot";
import type { BenchSuite } from "./harness";
import { naiveDecode } from "./svm-naive";
import { tunedDecode } from "./svm-tuned";
import { N, workload } from "./svm-workload";

const show = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x));

// At load: the naive and the tuned decoders, and decodeSvmExit, return decodeSvm's exits on every
// snapshot of the workload (deep equality, so the objects are the same, not just alike).
for (const s of workload) {
  const lib = decodeSvm(s).exit;
  const naive = naiveDecode(s).exit;
  if (!isDeepStrictEqual(naive, lib)) {
    throw new Error(`bench/svm: naive decoder disagrees: ${show(naive)} vs ${show(lib)}`);
  }
  const tuned = tunedDecode(s);
  if (!isDeepStrictEqual(tuned, lib) || !isDeepStrictEqual(decodeSvmExit(s), lib)) {
    throw new Error(`bench/svm: tuned decoder disagrees: ${show(tuned)} vs ${show(lib)}`);
  }
}

let sink = 0;
const DECODE = "decodeSvm";
const EXIT = "decodeSvmExit";
const NAIVE = "naive BigInt-per-field";
const TUNED = "tuned hand-written (exit only)";

const tasks: Record<string, () => number> = {
  [DECODE]: () => {
    for (let i = 0; i < N; i++) sink ^= decodeSvm(workload[i] as SvmSnapshot).cause.code;
    return sink;
  },
  [EXIT]: () => {
    for (let i = 0; i < N; i++) sink ^= decodeSvmExit(workload[i] as SvmSnapshot).kind.length;
    return sink;
  },
  [NAIVE]: () => {
    for (let i = 0; i < N; i++)
      sink ^= naiveDecode(workload[i] as SvmSnapshot).cause.code as number;
    return sink;
  },
  [TUNED]: () => {
    for (let i = 0; i < N; i++) sink ^= tunedDecode(workload[i] as SvmSnapshot).kind.length;
    return sink;
  },
};

// Every task runs hot before it is timed (the same warm-up for all four): on a loaded machine the
// optimizing compiler runs late.
for (let round = 0; round < 100; round++) for (const task of Object.values(tasks)) task();

/** decodeSvm and decodeSvmExit on the seeded AMD mix vs a naive BigInt-per-field decoder and a tuned one. */
export const suites: BenchSuite[] = [
  {
    name: `x86 SVM decode (${N} snapshots per op: NPF 40 %, IOIO 20 %, MSR 15 %, INTR 10 %, HLT 5 %, other 10 %; registers as bigint)`,
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
