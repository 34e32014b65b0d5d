// Decoder options and their cost: `decodeVmxExit` on the VMX mix without options, with one frozen
// options object (checked once: a frozen object of primitives cannot change) and with the same
// options in an object that is not frozen (its keys and values compared with those it passed
// with at every call). No bar: it shows what an options object costs a hot loop.
import { decodeVmxExit } from "../src/x86/vmx/decode";
import type { VmxDecodeOptions, VmxSnapshot } from "../src/x86/vmx/snapshot";
import type { BenchSuite } from "./harness";
import { N, workload } from "./x86-workload";

const FROZEN: VmxDecodeOptions = Object.freeze({ cpuMode: 64, hypercallAbi: "kvm" });
const OPEN: VmxDecodeOptions = { cpuMode: 64, hypercallAbi: "kvm" };
let sink = 0;

/** The options suite. */
export const suites: BenchSuite[] = [
  {
    name: `decodeVmxExit and its options (the VMX mix, ${N} snapshots per op)`,
    itemsPerOp: N,
    tasks: {
      "no options": () => {
        for (let i = 0; i < N; i++) sink ^= decodeVmxExit(workload[i] as VmxSnapshot).kind.length;
        return sink;
      },
      "a frozen options object": () => {
        for (let i = 0; i < N; i++) {
          sink ^= decodeVmxExit(workload[i] as VmxSnapshot, FROZEN).kind.length;
        }
        return sink;
      },
      "the same options, not frozen": () => {
        for (let i = 0; i < N; i++) {
          sink ^= decodeVmxExit(workload[i] as VmxSnapshot, OPEN).kind.length;
        }
        return sink;
      },
    },
  },
];
