import { describe, expect, it } from "vitest";
import type { ExplainNode } from "../../core/explain";
import { formatExplain } from "../../core/explain";
import { explainSvm } from "./explain";

const byName = (nodes: readonly ExplainNode[], name: string): ExplainNode | undefined =>
  nodes.find((n) => n.name === name);

describe("explainSvm", () => {
  it("IOIO: EXITCODE, EXITINFO1 bit by bit (reserved bits left out while zero), EXITINFO2", () => {
    // 0x03F80120 = PORT 0x3F8, A32 (bit 8), SZ16 (bit 5), OUT
    const text = formatExplain(
      explainSvm({ exitCode: 0x7b, exitInfo1: 0x03f8_0120, exitInfo2: 0x2002 }),
    );
    expect(text).toBe(
      [
        "EXITCODE [63:0] = 0x7b  io (VMEXIT_IOIO)",
        "EXITINFO1 [63:0] = 0x3f80120  OUT port 0x3f8, 2 bytes",
        "  TYPE [0] = 0x0  OUT",
        "  STR [2] = 0x0  no",
        "  REP [3] = 0x0  no",
        "  SZ8 [4] = 0x0  no",
        "  SZ16 [5] = 0x1  16-bit operand",
        "  SZ32 [6] = 0x0  no",
        "  A16 [7] = 0x0  no",
        "  A32 [8] = 0x1  32-bit address",
        "  A64 [9] = 0x0  no",
        "  SEG [12:10] = 0x0",
        "  PORT [31:16] = 0x3f8",
        "EXITINFO2 [63:0] = 0x2002",
        "  Next RIP [63:0] = 0x2002",
      ].join("\n"),
    );
  });

  it("shows a set reserved bit of EXITINFO1", () => {
    // bit 1 of IOIO EXITINFO1 is reserved
    const info1 = byName(explainSvm({ exitCode: 0x7b, exitInfo1: 0x0060_0013 }), "EXITINFO1");
    expect(info1?.children?.find((n) => n.name === "RES0")).toMatchObject({
      bits: [1, 1],
      value: 1n,
    });
  });

  it("NPF: the error-code bits by name, the GPA, EXITINTINFO and its error code", () => {
    const nodes = explainSvm({
      exitCode: 0x400,
      exitInfo1: 0x2_0000_0015n,
      exitInfo2: 0xfee0_0000n,
      exitIntInfo: 0x8000_0b0e,
      exitIntInfoErrorCode: 2,
    });
    const info1 = byName(nodes, "EXITINFO1");
    expect(info1?.meaning).toBe("instruction fetch");
    expect(info1?.children?.find((n) => n.name === "ID")).toMatchObject({
      value: 1n,
      meaning: "instruction fetch",
    });
    expect(info1?.children?.find((n) => n.name === "GUEST_PAGE")).toMatchObject({
      bits: [33, 33],
      value: 1n,
    });
    expect(byName(nodes, "EXITINTINFO")).toMatchObject({
      value: 0x8000_0b0en,
      meaning: "exception, vector 14 (#PF)",
    });
    expect(byName(nodes, "EXITINTINFO error code")).toMatchObject({ value: 2n });
  });

  it("AVIC incomplete IPI: the ICR layout of the APIC mode", () => {
    const x2 = byName(
      explainSvm({ exitCode: 0x401, exitInfo1: 0x3_0000_00fdn }, { x2apic: true }),
      "EXITINFO1",
    );
    expect(x2?.children?.find((n) => n.name === "Destination")).toMatchObject({
      bits: [63, 32],
      value: 3n,
    });
    const x = byName(
      explainSvm({ exitCode: 0x401, exitInfo1: 0x0300_0000_0000_00fdn }),
      "EXITINFO1",
    );
    expect(x?.children?.find((n) => n.name === "Destination")).toMatchObject({
      bits: [63, 56],
      value: 3n,
    });
  });

  it("AVIC unaccelerated access: the offset names the register and says trap or fault", () => {
    const info1 = byName(explainSvm({ exitCode: 0x402, exitInfo1: 0x1_0000_0300n }), "EXITINFO1");
    expect(info1?.children?.find((n) => n.name === "Offset")).toMatchObject({
      bits: [11, 4],
      value: 0x30n,
      meaning: "0x300 ICR (trap: the write is done)",
    });
  });

  it("VMGEXIT: the GHCB MSR by its request code", () => {
    const ghcb = byName(
      explainSvm({ exitCode: 0x403, ghcbGpa: 0x8000_001f_4000_0004n }),
      "GHCB GPA",
    );
    expect(ghcb?.meaning).toBe("GHCB MSR protocol: CPUID request");
    expect(ghcb?.children?.map((n) => [n.name, n.value])).toEqual([
      ["GHCBInfo", 4n],
      ["Reserved", 0n],
      ["Register", 1n],
      ["CPUID function", 0x8000_001fn],
    ]);
    expect(byName(explainSvm({ exitCode: 0x403, ghcbGpa: 0x5000 }), "GHCB GPA")?.meaning).toBe(
      "address of the GHCB page",
    );
  });

  it("WRMSR 0x830: the x2APIC ICR in EDX:EAX", () => {
    const nodes = explainSvm({
      exitCode: 0x7c,
      exitInfo1: 1,
      regs: { rcx: 0x830, rax: 0x69a, rdx: 1 },
    });
    const icr = byName(nodes, "x2APIC ICR (EDX:EAX)");
    expect(icr?.children?.find((n) => n.name === "Delivery mode")).toMatchObject({
      value: 6n,
      meaning: "StartUp",
    });
  });

  it("INTR: the vector the host acknowledged; a missing one does not stop the explanation", () => {
    expect(
      byName(
        explainSvm({ exitCode: 0x60, interruptVector: 0x20 }),
        "Interrupt vector (acknowledged by the host)",
      ),
    ).toMatchObject({ value: 0x20n });
    expect(explainSvm({ exitCode: 0x60 }).map((n) => n.name)).toEqual(["EXITCODE"]);
    expect(explainSvm({ exitCode: 0x7b }).map((n) => n.name)).toEqual(["EXITCODE"]);
  });

  it("rejects what decodeSvm rejects, with the same error", () => {
    expect(() => explainSvm({ exitCode: 0xa7 })).toThrow(
      expect.objectContaining({ code: "unknown-exit-reason" }),
    );
    expect(() => explainSvm({ exitCode: 0x7b, exitInfo1: 0x0060_0001 })).toThrow(
      expect.objectContaining({ code: "reserved-encoding", field: "exitInfo1" }),
    );
    expect(() => explainSvm({} as never)).toThrow(
      expect.objectContaining({ code: "missing-register", field: "exitCode" }),
    );
  });

  it("names codes Linux prints and codes it does not", () => {
    expect(explainSvm({ exitCode: 0xffff_ffff_ffff_ffffn })[0]?.meaning).toBe(
      "invalid_guest_state (VMEXIT_INVALID)",
    );
    expect(explainSvm({ exitCode: 0x8c })[0]?.meaning).toBe("VMEXIT_MWAIT_CONDITIONAL");
  });
});
