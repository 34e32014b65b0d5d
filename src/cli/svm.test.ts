// `vmexit decode svm` and `vmexit explain svm`: key=value snapshots and raw VMCB pages (--vmcb).
// VMCB offsets: EXITCODE 0x070, EXITINFO1 0x078, EXITINFO2 0x080, decode-assist count 0x0D0 and
// bytes 0x0D1, save-area RAX 0x5F8 (Linux struct vmcb_control_area / vmcb_save_area).
import { describe, expect, it } from "vitest";
import { type CliInput, type CliIo, fileError } from "./io";
import { run } from "./run";

function io(files: Record<string, Uint8Array | string> = {}): {
  io: CliIo;
  out: () => string;
  err: () => string;
} {
  let out = "";
  let err = "";
  return {
    io: {
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
      stdin: [],
      async openFile(path): Promise<CliInput> {
        const f = files[path];
        if (f === undefined) throw fileError(path, { code: "ENOENT" });
        // a page split into chunks, as a stream delivers it
        return typeof f === "string" ? [f] : [f.subarray(0, 1000), f.subarray(1000)];
      },
      async readTextFile(path) {
        const f = files[path];
        if (typeof f !== "string") throw fileError(path, { code: "ENOENT" });
        return f;
      },
    },
    out: () => out,
    err: () => err,
  };
}

async function cli(argv: string[], files?: Record<string, Uint8Array | string>) {
  const f = io(files);
  const code = await run(argv, f.io);
  return { code, out: f.out(), err: f.err() };
}

/** A 4 KiB VMCB with the given little-endian u64 fields and decode-assist bytes. */
function vmcb(fields: Readonly<Record<number, bigint>>, bytes: readonly number[] = []): Uint8Array {
  const page = new Uint8Array(4096);
  const view = new DataView(page.buffer);
  for (const [offset, value] of Object.entries(fields)) {
    view.setBigUint64(Number(offset), value, true);
  }
  page[0xd0] = bytes.length;
  page.set(bytes, 0xd1);
  return page;
}

