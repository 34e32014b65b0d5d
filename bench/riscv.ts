import {
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
} from "../src/core/constructors";
import type { VmExit } from "../src/core/exit";
import { decodeRiscv, decodeRiscvExit } from "../src/riscv/decode";
import type { RiscvSnapshot } from "../src/riscv/snapshot";
import { type BenchSuite, seededRandom } from "./harness";

const N = 1000;
const rand = seededRandom(0x5c4);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const u32 = (): number => Math.floor(rand() * 0x1_0000_0000);
const u64 = (): bigint => (BigInt(u32()) << 32n) | BigInt(u32());

/** The fixed workload: guest-page fault with htinst 50 %, SBI ecall 30 %, interrupt 15 %, virtual instruction 5 %. */
function makeSnapshot(): RiscvSnapshot {
  const r = rand();
  const x = Array.from({ length: 32 }, u64);
  if (r < 0.5) {
    const gpa = BigInt(0x1000_0000 + (u32() & 0xff_fff8));
    const store = rand() < 0.4;
    const f3 = pick(store ? [0, 1, 2, 3] : [0, 1, 2, 3, 4, 5, 6]);
    const reg = 1 + (u32() & 30);
    const htinst = store ? (reg << 20) | (f3 << 12) | 0x23 : (f3 << 12) | (reg << 7) | 0x03;
    const compressed = f3 === 2 && rand() < 0.5;
    return {
      scause: store ? 23 : 21,
      stval: gpa,
      htval: gpa >> 2n,
      htinst: compressed ? htinst & ~2 : htinst,
      x,
    };
  }
  if (r < 0.8) {
    const [eid, fid] = pick([
      [0x735049, 0], // IPI send_ipi
      [0x54494d45, 0], // TIME set_timer
      [0x52464e43, 1], // RFENCE remote_sfence_vma
      [0x48534d, 0], // HSM hart_start
      [0x485643, 3], // hypercall
    ] as const);
    x[17] = BigInt(eid);
    x[16] = BigInt(fid);
    return { scause: 10, stval: 0, x };
  }
  if (r < 0.95) return { scause: 0x8000_0000_0000_0000n | BigInt(pick([5, 9, 10, 6, 1])) };
  return { scause: 22, stval: pick([0x1050_0073, 0xc010_2573, 0x1445_9073]), x };
}

const snapshots: RiscvSnapshot[] = Array.from({ length: N }, makeSnapshot);

const LOADS = ["lb", "lh", "lw", "ld", "lbu", "lhu", "lwu"];
const STORES = ["sb", "sh", "sw", "sd"];
const EXT: Record<string, [string, string[]]> = {
  "4739917": ["HSM", ["hart_start", "hart_stop", "hart_get_status", "hart_suspend"]],
  "7557193": ["IPI", ["send_ipi"]],
  "1414090053": ["TIME", ["set_timer"]],
  "1380339267": ["RFENCE", ["remote_fence_i", "remote_sfence_vma"]],
};

/**
 * What a user would write by hand for the same contract (same exit via the library constructors,
 * same cause fields): every register read as a BigInt and every field extracted with BigInt
 * shifts and masks.
 */
