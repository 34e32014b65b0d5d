import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mixedTrace } from "../../bench/trace-workload";
import { statTrace } from "../trace/stat";
import { type CliIo, fileError, nodeIo } from "./io";
import { run } from "./run";

interface Fake {
  readonly io: CliIo;
  out(): string;
  err(): string;
}

function fake(
  options: {
    stdin?: string;
    files?: Record<string, string>;
    tty?: boolean;
    stdinTTY?: boolean;
  } = {},
): Fake {
  let out = "";
  let err = "";
  const files = options.files ?? {};
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
      isTTY: options.tty === true,
    },
    stdin: [new TextEncoder().encode(options.stdin ?? "")],
    stdinIsTTY: options.stdinTTY === true,
    async openFile(path) {
      const text = files[path];
      if (text === undefined) throw fileError(path, { code: "ENOENT" });
      return [new TextEncoder().encode(text)];
    },
    async readTextFile(path) {
      const text = files[path];
      if (text === undefined) throw fileError(path, { code: "EACCES" });
      return text;
    },
  };
  return { io, out: () => out, err: () => err };
}

async function cli(
  argv: string[],
  f = fake(),
): Promise<{ code: number; out: string; err: string }> {
  const code = await run(argv, f.io);
  return { code, out: f.out(), err: f.err() };
}

describe("vmexit (no command, help, version)", () => {
  it("prints usage to stderr and fails without a command", async () => {
    const r = await cli([]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("Usage:");
  });

  it.each([["--help"], ["-h"], ["help"], ["help", "stat"], ["help", "decode"]])(
    "%s",
    async (...argv) => {
      const r = await cli(argv);
      expect(r.code).toBe(0);
      expect(r.out).toContain("Usage:");
    },
  );

  it.each(["decode", "explain", "trace", "stat"])("%s --help", async (command) => {
    const r = await cli([command, "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Usage: vmexit ${command}`);
  });

  it.each([["--version"], ["-V"], ["-v"], ["version"]])(
    "%s prints package.json's version",
    async (flag) => {
      const { version } = JSON.parse(
        readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
      );
      expect(await cli([flag])).toEqual({ code: 0, out: `vmexit ${version}\n`, err: "" });
    },
  );

  it("help for an unknown command fails with one line", async () => {
    expect(await cli(["help", "bogus"])).toEqual({
      code: 1,
      out: "",
      err: 'vmexit help: no command "bogus" (commands: decode, explain, trace, stat)\n',
    });
  });

  it("refuses arguments that are not an argv and an io", async () => {
    const io = fake().io;
    await expect(run(undefined as never, io)).rejects.toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "argv" }),
    );
    await expect(run(["decode", 5] as never, io)).rejects.toThrow(
      expect.objectContaining({ field: "argv" }),
    );
    await expect(run([], null as never)).rejects.toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "io" }),
    );
  });

  it("an unknown command fails with one line", async () => {
    const r = await cli(["frobnicate"]);
    expect(r).toEqual({
      code: 1,
      out: "",
      err: 'vmexit: unknown command "frobnicate" (try vmexit --help)\n',
    });
  });
});

