import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// `npm test` builds with tsup before vitest runs; locally run `npx tsup` first.
const CLI = join(import.meta.dirname, "..", "..", "dist", "cli.js");
const ROOT = join(import.meta.dirname, "..", "..");

function vmexit(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    ...(input === undefined ? {} : { input }),
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("dist/cli.js as a child process", () => {
  it("decode prints the exit and the cause", () => {
    // ESR 0x93c38006: DABT_LOW, ISV, SAS 3 (8 bytes), SRT 3, SF 1, read; IPA = 0x90000 >> 4 << 12 | FAR & 0xfff = 0x9000018
    const r = vmexit(["decode", "aarch64", "@examples/snapshots/aarch64-mmio-read.args"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out.split("\n")[0]).toBe(
      "MmioRead { addr: 0x9000018, width: 8, reg: 3, regWidth: 8, signedExt: false }",
    );
  });

  it("decode svm from the shipped sample", () => {
    // NPF, EXITINFO1 0x100000006: WRITE (bit 1); EXITINFO2 = GPA 0xfebf0010; decode-assist bytes
    // 89 06 = `mov [rsi], eax` (opcode 89, ModRM 06: mod 00, reg 000 EAX, rm 110 [RSI]) → a 4-byte
    // store of EAX = 0x12345678
    const r = vmexit(["decode", "svm", "@examples/snapshots/svm-npf-mmio-write.args"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out.split("\n")[0]).toBe("MmioWrite { addr: 0xfebf0010, width: 4, data: 0x12345678 }");
  });

  it("decode --json", () => {
    // x2APIC ICR write 0x1_0000069a: delivery mode 6 (SIPI), vector 0x9a → entry 0x9a000, destination 1
    const r = vmexit(["decode", "vmx", "@examples/snapshots/vmx-wrmsr-sipi.args", "--json"]);
    expect(JSON.parse(r.out).exit).toEqual({
      kind: "CpuUp",
      targetCpu: "0x1",
      entryPoint: "0x9a000",
      arg: "0x0",
    });
  });

  it("explain esr", () => {
    const r = vmexit(["explain", "esr", "0x5a000000"]);
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toMatch(/^EC \[31:26\] = 0x16 /);
  });

  it("stat reads a file and counts every kvm_exit line", () => {
    const r = vmexit(["stat", "examples/riscv-guest.trace", "--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.lines).toBe(400);
    expect(report.total).toBe(200); // the sample alternates kvm_exit / kvm_entry
    expect(report.reasons.reduce((s: number, x: { count: number }) => s + x.count, 0)).toBe(200);
  });

  it("stat reads stdin and prints the table", () => {
    const trace =
      "a-1 [000] .... 1.000000: kvm_exit: vcpu 0 reason HLT rip 0x1\na-1 [000] .... 1.000005: kvm_entry: vcpu 0\n";
    const r = vmexit(["stat", "-"], trace);
    expect(r.code).toBe(0);
    expect(r.out).toContain("HLT           1   100.00%  100.00%    5.00us    5.00us    5.00us");
  });

  it("trace prints JSON lines and reports skipped lines", () => {
    const dir = mkdtempSync(join(tmpdir(), "vmexit-"));
    const file = join(dir, "t.trace");
    writeFileSync(file, "kvm_exit: vcpu 0 reason HLT rip 0x1\nnot a line\n");
    const r = vmexit(["trace", file]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ name: "HLT", exit: { kind: "Halt" } });
    expect(r.err).toContain("vmexit: 1 line skipped");
  });

  it("stat counts the trace-cmd header as other, not skipped", () => {
    // examples/x86-legacy.trace starts with trace-cmd report's "cpus=2" line
    const report = JSON.parse(vmexit(["stat", "examples/x86-legacy.trace", "--json"]).out);
    expect(report).toMatchObject({ lines: 81, total: 40, entries: 40, other: 1, skipped: 0 });
  });

  it("stat refuses a binary trace.dat with one line", () => {
    const dir = mkdtempSync(join(tmpdir(), "vmexit-"));
    const file = join(dir, "trace.dat");
    // trace-cmd's binary format starts with the bytes 0x17 0x08 0x44 and "tracing"
    writeFileSync(file, Buffer.from([0x17, 0x08, 0x44, ...Buffer.from("tracing6\0\0\0\0")]));
    const r = vmexit(["stat", file]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toBe(
      'vmexit stat: the input is a trace-cmd binary file (trace.dat): convert it with "trace-cmd report" first\n',
    );
  });

  it.each([
    [["stat", "a.trace", "b.trace"], "vmexit stat: expected at most one FILE, got 2 arguments"],
    [["stat", "--frob"], "vmexit stat: Unknown option '--frob'"],
    [
      ["trace", "does-not-exist.trace"],
      'vmexit trace: cannot read "does-not-exist.trace": no such file',
    ],
    [
      ["stat", "does-not-exist.trace"],
      'vmexit stat: cannot read "does-not-exist.trace": no such file',
    ],
    [["stat", "examples"], 'vmexit stat: cannot read "examples": is a directory'],
    [
      ["decode", "vmx", "reason=NOPE"],
      'vmexit decode: exitReason must be a name or an unsigned integer in decimal or 0x hex, got "NOPE"',
    ],
    [["decode", "vmx", "--frob"], "vmexit decode: Unknown option '--frob'"],
    [
      ["explain", "esr", "0xzz"],
      'vmexit explain: esr must be an unsigned integer in decimal or 0x hex (`_` between digits allowed), got "0xzz"',
    ],
    [["bogus"], 'vmexit: unknown command "bogus" (try vmexit --help)'],
  ])("%j exits 1 with one line on stderr, no stack trace", (args, message) => {
    const r = vmexit(args);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toBe(`${message}\n`);
  });

  it("-V, --version and version print the version of package.json", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    for (const flag of ["-V", "--version", "version"]) {
      expect(vmexit([flag])).toEqual({ code: 0, out: `vmexit ${version}\n`, err: "" });
    }
  });

  it.skipIf(!existsSync("/dev/full"))(
    "a full output device is one line on stderr and exit 1",
    () => {
      for (const args of [
        ["trace", "examples/x86-boot.trace"],
        ["decode", "vmx", "reason=12"],
      ]) {
        const full = openSync("/dev/full", "w");
        const r = spawnSync(process.execPath, [CLI, ...args], {
          cwd: ROOT,
          encoding: "utf8",
          stdio: ["ignore", full, "pipe"],
        });
        closeSync(full);
        expect(r.status).toBe(1);
        expect(r.stderr).toBe(
          "vmexit: cannot write the output: no space left on device (ENOSPC)\n",
        );
      }
    },
  );

  it("a reader that stops early (EPIPE) ends the program quietly", async () => {
    const trace = "a-1 [000] .... 1.000000: kvm_exit: vcpu 0 reason HLT rip 0x1\n".repeat(200_000);
    const child = spawn(process.execPath, [CLI, "trace", "-"], { cwd: ROOT });
    let err = "";
    child.stderr.on("data", (d) => {
      err += String(d);
    });
    child.stdin.on("error", () => {}); // the child may exit before it has read all of stdin
    child.stdin.end(trace);
    // read the first chunk, then close the pipe as `| head -1` does
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect({ code, err }).toEqual({ code: 0, err: "" });
  });

  it("--help exits 0", () => {
    for (const args of [["--help"], ["stat", "--help"], ["trace", "-h"]]) {
      const r = vmexit(args);
      expect(r.code).toBe(0);
      expect(r.out).toContain("Usage:");
    }
  });
});
