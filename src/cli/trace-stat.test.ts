// `vmexit trace` formats and `vmexit stat` groupings, in process.
import { describe, expect, it } from "vitest";
import { TRACE_COLUMNS } from "../trace/rows";
import { type CliIo, fileError } from "./io";
import { run } from "./run";

async function cli(
  argv: string[],
  stdin = TRACE,
): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIo = {
    stdout: {
      write(s) {
        out += s;
        return undefined;
      },
    },
    stderr: {
      write(s) {
        err += s;
        return undefined;
      },
    },
    stdin: [new TextEncoder().encode(stdin)],
    openFile: (path) => Promise.reject(fileError(path, { code: "ENOENT" })),
    readTextFile: (path) => Promise.reject(fileError(path, { code: "ENOENT" })),
  };
  const code = await run(argv, io);
  return { code, out, err };
}

// Two x86 vCPU threads and an arm64 one. By hand:
//   line 1  vCPU 0 OUT 0x3f8 ← 0x41 (kvm_pio)            IoWrite, handled 1.000004 − 1.000000 = 4 µs
//   line 2  vCPU 1 EPT write 4 bytes to 0xfebf0000 ← 7     MmioWrite, 10 µs
//   line 7  vCPU 0 EPT write to 0xfebf0000 ← 8             MmioWrite, 2 µs
//   line 10 arm64 DABT write to 0x9000000 ← 0xe52          MmioWrite, 30 µs
//   line 14 vCPU 0 RDMSR 0x1b (kvm_msr)                    SysRegRead, untimed (no entry)
const TRACE = [
  "  CPU 0/KVM-10 [000] d..1. 1.000000: kvm_exit: vcpu 0 reason IO_INSTRUCTION rip 0x1 info1 0x0000000003f80000",
  "  CPU 1/KVM-11 [001] d..1. 1.000001: kvm_exit: vcpu 1 reason EPT_VIOLATION rip 0x1 info1 0x0000000000000182",
  "  CPU 0/KVM-10 [000] ..... 1.000002: kvm_pio: pio_write at 0x3f8 size 1 count 1 val 0x41 ",
  "  CPU 1/KVM-11 [001] ..... 1.000003: kvm_mmio: mmio write len 4 gpa 0xfebf0000 val 0x7",
  "  CPU 0/KVM-10 [000] d..1. 1.000004: kvm_entry: vcpu 0, rip 0x2",
  "  CPU 1/KVM-11 [001] d..1. 1.000011: kvm_entry: vcpu 1, rip 0x2",
  "  CPU 0/KVM-10 [000] d..1. 1.000020: kvm_exit: vcpu 0 reason EPT_VIOLATION rip 0x1 info1 0x0000000000000182",
  "  CPU 0/KVM-10 [000] ..... 1.000021: kvm_mmio: mmio write len 4 gpa 0xfebf0000 val 0x8",
  "  CPU 0/KVM-10 [000] d..1. 1.000022: kvm_entry: vcpu 0, rip 0x2",
  "  CPU 2/KVM-12 [002] d..1. 1.000030: kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800080012e40",
  "  CPU 2/KVM-12 [002] ..... 1.000031: kvm_guest_fault: ipa 0x9000000, hsr 0x93820046, hxfar 0xffff800082000000, pc 0xffff800080012e40",
  "  CPU 2/KVM-12 [002] ..... 1.000032: kvm_mmio: mmio write len 4 gpa 0x9000000 val 0xe52",
  "  CPU 2/KVM-12 [002] d..1. 1.000060: kvm_entry: PC: 0xffff800080012e44",
  "  CPU 0/KVM-10 [000] d..1. 1.000070: kvm_exit: vcpu 0 reason MSR_READ rip 0x1 info1 0x0",
  "  CPU 0/KVM-10 [000] ..... 1.000071: kvm_msr: msr_read 1b = 0xfee00900",
  "",
].join("\n");

describe("vmexit trace --format", () => {
  it("json (default): nested objects with the joined companions", async () => {
    const r = await cli(["trace"]);
    expect(r.code).toBe(0);
    const rows = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.map((x) => x.line)).toEqual([1, 2, 7, 10, 14]);
    expect(rows[0]).toMatchObject({
      name: "IO_INSTRUCTION",
      exit: { kind: "IoWrite", port: 0x3f8, width: 1, data: "0x41" },
      companions: [{ line: 3, event: "kvm_pio", port: 0x3f8 }],
      handlingNs: 4000,
    });
  });

  it("ndjson: the stable columns, every one on every row, the timestamp exact", async () => {
    const r = await cli(["trace", "--format", "ndjson"]);
    const rows = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    for (const row of rows) expect(Object.keys(row)).toEqual([...TRACE_COLUMNS]);
    expect(rows[1]).toMatchObject({
      line: 2,
      ts: 1_000_001_000,
      pid: 11,
      task: "CPU 1/KVM",
      vcpu: 1,
      arch: "x86-vmx",
      reason: "EPT_VIOLATION",
      code: 48,
      kind: "MmioWrite",
      complete: true,
      missing: null,
      addr: "0xfebf0000",
      access: "W",
      width: 4,
      data: "0x7",
      handling_ns: 10_000,
      closed_by: "entry",
    });
    // the RDMSR never re-entered
    expect(rows[4]).toMatchObject({
      kind: "SysRegRead",
      sysreg: 0x1b,
      access: "R",
      handling_ns: null,
      closed_by: "end",
    });
    // a timestamp past 2^53 ns is written as its exact digits
    const big = await cli(
      ["trace", "--format", "ndjson"],
      "a-1 [000] .... 12345678901.123456789: kvm_exit: reason HLT rip 0x1 info 0 0\n",
    );
    expect(big.out).toContain('"ts":12345678901123456789,');
  });

  it("csv: a header and the same columns, quoted where needed", async () => {
    const r = await cli(["trace", "--format", "csv"]);
    const lines = r.out.trim().split("\n");
    expect(lines[0]).toBe(TRACE_COLUMNS.join(","));
    expect(lines).toHaveLength(6);
    expect(lines[1]?.split(",").slice(0, 8)).toEqual([
      "1",
      "1000000000",
      "0",
      "10",
      "CPU 0/KVM",
      "0",
      "x86-vmx",
      "IO_INSTRUCTION",
    ]);
    const quoted = await cli(
      ["trace", "--format", "csv"],
      'a"b,c-1 [000] .... 1.0: kvm_exit: reason HLT rip 0x1 info 0 0\n',
    );
    expect(quoted.out.split("\n")[1]).toContain(',"a""b,c",');
  });

  it("rejects an unknown format, and --raw leaves exits undecoded", async () => {
    expect((await cli(["trace", "--format", "xml"])).err).toBe(
      'vmexit trace: --format must be one of json, ndjson, csv, got "xml"\n',
    );
    const raw = await cli(["trace", "--raw", "--format", "ndjson"]);
    expect(JSON.parse(raw.out.split("\n")[0] as string)).toMatchObject({
      kind: null,
      complete: false,
    });
  });
});