describe("vmexit decode", () => {
  it("vmx: OUT to COM1 (qualification 0x3f80000: port 0x3f8 << 16, size-1 0, OUT)", async () => {
    const r = await cli(["decode", "vmx", "reason=IO_INSTRUCTION", "qual=0x3f80000", "rax=0x41"]);
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toBe("IoWrite { port: 0x3f8, width: 1, data: 0x41 }");
    expect(r.out).toContain("cause:\n  arch: x86-vmx\n  code: 30 (0x1e)\n  name: IO_INSTRUCTION");
  });

  it("aarch64 --json: ESR 0x93810047 = DABT_LOW, ISV, SAS 2, SRT 1, WnR, DFSC 7", async () => {
    // IPA = HPFAR[47:4] << 12 | FAR[11:0] = 0x9000 << 12 | 0x000 = 0x9000000
    const r = await cli([
      "decode",
      "arm64",
      "esr=0x93810047",
      "far=0x9000000",
      "hpfar=0x90000",
      "x1=0x1_0000_0041",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    // data = x1 masked to 4 bytes
    expect(json.exit).toEqual({ kind: "MmioWrite", addr: "0x9000000", width: 4, data: "0x41" });
    expect(json.cause).toMatchObject({ arch: "aarch64", code: 0x24, name: "DABT_LOW" });
  });

  it("riscv: registers by ABI name, options and @file arguments", async () => {
    // ECALL from VS (10) with a7 = 0x485643 (the default hypercall EID) → Hypercall nr = a6
    const files = {
      "hc.args":
        "# a hypercall\nscause=10\na7=0x485643 a6=7\n\na0=1 a1=2 a2=0 a3=0 a4=0 a5=0 # args\n",
    };
    const r = await cli(
      ["decode", "riscv", "@hc.args", "--hypercall-eid", "0x485643"],
      fake({ files }),
    );
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toBe(
      "Hypercall { nr: 0x7, args: [0x1, 0x2, 0x0, 0x0, 0x0, 0x0] }",
    );
  });

  it("vmx options: --abi kvm takes args from RBX, RCX, RDX, RSI", async () => {
    const r = await cli([
      "decode",
      "x86",
      "reason=18",
      "rax=5",
      "rbx=1",
      "rcx=2",
      "rdx=3",
      "rsi=4",
      "--abi",
      "kvm",
      "--cpu-mode",
      "64",
      "--apic-base",
      "0xfee00000",
    ]);
    expect(r.out.split("\n")[0]).toBe(
      "Hypercall { nr: 0x5, args: [0x1, 0x2, 0x3, 0x4, 0x0, 0x0] }",
    );
  });

  it("vmx bytes and 32-bit fields", async () => {
    // EPT violation, write (q bit 1), `mov [rax], ecx` = 89 08 → 4-byte MMIO write of ECX
    const r = await cli(
      [
        "decode",
        "vmx",
        "reason=EPT_VIOLATION",
        "qual=0x182",
        "gpa=0xfed000f0",
        "bytes=89:08",
        "rcx=3",
        "length=2",
        "intrInfo=0",
        "exception=sync",
      ].slice(0, 9),
    );
    expect(r.out.split("\n")[0]).toBe("MmioWrite { addr: 0xfed000f0, width: 4, data: 0x3 }");
  });

  it("numbers take _ between digits, in decimal and hex", async () => {
    // 1_2 = 12 = HLT; qual 0x1_81 = 0x181 is ignored by HLT
    const r = await cli([
      "decode",
      "vmx",
      "reason=1_2",
      "qual=0x1_81",
      "--apic-base",
      "0xfee0_0000",
    ]);
    expect(r.out.split("\n")[0]).toBe("Halt");
  });

  it("aarch64 exception and irq keys", async () => {
    const r = await cli(["decode", "aarch64", "esr=0", "exception=irq", "irq=27"]);
    expect(r.out.split("\n")[0]).toBe("ExternalInterrupt { vector: 0x1b }");
  });

  it.each([
    [["decode"], "vmexit decode: decode needs an architecture: vmx, svm, aarch64, riscv"],
    [
      ["decode", "mips", "a=1"],
      'vmexit decode: unknown architecture "mips": use vmx, svm, aarch64, riscv',
    ],
    [["decode", "vmx", "qual=1"], "vmexit decode: vmx snapshot needs exitReason=…"],
    [["decode", "aarch64", "x1=1"], "vmexit decode: aarch64 snapshot needs esr=…"],
    [["decode", "riscv", "a0=1"], "vmexit decode: riscv snapshot needs scause=…"],
    [["decode", "vmx", "reason"], 'vmexit decode: expected key=value, got "reason"'],
    [
      ["decode", "vmx", "foo=1"],
      'vmexit decode: unknown vmx snapshot key "foo" (see vmexit decode --help)',
    ],
    [
      ["decode", "vmx", "reason=-1"],
      'vmexit decode: exitReason must be a non-negative integer, got the negative value "-1"',
    ],
    [
      ["decode", "vmx", "reason=0x100000000"],
      'vmexit decode: exitReason must fit in 32 bits, got "0x100000000"',
    ],
    [
      ["decode", "vmx", "reason=12", "bytes=8"],
      'vmexit decode: instructionBytes must be hex bytes such as "8b07" or "8b:07", got "8"',
    ],
    [
      ["decode", "aarch64", "esr=0", "exception=nmi"],
      'vmexit decode: exception must be one of sync, irq, fiq, serror, got "nmi"',
    ],
    [
      ["decode", "riscv", "scause=1", "xlen=16"],
      'vmexit decode: xlen must be one of 32, 64, got "16"',
    ],
    [
      ["decode", "vmx", "reason=12", "--abi", "xen"],
      'vmexit decode: --abi must be one of axvisor, kvm, got "xen"',
    ],
    [
      ["decode", "vmx", "reason=12", "--cpu-mode", "8"],
      'vmexit decode: --cpu-mode must be one of 16, 32, 64, got "8"',
    ],
    [["decode", "vmx", "reason=12", "--bogus"], "vmexit decode: Unknown option '--bogus'"],
    [
      ["decode", "vmx", "@missing.args"],
      'vmexit decode: cannot read "missing.args": permission denied',
    ],
    // negative values say so, also where parseArgs saw a flag (-1) or an ambiguous value
    [
      ["decode", "vmx", "reason=48", "--apic-base", "-1"],
      'vmexit decode: --apic-base must be a non-negative integer, got the negative value "-1"',
    ],
    [
      ["decode", "riscv", "scause=10", "--hypercall-eid", "-0x1"],
      'vmexit decode: --hypercall-eid must be a non-negative integer, got the negative value "-0x1"',
    ],
    [
      ["decode", "vmx", "reason=48", "qual=-5"],
      'vmexit decode: exitQualification must be a non-negative integer, got the negative value "-5"',
    ],
    // numbers: decimal or 0x hex, `_` only between digits
    ...["0b1", "0o7", "0_x_c", "1e3", "1__2", "_12", "12_", "0x", "1.0"].map(
      (n): [string[], string] => [
        ["decode", "vmx", `reason=${n}`],
        `vmexit decode: exitReason must be a name or an unsigned integer in decimal or 0x hex, got "${n}"`,
      ],
    ),
    [
      ["decode", "vmx", "reason=12", "--apic-base", "0b1"],
      'vmexit decode: --apic-base must be an unsigned integer in decimal or 0x hex (`_` between digits allowed), got "0b1"',
    ],
    // options of another architecture are refused, not ignored
    [
      ["decode", "aarch64", "esr=0x5a000000", "--abi", "kvm"],
      "vmexit decode: --abi is not an option of aarch64 (it is one of vmx)",
    ],
    [
      ["decode", "riscv", "scause=10", "--cpu-mode", "64"],
      "vmexit decode: --cpu-mode is not an option of riscv (it is one of vmx)",
    ],
    [
      ["decode", "vmx", "reason=12", "--hypercall-eid", "1"],
      "vmexit decode: --hypercall-eid is not an option of vmx (it is one of riscv)",
    ],
    // a decoder rejection: undefined basic reason 38
    [
      ["decode", "vmx", "reason=38"],
      "vmexit decode: exitReason basic reason (bits 15:0) 38 (0x26) is not a defined VMX exit reason (exitReason 0x26)",
    ],
  ])("%j fails with one line", async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toBe(`${message}\n`);
  });
});

describe("vmexit explain", () => {
  it.each([
    [
      ["explain", "esr", "-1"],
      'vmexit explain: esr must be a non-negative integer, got the negative value "-1"',
    ],
    [
      ["explain", "scause", "-0x5"],
      'vmexit explain: scause must be a non-negative integer, got the negative value "-0x5"',
    ],
    [
      ["explain", "esr", "0b101"],
      'vmexit explain: esr must be an unsigned integer in decimal or 0x hex (`_` between digits allowed), got "0b101"',
    ],
  ])("%j: negative and malformed values say what they are", async (argv, message) => {
    expect(await cli(argv)).toEqual({ code: 1, out: "", err: `${message}\n` });
  });

  it("esr: EC 0x24 at [31:26]", async () => {
    const r = await cli(["explain", "esr", "0x93810047"]);
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toMatch(/^EC \[31:26\] = 0x24 /);
  });

  it("scause with xlen=32: interrupt bit 31", async () => {
    const r = await cli(["explain", "scause", "0x80000005", "xlen=32", "--json"]);
    const nodes = JSON.parse(r.out);
    expect(nodes[0]).toMatchObject({ bits: [31, 31], value: "0x1" });
  });

  it.each([
    [["explain", "vmx", "reason=HLT"], "HLT"],
    [["explain", "aarch64", "esr=0x5a000000"], "HVC64"],
    [["explain", "riscv", "scause=10"], "Environment call from VS-mode"],
  ])("%j", async (argv, text) => {
    const r = await cli(argv);
    expect(r.code).toBe(0);
    expect(r.out).toContain(text);
  });

  it.each([
    [
      ["explain"],
      "vmexit explain: explain needs what to explain: esr, scause, vmx, aarch64, riscv",
    ],
    [
      ["explain", "cr0", "1"],
      'vmexit explain: cannot explain "cr0": use esr, scause, vmx, aarch64, riscv',
    ],
    [["explain", "esr"], "vmexit explain: explain esr needs a value"],
    [["explain", "esr", "1", "2"], 'vmexit explain: expected key=value, got "2"'],
    [
      ["explain", "scause", "1", "xlen=128"],
      'vmexit explain: xlen must be one of 32, 64, got "128"',
    ],
    [
      ["explain", "esr", "1", "x1=2", "--abi", "kvm"],
      "vmexit explain: --abi is not an option of aarch64 (it is one of vmx)",
    ],
    [
      ["explain", "esr", "0x100000000000000"],
      "vmexit explain: esr bits 63:56 are RES0, got 0x100000000000000",
    ],
  ])("%j fails with one line", async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(1);
    expect(r.err.split("\n")).toHaveLength(2);
    expect(r.err).toContain(message.slice(0, 30));
  });
});