describe("vmexit decode svm", () => {
  it("key=value: OUT dx, al to 0x3f8 (EXITINFO1 = 0x3f8 << 16 | SZ8)", async () => {
    const r = await cli(["decode", "svm", "exit-code=0x7b", "exit-info1=0x3f80010", "rax=0x41"]);
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toBe("IoWrite { port: 0x3f8, width: 1, data: 0x41 }");
    expect(r.out).toContain("cause:\n  arch: x86-svm\n  code: 123 (0x7b)\n  name: io\n  class: io");
  });

  it("exit codes by Linux's name, libtraceevent's and the APM's", async () => {
    for (const name of ["hlt", "EXIT_HLT", "VMEXIT_HLT", "idle-halt", "mwait"]) {
      expect((await cli(["decode", "svm", `code=${name}`])).out.split("\n")[0]).toBe("Halt");
    }
    // invalid_guest_state = −1: EXITCODE 2^64 − 1
    expect((await cli(["decode", "amd", "code=invalid_guest_state"])).out.split("\n")[0]).toBe(
      "FailEntry { hardwareEntryFailureReason: 0xffffffffffffffff }",
    );
  });

  it("--json, --x2apic: an AVIC incomplete IPI (fixed vector 0xfd to x2APIC ID 3)", async () => {
    const r = await cli([
      "decode",
      "svm",
      "code=avic_incomplete_ipi",
      "info1=0x3000000fd",
      "info2=0x100000003",
      "--x2apic",
      "--json",
    ]);
    const json = JSON.parse(r.out);
    expect(json.exit).toEqual({
      kind: "SendIPI",
      targetCpu: "0x3",
      targetCpuAux: "0x0",
      sendToAll: false,
      sendToSelf: false,
      vector: "0xfd",
    });
    expect(json.cause).toMatchObject({ failure: "target-not-running", index: 3 });
  });

  it("--vmcb FILE: the snapshot from a raw page, key=value registers added", async () => {
    // EXITCODE 0x7C MSR, EXITINFO1 0 (RDMSR); ECX is not in the VMCB: rcx=0x1b
    const files = { "rdmsr.vmcb": vmcb({ 112: 0x7cn, 120: 0n }) };
    const r = await cli(["decode", "svm", "--vmcb", "rdmsr.vmcb", "rcx=0x1b"], files);
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out.split("\n")[0]).toBe("SysRegRead { addr: 0x1b, reg: 0 }");
  });

  it("--vmcb: NPF with decode-assist bytes; the page's RAX is the store's data", async () => {
    // EXITINFO1 0x100000006: GUEST_FINAL | US | RW; bytes 89 07 = mov [rdi], eax; RAX at 0x5F8
    const files = {
      "npf.vmcb": vmcb(
        { 112: 0x400n, 120: 0x1_0000_0006n, 128: 0xfebf_0000n, 1528: 0x1234_5678n },
        [0x89, 0x07],
      ),
    };
    const r = await cli(["decode", "svm", "--vmcb", "npf.vmcb"], files);
    expect(r.out.split("\n")[0]).toBe("MmioWrite { addr: 0xfebf0000, width: 4, data: 0x12345678 }");
    // a key=value argument wins over the page
    const over = await cli(["decode", "svm", "--vmcb", "npf.vmcb", "rax=0x41"], files);
    expect(over.out.split("\n")[0]).toBe("MmioWrite { addr: 0xfebf0000, width: 4, data: 0x41 }");
  });

  it("--vmcb errors: another architecture, a file of another size, a missing file", async () => {
    const files = { "short.vmcb": new Uint8Array(100), "page.vmcb": vmcb({ 112: 0x78n }) };
    expect(await cli(["decode", "vmx", "--vmcb", "page.vmcb"], files)).toEqual({
      code: 1,
      out: "",
      err: "vmexit decode: --vmcb is not an option of vmx (it is one of svm)\n",
    });
    expect((await cli(["decode", "svm", "--vmcb", "short.vmcb"], files)).err).toBe(
      'vmexit decode: "short.vmcb" is not a VMCB page: 4096 bytes expected, got 100\n',
    );
    const long = { "long.vmcb": new Uint8Array(8192) };
    expect((await cli(["decode", "svm", "--vmcb", "long.vmcb"], long)).err).toContain(
      "4096 bytes expected, got more",
    );
    expect((await cli(["decode", "svm", "--vmcb", "none.vmcb"])).err).toBe(
      'vmexit decode: cannot read "none.vmcb": no such file\n',
    );
  });

  it("errors as elsewhere: no EXITCODE, an undefined code, a missing register", async () => {
    expect((await cli(["decode", "svm", "info1=1"])).err).toBe(
      "vmexit decode: svm snapshot needs exitCode=…\n",
    );
    // 0x0A7 is between IDLE_HLT (0x0A6) and NPF (0x400): no exit has it
    expect((await cli(["decode", "svm", "code=0xa7"])).err).toContain(
      "exitCode 0xa7 is not a defined SVM exit code",
    );
    expect((await cli(["decode", "svm", "code=interrupt"])).err).toContain("interruptVector");
  });

  it("decode --help lists the svm keys and --vmcb", async () => {
    const r = await cli(["decode", "--help"]);
    expect(r.out).toContain("  svm      exitCode|code, exitInfo1|info1, exitInfo2|info2");
    expect(r.out).toContain("--vmcb FILE");
    expect(r.out).toContain("--x2apic");
  });
});

describe("vmexit explain svm", () => {
  it("EXITCODE, EXITINFO1 with the IOIO layout, EXITINFO2", async () => {
    const r = await cli(["explain", "svm", "code=io", "info1=0x600211", "info2=0x1002"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("EXITCODE [63:0] = 0x7b  io (VMEXIT_IOIO)");
    expect(r.out).toContain("  PORT [31:16] = 0x60");
    expect(r.out).toContain("  A64 [9] = 0x1  64-bit address");
    expect(r.out).toContain("Next RIP [63:0] = 0x1002");
  });

  it("--vmcb FILE, and --json", async () => {
    const files = { "page.vmcb": vmcb({ 112: 0x400n, 120: 0x1_0000_0014n, 128: 0x1000n }) };
    const r = await cli(["explain", "svm", "--vmcb", "page.vmcb", "--json"], files);
    const nodes = JSON.parse(r.out) as { name: string; meaning?: string }[];
    expect(nodes.map((n) => n.name)).toEqual([
      "EXITCODE",
      "EXITINFO1",
      "EXITINFO2",
      "EXITINTINFO",
      "EXITINTINFO error code",
    ]);
    expect(nodes[1]?.meaning).toBe("instruction fetch");
  });

  it("--vmcb is refused for a single register", async () => {
    const r = await cli(["explain", "esr", "0x93810047", "--vmcb", "page.vmcb"]);
    expect(r.err).toBe(
      "vmexit explain: --vmcb reads a whole snapshot: use explain <arch> --vmcb FILE\n",
    );
  });
});