describe("vmexit stat --by / --vcpu / --pid / --sort", () => {
  it("--by mmio: address and R/W, like perf kvm stat --event=mmio", async () => {
    const r = await cli(["stat", "--by", "mmio", "--json"]);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ by: "mmio", total: 3, exits: 5 });
    expect(json.reasons.map((x: { name: string; count: number }) => [x.name, x.count])).toEqual([
      ["0xfebf0000:W", 2],
      ["0x9000000:W", 1],
    ]);
    // 10 µs and 2 µs
    expect(json.reasons[0]).toMatchObject({
      addr: "0xfebf0000",
      access: "W",
      minNs: 2000,
      maxNs: 10000,
      avgNs: 6000,
    });
    const table = (await cli(["stat", "--by", "mmio"])).out;
    expect(table.split("\n")[0]).toMatch(/^MMIO Access\s+Samples\s+Samples%/);
  });

  it("--by ioport, msr, kind, vcpu, reason", async () => {
    const names = async (by: string) =>
      JSON.parse((await cli(["stat", "--by", by, "--json"])).out).reasons.map(
        (x: { name: string }) => x.name,
      );
    expect(await names("ioport")).toEqual(["0x3f8:POUT"]);
    expect(await names("msr")).toEqual(["0x1b:R"]);
    expect(await names("kind")).toEqual(["MmioWrite", "IoWrite", "SysRegRead"]);
    expect(await names("vcpu")).toEqual(["vcpu 0 pid 10", "vcpu 1 pid 11", "vcpu 2 pid 12"]);
    expect(await names("reason")).toEqual([
      "EPT_VIOLATION",
      "DABT_LOW",
      "IO_INSTRUCTION",
      "MSR_READ",
    ]);
    expect(await names("hypercall")).toEqual([]);
  });

  it("--vcpu and --pid filter; --sort time and name", async () => {
    const vcpu0 = JSON.parse((await cli(["stat", "--vcpu", "0", "--json"])).out);
    expect(vcpu0.total).toBe(3);
    const pid12 = JSON.parse((await cli(["stat", "--pid", "12", "--json"])).out);
    expect(pid12.reasons.map((x: { name: string }) => x.name)).toEqual(["DABT_LOW"]);
    // total times: DABT 30 µs, EPT 12 µs, IO 4 µs, MSR none
    const byTime = JSON.parse((await cli(["stat", "--sort", "time", "--json"])).out);
    expect(byTime.reasons.map((x: { name: string }) => x.name)).toEqual([
      "DABT_LOW",
      "EPT_VIOLATION",
      "IO_INSTRUCTION",
      "MSR_READ",
    ]);
    const byName = JSON.parse((await cli(["stat", "--sort", "name", "--json"])).out);
    expect(byName.reasons.map((x: { name: string }) => x.name)).toEqual(
      ["DABT_LOW", "EPT_VIOLATION", "IO_INSTRUCTION", "MSR_READ"].sort(),
    );
  });

  it("the table says how many exits are typed and how many companions joined", async () => {
    // grouping by kind decodes the exits; by reason (the default) they are only counted
    const r = await cli(["stat", "--by", "kind"]);
    expect(r.out).toContain(
      "typed exits: 5 complete, 0 partial, 0 undecoded; 6 companion events joined",
    );
    expect((await cli(["stat"])).out).toContain(
      "exits not decoded (grouping by kind decodes them); 6 companion events joined",
    );
  });

  it.each([
    [
      ["stat", "--by", "port"],
      'vmexit stat: --by must be one of reason, kind, mmio, ioport, msr, hypercall, vcpu, got "port"',
    ],
    [
      ["stat", "--sort", "size"],
      'vmexit stat: --sort must be one of count, time, name, got "size"',
    ],
    [["stat", "--vcpu", "x"], "vmexit stat: --vcpu must be an unsigned integer"],
  ])("%j fails with one line", async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(1);
    expect(r.err.split("\n")).toHaveLength(2);
    expect(r.err).toContain(message);
  });

  it("--help of each command", async () => {
    expect((await cli(["stat", "--help"])).out).toContain(
      "--by <reason|kind|mmio|ioport|msr|hypercall|vcpu>",
    );
    expect((await cli(["trace", "--help"])).out).toContain("ndjson");
  });
});