const TRACE = [
  "a-1 [000] .... 1.000000: kvm_exit: vcpu 0 reason HLT rip 0x10",
  "a-1 [000] .... 1.000020: kvm_entry: vcpu 0",
  "a-1 [000] .... 1.000030: kvm_exit: vcpu 0 reason EPT_VIOLATION rip 0x10 info1 0x181",
  "garbage",
  "",
].join("\n");

describe("vmexit trace", () => {
  it("prints one JSON line per exit, reports skipped lines on stderr", async () => {
    const r = await cli(["trace", "t.trace"], fake({ files: { "t.trace": TRACE } }));
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ line: 1, name: "HLT", exit: { kind: "Halt" } });
    expect(lines[1]).toMatchObject({ line: 3, name: "EPT_VIOLATION", exit: null });
    expect(r.err).toBe(
      'vmexit: 1 line skipped\n  line 4: line is not a trace event (no "event:" column): "garbage"\n',
    );
  });

  it("reads stdin for - and --raw skips decoding", async () => {
    const r = await cli(["trace", "-", "--raw"], fake({ stdin: TRACE }));
    expect(JSON.parse(r.out.split("\n")[0] as string)).toMatchObject({ exit: null, cause: null });
  });

  it("refuses a terminal as input, a missing file, and two files", async () => {
    expect((await cli(["trace"], fake({ stdinTTY: true }))).err).toBe(
      "vmexit trace: no input: give a trace FILE or pipe one into stdin\n",
    );
    expect((await cli(["trace", "nope.trace"])).err).toBe(
      'vmexit trace: cannot read "nope.trace": no such file\n',
    );
    expect((await cli(["stat", "a", "b"])).err).toBe(
      "vmexit stat: expected at most one FILE, got 2 arguments\n",
    );
  });

  it("shows progress on a terminal", async () => {
    const many = `${"kvm_exit: vcpu 0 reason HLT\n".repeat(70000)}`;
    const r = await cli(["trace", "-"], fake({ stdin: many, tty: true }));
    expect(r.err).toBe("\rvmexit: 65,536 lines read\r\x1b[K");
  });
});

