import { isDeepStrictEqual } from "node:util";
import { decodeVmx, decodeVmxExit } from "../src/x86/vmx/decode";
import type { VmxSnapshot } from "../src/x86/vmx/snapshot";
import type { BenchSuite } from "./harness";
import { naiveDecode } from "./x86-naive";
import { tunedDecode } from "./x86-tuned";
import { N, workload } from "./x86-workload";

const show = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x));

// At load: the naive decoder returns the library's exits and causes, the tuned one its exits,
// on every snapshot of the workload (deep equality, so the objects are the same, not just alike).
for (const s of workload) {
  const lib = decodeVmx(s);
  const naive = naiveDecode(s);
  if (!isDeepStrictEqual(naive.exit, lib.exit) || !isDeepStrictEqual(naive.cause, lib.cause)) {
    throw new Error(`bench/x86: naive decoder disagrees: ${show(naive)} vs ${show(lib)}`);
  }
  const tuned = tunedDecode(s);
  if (!isDeepStrictEqual(tuned, lib.exit) || !isDeepStrictEqual(decodeVmxExit(s), lib.exit)) {
    throw new Error(`bench/x86: tuned decoder disagrees: ${show(tuned)} vs ${show(lib.exit)}`);
  }
}

let sink = 0;
const EXIT = "decodeVmxExit";
const DECODE = "decodeVmx";
const NAIVE = "naive BigInt-per-field";
const TUNED = "tuned hand-written (exit only)";

const tasks: Record<string, () => number> = {
  [DECODE]: () => {
    for (let i = 0; i < N; i++) sink ^= decodeVmx(workload[i] as VmxSnapshot).cause.code;
    return sink;
  },
  [EXIT]: () => {
    for (let i = 0; i < N; i++) sink ^= decodeVmxExit(workload[i] as VmxSnapshot).kind.length;
    return sink;
  },
  [NAIVE]: () => {
    for (let i = 0; i < N; i++)
      sink ^= naiveDecode(workload[i] as VmxSnapshot).cause.code as number;
    return sink;
  },
  [TUNED]: () => {
    for (let i = 0; i < N; i++) sink ^= tunedDecode(workload[i] as VmxSnapshot).kind.length;
    return sink;
  },
};

// Every task runs hot before it is timed: on a loaded machine the engine's optimizing compiler
// runs late, and a task timed right after another one's code changed would be measured in part
// unoptimized (the same warm-up for all four).
for (let round = 0; round < 100; round++) for (const task of Object.values(tasks)) task();

/**
 * VMX decode suite on the seeded mix: decodeVmx and decodeVmxExit beside a naive BigInt-per-field
 * decoder and a tuned hand-written one, with the bars between them.
 */
export const suites: BenchSuite[] = [
  {
    name: `x86 VMX: decodeVmx (${N} snapshots per op: EPT violation 40%, I/O 20%, MSR 15%, ext. interrupt 10%, HLT 5%, other 10%; 64-bit values as bigint)`,
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