function naiveDecode(s: RiscvSnapshot): { exit: VmExit; cause: Record<string, unknown> } {
  const scause = BigInt(s.scause);
  const reg = (i: number): bigint => (i === 0 ? 0n : BigInt(s.x?.[i] ?? 0));
  const interrupt = ((scause >> 63n) & 1n) === 1n;
  const code = scause & ((1n << 63n) - 1n);
  const head = {
    arch: "riscv",
    code: Number(code),
    name: `${interrupt ? "IRQ" : "EXC"}_${code}`,
    xlen: 64,
    scause,
  };
  if (interrupt) {
    return {
      exit: externalInterrupt({ vector: code }),
      cause: Object.assign(head, { class: "interrupt", platform: code >= 16n }),
    };
  }
  if (code === 10n) {
    const a7 = reg(17);
    const a6 = reg(16);
    const eid = a7 & 0xffff_ffffn;
    const fid = a6 & 0xffff_ffffn;
    const ext = EXT[eid.toString()];
    const args = [reg(10), reg(11), reg(12), reg(13), reg(14), reg(15)] as const;
    let exit: VmExit = nothing();
    if (eid === 0x485643n) exit = hypercall({ nr: a6, args });
    else if (eid === 0x48534dn && fid === 0n)
      exit = cpuUp({ targetCpu: args[0], entryPoint: args[1], arg: args[2] });
    else if (eid === 0x735049n && fid === 0n) {
      exit = sendIpi({
        targetCpu: args[1],
        targetCpuAux: args[0],
        sendToAll: args[1] === 0xffff_ffff_ffff_ffffn,
        sendToSelf: false,
        vector: 1n,
      });
    }
    const sbi = {
      eid: Number(eid),
      fid: Number(fid),
      extension: ext?.[0],
      function: ext?.[1][Number(fid)],
      args,
      a6,
      a7,
    };
    return { exit, cause: Object.assign(head, { class: "sbi-call", sbi }) };
  }
  if (code === 21n || code === 23n) {
    const stval = BigInt(s.stval ?? 0);
    const htval = BigInt(s.htval ?? 0);
    const htinst = BigInt(s.htinst ?? 0);
    const gpa = (htval << 2n) | (stval & 3n);
    const insn = htinst | 2n;
    const opcode = insn & 0x7fn;
    const funct3 = (insn >> 12n) & 7n;
    const rd = (insn >> 7n) & 31n;
    const rs2 = (insn >> 20n) & 31n;
    const addrOffset = (insn >> 15n) & 31n;
    const store = opcode === 0x23n;
    const width = (1 << Number(funct3 & 3n)) as 1 | 2 | 4 | 8;
    const instruction = {
      raw: Number(htinst & 0xffff_ffffn),
      length: (htinst & 2n) === 2n ? 4 : 2,
      mnemonic: (store ? STORES : LOADS)[Number(funct3)] ?? "unknown",
      opcode: Number(opcode),
      funct3: Number(funct3),
      rd: store ? undefined : Number(rd),
      rs2: store ? Number(rs2) : undefined,
      addrOffset: Number(addrOffset),
      width,
      signedExt: !store && funct3 < 4n,
    };
    const exit =
      (htinst & 1n) === 0n
        ? nestedPageFault({ addr: gpa, accessFlags: code === 21n ? 1 : 2 })
        : store
          ? mmioWrite({
              addr: gpa,
              width,
              data: reg(Number(rs2)) & ((1n << BigInt(8 * width)) - 1n),
            })
          : mmioRead({ addr: gpa, width, reg: Number(rd), regWidth: 8, signedExt: funct3 < 4n });
    return {
      exit,
      cause: Object.assign(head, {
        class: "guest-page-fault",
        gpa,
        stval,
        htval,
        htinst,
        instruction,
      }),
    };
  }
  if (code === 22n) {
    const insn = BigInt(s.stval ?? 0);
    const funct3 = (insn >> 12n) & 7n;
    const rd = Number((insn >> 7n) & 31n);
    const rs1 = Number((insn >> 15n) & 31n);
    const csr = Number(insn >> 20n);
    const system = (insn & 0x7fn) === 0x73n;
    let exit: VmExit = nothing();
    if (insn === 0x10500073n) exit = halt();
    else if (system && funct3 === 2n && rs1 === 0) exit = sysRegRead({ addr: csr, reg: rd });
    else if (system && funct3 === 1n && rd === 0)
      exit = sysRegWrite({ addr: csr, value: reg(rs1) });
    const instruction = {
      raw: Number(insn),
      opcode: Number(insn & 0x7fn),
      funct3: Number(funct3),
      rd,
      rs1,
      csr,
    };
    return {
      exit,
      cause: Object.assign(head, {
        class: "virtual-instruction",
        stval: insn,
        instruction,
        csr,
      }),
    };
  }
  return { exit: nothing(), cause: Object.assign(head, { class: "exception", custom: false }) };
}

// Sanity: the naive decoder agrees with decodeRiscv on the exits of the workload.
for (const s of snapshots) {
  const a = JSON.stringify(decodeRiscv(s).exit, (_k, v) => (typeof v === "bigint" ? `${v}` : v));
  const b = JSON.stringify(naiveDecode(s).exit, (_k, v) => (typeof v === "bigint" ? `${v}` : v));
  if (a !== b) throw new Error(`bench/riscv.ts: naive decoder disagrees: ${a} vs ${b}`);
}

let sink = 0;

/** Bench suites of the RISC-V decoder. */
export const suites: BenchSuite[] = [
  {
    name: "riscv: decodeRiscv vs naive BigInt decoder (50% GPF+htinst, 30% SBI, 15% IRQ, 5% virtual insn)",
    itemsPerOp: N,
    tasks: {
      decodeRiscv: () => {
        for (const s of snapshots) sink += decodeRiscv(s).exit.kind.length;
        return sink;
      },
      decodeRiscvExit: () => {
        for (const s of snapshots) sink += decodeRiscvExit(s).kind.length;
        return sink;
      },
      "naive BigInt decoder": () => {
        for (const s of snapshots) sink += naiveDecode(s).exit.kind.length;
        return sink;
      },
    },
    bar: { fast: "decodeRiscv", slow: "naive BigInt decoder", ratio: 3 },
  },
];
