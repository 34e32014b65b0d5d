// Each decoder tab decodes what is typed into it. Every expected value is worked out from the
// architecture manuals by hand (the derivation beside it), not taken from the library.
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Session, SKIP_REASON, screenshot, startSession } from "./browser";
import {
  bitNumbers,
  bitValues,
  clearTab,
  exitJson,
  exitText,
  fieldCell,
  fieldError,
  type,
} from "./page-helpers";

describe.skipIf(SKIP_REASON !== undefined)("decoder tabs in Chromium", () => {
  let session: Session;
  let page: Page;
  beforeAll(async () => {
    session = await startSession();
    page = await session.open("#/aarch64");
  });
  afterAll(async () => {
    await session?.close();
  });
  afterEach(() => {
    expect(session.problems).toEqual([]);
  });

  it("AArch64: a data abort with a valid syndrome is an MMIO read at the IPA", async () => {
    await page.goto(`${session.server.url}#/aarch64`);
    await clearTab(page, "aarch64");
    // ESR_EL2 0x93c08007 = 1001 0011 1100 0000 1000 0000 0000 0111:
    //   EC [31:26] 100100 = 0x24 Data Abort from a lower EL; IL [25] 1; ISV [24] 1;
    //   SAS [23:22] 11 doubleword; SSE [21] 0; SRT [20:16] 0 = x0; SF [15] 1 (64-bit Xt);
    //   DFSC [5:0] 000111 translation fault, level 3.
    // IPA = HPFAR_EL2.FIPA [47:4] << 12 | FAR_EL2 [11:0] = (0x90000 >> 4) << 12 | 0x678 = 0x9000678.
    await type(page, "aarch64", "esr", "0x93c08007");
    await type(page, "aarch64", "far", "0xffff800012345678");
    await type(page, "aarch64", "hpfar", "0x90000");
    expect(await exitText(page, "aarch64")).toBe(
      "MmioRead { addr: 0x9000678, width: 8, reg: 0, regWidth: 8, signedExt: false }",
    );
    expect(await exitJson(page, "aarch64")).toEqual({
      kind: "MmioRead",
      addr: "0x9000678",
      width: 8,
      reg: 0,
      regWidth: 8,
      signedExt: false,
    });
    // The bit table: low 32 bits are the binary of 0x93c08007, EC spans bits 31…26.
    expect((await bitValues(page, "aarch64", "ESR_EL2")).slice(-32)).toBe(
      "10010011110000001000000000000111",
    );
    expect((await bitNumbers(page, "aarch64", "ESR_EL2")).slice(-32)).toEqual(
      Array.from({ length: 32 }, (_, i) => 31 - i),
    );
    const ec = await fieldCell(page, "aarch64", "ESR_EL2", "EC");
    expect(ec).toMatchObject({ value: "0x24", span: 6, firstBit: 31 });
    expect(ec.title).toContain("EC [31:26] = 0x24");
    const sas = await fieldCell(page, "aarch64", "ISS", "SAS");
    expect(sas).toMatchObject({ value: "0x3", span: 2, firstBit: 23 });
    const dfsc = await fieldCell(page, "aarch64", "ISS", "DFSC");
    expect(dfsc).toMatchObject({ value: "0x7", span: 6, firstBit: 5 });
    // The meanings are listed below the table too.
    await expect
      .poll(() => page.locator("#tab-aarch64 .field-list dt", { hasText: "DFSC" }).count())
      .toBeGreaterThan(0);
    // The cause names the class Linux prints for EC 0x24.
    expect(await page.locator("#tab-aarch64 .cause-name").textContent()).toBe(
      "DABT_LOW · data-abort",
    );
    await screenshot(page, "aarch64");
  });

  it("AArch64: decimal input reads the same value as hex", async () => {
    await page.goto(`${session.server.url}#/aarch64`);
    await clearTab(page, "aarch64");
    // 0x93c08007 = 9·16^7 + 3·16^6 + 12·16^5 + 8·16^3 + 7 = 2478866439.
    await type(page, "aarch64", "esr", "2478866439");
    await type(page, "aarch64", "hpfar", "0x90000");
    // The page offset of the IPA comes from FAR_EL2: without it the decoder says so, beside far.
    expect(await fieldError(page, "aarch64", "far")).toContain("far");
    // FAR 4096 = 0x1000: page offset [11:0] = 0, so the IPA is 0x9000 << 12 = 0x9000000.
    await type(page, "aarch64", "far", "4096");
    expect(await exitText(page, "aarch64")).toBe(
      "MmioRead { addr: 0x9000000, width: 8, reg: 0, regWidth: 8, signedExt: false }",
    );
  });

  it("x86 VMX: an EPT violation with the instruction bytes is an MMIO read", async () => {
    await page.goto(`${session.server.url}#/vmx`);
    await clearTab(page, "vmx");
    // Basic exit reason 48 = EPT violation (SDM Vol. 3C, Appendix C). Qualification 0x181:
    // bit 0 data read, bit 7 linear address valid, bit 8 the access was to the final
    // translation. 8B 07 = MOV r32, r/m32 with ModRM 07 (mod 00, reg 000 = EAX, rm 111 = [RDI]):
    // a 4-byte load into register 0 (RAX), 32-bit destination, no sign extension.
    await type(page, "vmx", "reason", "48");
    await type(page, "vmx", "qual", "0x181");
    await type(page, "vmx", "gpa", "0x1050");
    await type(page, "vmx", "bytes", "8b 07");
    expect(await exitText(page, "vmx")).toBe(
      "MmioRead { addr: 0x1050, width: 4, reg: 0, regWidth: 4, signedExt: false }",
    );
    const read = await fieldCell(page, "vmx", "Exit qualification", "Data read");
    expect(read).toMatchObject({ value: "0x1", span: 1, firstBit: 0 });
    expect(await page.locator("#tab-vmx .cause-name").textContent()).toBe(
      "EPT_VIOLATION · ept-violation",
    );
    await screenshot(page, "vmx");
  });

  it("x86 VMX: an I/O instruction and a name for the reason", async () => {
    await page.goto(`${session.server.url}#/vmx`);
    await clearTab(page, "vmx");
    // Reason 30 = I/O instruction. Qualification 0x600008 (SDM Table 28-5): size − 1 [2:0] = 0
    // (1 byte), direction [3] = 1 (IN), port [31:16] = 0x60.
    await type(page, "vmx", "reason", "30");
    await type(page, "vmx", "qual", "0x600008");
    expect(await exitText(page, "vmx")).toBe("IoRead { port: 0x60, width: 1 }");
    // Reason 12 = HLT, given by its name.
    await type(page, "vmx", "qual", "");
    await type(page, "vmx", "reason", "HLT");
    expect(await exitText(page, "vmx")).toBe("Halt");
  });

  it("RISC-V: a load guest-page fault with a transformed instruction is an MMIO read", async () => {
    await page.goto(`${session.server.url}#/riscv`);
    await clearTab(page, "riscv");
    // scause 0x15 = 21, load guest-page fault (privileged spec, H extension). htval holds
    // GPA >> 2: 0x2000 << 2 = 0x8000 (stval's low two bits, 0, complete it). htinst 0x2503:
    // opcode [6:0] 0000011 LOAD, rd [11:7] 01010 = x10 (a0), funct3 [14:12] 010 = LW: 4 bytes,
    // sign-extended to XLEN 64.
    await type(page, "riscv", "scause", "0x15");
    await type(page, "riscv", "stval", "0x8000");
    await type(page, "riscv", "htval", "0x2000");
    await type(page, "riscv", "htinst", "0x2503");
    expect(await exitText(page, "riscv")).toBe(
      "MmioRead { addr: 0x8000, width: 4, reg: 10, regWidth: 8, signedExt: true }",
    );
    // scause bit 63 (interrupt) is 0, the exception code [62:0] is 21.
    expect(await fieldCell(page, "riscv", "scause", "Interrupt")).toMatchObject({
      value: "0x0",
      span: 1,
      firstBit: 63,
    });
    expect((await bitValues(page, "riscv", "scause")).slice(-8)).toBe("00010101");
    await screenshot(page, "riscv");
  });

  it("x86 SVM: an IOIO intercept is an I/O read", async () => {
    await page.goto(`${session.server.url}#/svm`);
    await clearTab(page, "svm");
    // EXITCODE 0x7B = IOIO (APM Vol. 2, Appendix C). EXITINFO1 0x600011: TYPE [0] = 1 (IN),
    // SZ8 [4] = 1 (one byte), PORT [31:16] = 0x60.
    await type(page, "svm", "code", "0x7b");
    await type(page, "svm", "info1", "0x600011");
    expect(await exitText(page, "svm")).toBe("IoRead { port: 0x60, width: 1 }");
    await screenshot(page, "svm");
  });

  it("shows a value that does not parse as the library's error beside its field", async () => {
    await page.goto(`${session.server.url}#/aarch64`);
    await type(page, "aarch64", "esr", "0xzz");
    expect(await fieldError(page, "aarch64", "esr")).toMatch(/^esr must be .*"0xzz"/);
    const esr = page.locator("#tab-aarch64").getByLabel("esr", { exact: true });
    expect(await esr.getAttribute("aria-invalid")).toBe("true");
    // The page still says what is wrong instead of going blank.
    expect(await page.locator("#tab-aarch64 .output").textContent()).toContain("Nothing decoded");
    // A value wider than the register: ESR_EL2 is 64 bits.
    await type(page, "aarch64", "esr", "0x1_0000_0000_0000_0000");
    expect(await fieldError(page, "aarch64", "esr")).toContain("64 bits");
    // The required register missing.
    await type(page, "aarch64", "esr", "");
    expect(await fieldError(page, "aarch64", "esr")).toContain("esr");
  });

  it("shows a register the decoder needs beside that register, opening its group", async () => {
    await page.goto(`${session.server.url}#/aarch64`);
    await clearTab(page, "aarch64");
    // ESR 0x5a000000: EC [31:26] = 0x16, HVC from AArch64, imm16 0. x0 = 0x84000003 is the
    // SMC32 function ID of PSCI CPU_ON, whose arguments are x1…x3: without x1 nothing decodes.
    await type(page, "aarch64", "esr", "0x5a000000");
    await type(page, "aarch64", "x0", "0x84000003");
    await expect.poll(() => fieldError(page, "aarch64", "x1")).toContain("x1");
    expect(await page.locator("#tab-aarch64 details.group").first().getAttribute("open")).toBe("");
    // Giving x1…x3 decodes: CPU_ON's target CPU in x1, entry point in x2, context in x3.
    await type(page, "aarch64", "x1", "1");
    await type(page, "aarch64", "x2", "0x80000");
    await type(page, "aarch64", "x3", "0");
    expect(await fieldError(page, "aarch64", "x1")).toBe("");
    expect(await exitText(page, "aarch64")).toMatch(
      /^CpuUp \{ targetCpu: 0x1, entryPoint: 0x80000/,
    );
  });
});
