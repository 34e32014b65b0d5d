// The URL hash is the state: each link form loads, edits rewrite it, a changed hash reloads,
// and "copy link" gives a link that reproduces the decode in a fresh page.
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Session, SKIP_REASON, startSession } from "./browser";
import { exitText, fieldError, type } from "./page-helpers";

const hashOf = (page: Page) => page.evaluate(() => location.hash);
const visibleTab = (page: Page) =>
  page.evaluate(() => document.querySelector("section.tab:not([hidden])")?.id);

describe.skipIf(SKIP_REASON !== undefined)("links in Chromium", () => {
  let session: Session;
  beforeAll(async () => {
    session = await startSession();
  });
  afterAll(async () => {
    await session?.close();
  });
  afterEach(() => {
    expect(session.problems).toEqual([]);
  });

  it("loads the AArch64 form", async () => {
    // As in the decoder test: EC 0x24 data abort, LDR x0 of 8 bytes, IPA 0x9000 << 12 | 0x678.
    const page = await session.open(
      "#/aarch64?esr=0x93c08007&far=0xffff800012345678&hpfar=0x90000",
    );
    expect(await visibleTab(page)).toBe("tab-aarch64");
    expect(await page.locator("#aarch64-esr").inputValue()).toBe("0x93c08007");
    expect(await exitText(page, "aarch64")).toBe(
      "MmioRead { addr: 0x9000678, width: 8, reg: 0, regWidth: 8, signedExt: false }",
    );
    await page.close();
  });

  it("loads the VMX form", async () => {
    // Reason 48 EPT violation, qualification bit 0 (data read), GPA 0x1050, and no instruction
    // bytes to emulate: the access stays a nested page fault on a read.
    const page = await session.open("#/vmx?reason=48&qual=0x181&gpa=0x1050");
    expect(await visibleTab(page)).toBe("tab-vmx");
    expect(await exitText(page, "vmx")).toBe("NestedPageFault { addr: 0x1050, accessFlags: READ }");
    // With the bytes of mov eax, [rdi] (8B 07) it is a 4-byte MMIO read into RAX.
    await page.evaluate(() => {
      location.hash = "#/vmx?reason=48&qual=0x181&gpa=0x1050&bytes=8b07";
    });
    await expect
      .poll(() => exitText(page, "vmx"))
      .toBe("MmioRead { addr: 0x1050, width: 4, reg: 0, regWidth: 4, signedExt: false }");
    await page.close();
  });

  it("loads the SVM form", async () => {
    // EXITCODE 0x7B IOIO; EXITINFO1 TYPE [0] = IN, SZ8 [4], PORT [31:16] = 0x60.
    const page = await session.open("#/svm?code=0x7b&info1=0x600011");
    expect(await visibleTab(page)).toBe("tab-svm");
    expect(await exitText(page, "svm")).toBe("IoRead { port: 0x60, width: 1 }");
    await page.close();
  });

  it("loads the RISC-V form", async () => {
    // scause 0x8000000000000005: interrupt bit 63 set, code 5 = supervisor timer interrupt.
    const page = await session.open("#/riscv?scause=0x8000000000000005");
    expect(await visibleTab(page)).toBe("tab-riscv");
    expect(await exitText(page, "riscv")).toBe("ExternalInterrupt { vector: 0x5 }");
    await page.close();
  });

  it("loads the Trace form", async () => {
    const page = await session.open("#/trace");
    expect(await visibleTab(page)).toBe("tab-trace");
    expect(await page.locator("#link-trace").getAttribute("aria-current")).toBe("page");
    expect(await page.getByLabel("Or choose a file:").count()).toBe(1);
    await page.close();
  });

  it("takes the codecs' other names and rewrites the link to the canonical one", async () => {
    const page = await session.open("#/arm64?esr=0x93c08007&hpfar=0x90000&far=0x10");
    expect(await visibleTab(page)).toBe("tab-aarch64");
    expect(await hashOf(page)).toBe("#/aarch64?esr=0x93c08007&far=0x10&hpfar=0x90000");
    // `exit-reason`-style spellings of a key are read too (case, `-`, `_` ignored).
    await page.evaluate(() => {
      location.hash = "#/x86?Exit_Reason=12";
    });
    await expect.poll(() => hashOf(page)).toBe("#/vmx?reason=12");
    expect(await exitText(page, "vmx")).toBe("Halt");
    await page.close();
  });

  it("opens the first tab with its example for no hash, and says so for an unknown tab", async () => {
    const page = await session.open("");
    const first = await visibleTab(page);
    expect(first).toMatch(/^tab-/);
    expect(await hashOf(page)).toMatch(/^#\/[a-z0-9]+\?/);
    await page.evaluate(() => {
      location.hash = "#/nope?x=1";
    });
    await expect.poll(() => page.locator(".notice").textContent()).toContain('no tab "nope"');
    expect(await visibleTab(page)).toBe(first);
    await page.close();
  });

  it("shows a bad value or an unknown key from a link beside the form", async () => {
    const page = await session.open("#/vmx?reason=zz&color=red");
    expect(await fieldError(page, "vmx", "reason")).toContain('"zz"');
    expect(await page.locator("#tab-vmx .form-error").textContent()).toContain('"color"');
    await page.close();
  });

  it("reads decoder options from the link by their command-line names", async () => {
    // Reason 18 = VMCALL. KVM's hypercall ABI (Documentation/virt/kvm/x86/hypercalls.rst):
    // the number in RAX, up to four arguments in RBX, RCX, RDX, RSI.
    const page = await session.open("#/vmx?reason=18&rax=5&rbx=1&rcx=2&rdx=3&rsi=4&abi=kvm");
    expect(await page.locator("#vmx-option-abi").inputValue()).toBe("kvm");
    expect(await exitText(page, "vmx")).toBe(
      "Hypercall { nr: 0x5, args: [0x1, 0x2, 0x3, 0x4, 0x0, 0x0] }",
    );
    // A value the option does not take is reported beside it.
    await page.evaluate(() => {
      location.hash = "#/vmx?reason=12&cpu-mode=48";
    });
    await expect
      .poll(() => page.locator("#vmx-option-cpu-mode-error").textContent())
      .toContain('"48"');
    await page.close();
  });

  it("rewrites the hash while typing, in the link's key=value form", async () => {
    const page = await session.open("#/vmx?reason=1");
    await type(page, "vmx", "reason", "31");
    // RDMSR reads the MSR named by ECX: the decoder asks for rcx, and its group opens.
    expect(await fieldError(page, "vmx", "rcx")).toContain("rcx");
    await type(page, "vmx", "rcx", "0x1b");
    // RDMSR (reason 31) of ECX = 0x1b (IA32_APIC_BASE) into EDX:EAX, register 0.
    expect(await exitText(page, "vmx")).toBe("SysRegRead { addr: 0x1b, reg: 0 }");
    expect(await hashOf(page)).toBe("#/vmx?reason=31&rcx=0x1b");
    expect(await page.locator("#link-vmx").getAttribute("href")).toBe("#/vmx?reason=31&rcx=0x1b");
    await page.close();
  });

  it("copies a link that reproduces the decode in a new page", async () => {
    await session.context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: session.server.origin,
    });
    const page = await session.open("#/riscv");
    await type(page, "riscv", "scause", "0x15");
    await type(page, "riscv", "stval", "0x8001");
    await type(page, "riscv", "htval", "0x2000");
    await type(page, "riscv", "htinst", "0x2503");
    const shown = await exitText(page, "riscv");
    // GPA = htval << 2 | stval [1:0] = 0x8000 | 1.
    expect(shown).toBe(
      "MmioRead { addr: 0x8001, width: 4, reg: 10, regWidth: 8, signedExt: true }",
    );
    await page.getByRole("button", { name: "Copy link" }).click();
    await expect.poll(() => page.locator("#copy-status").textContent()).toBe("Link copied.");
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(
      `${session.server.url}#/riscv?scause=0x15&stval=0x8001&htval=0x2000&htinst=0x2503`,
    );
    const again = await session.context.newPage();
    await again.goto(link);
    expect(await exitText(again, "riscv")).toBe(shown);
    expect(await again.locator("#riscv-stval").inputValue()).toBe("0x8001");
    await again.close();
    await page.close();
  });

  it("loads nothing but the page itself", () => {
    // Every request the server saw was for the page (no scripts, styles or data files).
    expect(session.server.paths.every((p) => p === "/some/sub/path/")).toBe(true);
    expect(session.server.paths.length).toBeGreaterThan(0);
  });
});
