import fc from "fast-check";
import { match as tsMatch } from "ts-pattern";
import { vmExit } from "../src/arbitraries/index";
import { halt, mmioRead, nestedPageFault, sendIpi, sysRegWrite } from "../src/core/constructors";
import type { VmExit } from "../src/core/exit";
import { type ExhaustiveHandlers, match } from "../src/core/match";
import type { BenchSuite } from "./harness";

const N = 1024;
const exits: VmExit[] = fc.sample(vmExit(), { numRuns: N, seed: 42 });
let sink = 0;

const handlers = {
  Hypercall: (x) => Number(x.nr & 7n),
  MmioRead: (x) => x.reg,
  MmioWrite: (x) => x.width,
  SysRegRead: (x) => x.reg,
  SysRegWrite: (x) => x.addr & 7,
  IoRead: (x) => x.port & 7,
  IoWrite: (x) => x.width,
  ExternalInterrupt: () => 8,
  NestedPageFault: (x) => x.accessFlags,
  Halt: () => 10,
  CpuUp: () => 11,
  CpuDown: () => 12,
  SystemDown: () => 13,
  Nothing: () => 14,
  FailEntry: () => 15,
  SendIPI: (x) => (x.sendToAll ? 16 : 17),
} satisfies ExhaustiveHandlers;

function viaMatch(e: VmExit): number {
  return match(e, handlers);
}

function viaInlineMatch(e: VmExit): number {
  return match(e, {
    Hypercall: (x) => Number(x.nr & 7n),
    MmioRead: (x) => x.reg,
    MmioWrite: (x) => x.width,
    SysRegRead: (x) => x.reg,
    SysRegWrite: (x) => x.addr & 7,
    IoRead: (x) => x.port & 7,
    IoWrite: (x) => x.width,
    ExternalInterrupt: () => 8,
    NestedPageFault: (x) => x.accessFlags,
    Halt: () => 10,
    CpuUp: () => 11,
    CpuDown: () => 12,
    SystemDown: () => 13,
    Nothing: () => 14,
    FailEntry: () => 15,
    SendIPI: (x) => (x.sendToAll ? 16 : 17),
  });
}

function viaSwitch(e: VmExit): number {
  switch (e.kind) {
    case "Hypercall":
      return Number(e.nr & 7n);
    case "MmioRead":
      return e.reg;
    case "MmioWrite":
      return e.width;
    case "SysRegRead":
      return e.reg;
    case "SysRegWrite":
      return e.addr & 7;
    case "IoRead":
      return e.port & 7;
    case "IoWrite":
      return e.width;
    case "ExternalInterrupt":
      return 8;
    case "NestedPageFault":
      return e.accessFlags;
    case "Halt":
      return 10;
    case "CpuUp":
      return 11;
    case "CpuDown":
      return 12;
    case "SystemDown":
      return 13;
    case "Nothing":
      return 14;
    case "FailEntry":
      return 15;
    case "SendIPI":
      return e.sendToAll ? 16 : 17;
  }
}

function viaTsPattern(e: VmExit): number {
  return tsMatch(e)
    .with({ kind: "Hypercall" }, (x) => Number(x.nr & 7n))
    .with({ kind: "MmioRead" }, (x) => x.reg)
    .with({ kind: "MmioWrite" }, (x) => x.width)
    .with({ kind: "SysRegRead" }, (x) => x.reg)
    .with({ kind: "SysRegWrite" }, (x) => x.addr & 7)
    .with({ kind: "IoRead" }, (x) => x.port & 7)
    .with({ kind: "IoWrite" }, (x) => x.width)
    .with({ kind: "ExternalInterrupt" }, () => 8)
    .with({ kind: "NestedPageFault" }, (x) => x.accessFlags)
    .with({ kind: "Halt" }, () => 10)
    .with({ kind: "CpuUp" }, () => 11)
    .with({ kind: "CpuDown" }, () => 12)
    .with({ kind: "SystemDown" }, () => 13)
    .with({ kind: "Nothing" }, () => 14)
    .with({ kind: "FailEntry" }, () => 15)
    .with({ kind: "SendIPI" }, (x) => (x.sendToAll ? 16 : 17))
    .exhaustive();
}

function over(fn: (e: VmExit) => number): () => number {
  return () => {
    let acc = 0;
    for (let i = 0; i < N; i++) acc += fn(exits[i] as VmExit);
    sink ^= acc;
    return sink;
  };
}

/** Core-model suites: `match` vs `switch` vs ts-pattern, and constructor cost. */
export const suites: BenchSuite[] = [
  {
    name: `match over the 16 variants (${N} random exits per op)`,
    itemsPerOp: N,
    tasks: {
      "match (handler record)": over(viaMatch),
      "match (record written inline)": over(viaInlineMatch),
      "switch (hand-written)": over(viaSwitch),
      "ts-pattern": over(viaTsPattern),
    },
    bar: { fast: "match (handler record)", slow: "switch (hand-written)", ratio: 0.5 },
  },
  {
    name: "constructors (validated, one exit per op)",
    tasks: {
      "halt()": () => halt(),
      "mmioRead({...})": () =>
        mmioRead({ addr: 0x9000000n, width: 4, reg: 3, regWidth: 8, signedExt: false }),
      "nestedPageFault({...})": () => nestedPageFault({ addr: 0xfee00000n, accessFlags: 3 }),
      "sysRegWrite({...})": () => sysRegWrite({ addr: 0x830, value: 0x4000000fdn }),
      "sendIpi({...})": () =>
        sendIpi({
          targetCpu: 1n,
          targetCpuAux: 0n,
          sendToAll: false,
          sendToSelf: false,
          vector: 0xfdn,
        }),
      "object literal (no validation)": () => ({ kind: "Halt" as const, n: sink }),
    },
  },
];