describe("vmexit stat", () => {
  it("prints the table", async () => {
    const r = await cli(["stat", "t.trace"], fake({ files: { "t.trace": TRACE } }));
    expect(r.code).toBe(0);
    expect(r.out).toContain("HLT                  1    50.00%");
    expect(r.out).toContain(
      "4 lines: 2 exits, 1 entry, 0 other, 1 skipped; 1 of 2 exits timed by kvm_entry",
    );
  });

  it("--json from stdin", async () => {
    const r = await cli(["stat", "--json"], fake({ stdin: TRACE }));
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ total: 2, skipped: 1, lines: 4, entries: 1, other: 0, timed: 1 });
    // HLT: 1.000020 − 1.000000 = 20 µs
    expect(json.reasons[1]).toMatchObject({ name: "HLT", count: 1, minNs: 20000, maxNs: 20000 });
  });

  it("shows progress on a terminal", async () => {
    const r = await cli(
      ["stat"],
      fake({ stdin: "kvm_exit: reason HLT\n".repeat(65536), tty: true }),
    );
    expect(r.err).toBe("\rvmexit: 65,536 lines read\r\x1b[K");
  });
});

describe("nodeIo", () => {
  it("streams a real file and reads an args file", async () => {
    const io = nodeIo();
    const chunks: Uint8Array[] = [];
    for await (const c of await io.openFile("examples/x86-legacy.trace"))
      chunks.push(new Uint8Array(c as Uint8Array));
    expect(Buffer.concat(chunks).toString("utf8")).toContain("kvm_exit");
    expect(await io.readTextFile("examples/snapshots/vmx-io-out.args")).toContain("IO_INSTRUCTION");
  });

  it("reads a file of many chunks, each valid until the next, as the trace readers need", async () => {
    const lines: string[] = [];
    mixedTrace(25_000, (l) => lines.push(l), 5);
    const text = `${lines.join("\n")}\n`;
    const dir = mkdtempSync(join(tmpdir(), "vmexit-io-"));
    try {
      const file = join(dir, "t.trace");
      writeFileSync(file, text);
      expect(text.length).toBeGreaterThan(2 * (1 << 20));
      const io = nodeIo();
      const copies: Uint8Array[] = [];
      for await (const c of await io.openFile(file)) copies.push(new Uint8Array(c as Uint8Array));
      expect(copies.length).toBeGreaterThan(2);
      expect(Buffer.concat(copies).toString("utf8")).toBe(text);
      // the statistics of the chunks as they come (one buffer refilled) are those of the text
      expect(await statTrace(await io.openFile(file), { by: "kind" })).toEqual(
        await statTrace([text], { by: "kind" }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names a missing file and a directory", async () => {
    const io = nodeIo();
    await expect(io.openFile("no/such.trace")).rejects.toThrow(
      'cannot read "no/such.trace": no such file',
    );
    await expect(io.openFile("examples")).rejects.toThrow('cannot read "examples": is a directory');
    await expect(io.readTextFile("no/such.args")).rejects.toThrow("no such file");
  });

  it("writes to stdout and stderr", () => {
    const io = nodeIo();
    expect(io.stderr.write("")).toBeUndefined();
    expect(typeof io.stdout.isTTY).toBe("boolean");
  });
});
