// The Trace tab in Chromium: a trace through the file input, by drag and drop and by paste, read
// in the worker (also from file://), with the counts and times known from how the trace is made.
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Session, SKIP_REASON, screenshot, startSession } from "./browser";
import { exitText } from "./page-helpers";

const PAD = "0x0000000000000000";

function exitLine(pid: number, t: string, reason: string, info1: string): string {
  return (
    ` CPU 0/KVM-${pid}  [000] d..2.  ${t}: kvm_exit: vcpu 0 reason ${reason} rip 0xffffffff81000010` +
    ` info1 ${info1} info2 ${PAD} intr_info 0x00000000 error_code 0x00000000`
  );
}

function entryLine(pid: number, t: string): string {
  return ` CPU 0/KVM-${pid}  [000] d..2.  ${t}: kvm_entry: vcpu 0, rip 0xffffffff81000012`;
}

// Microseconds after 10 s as the `secs.micros` of ftrace.
const at = (us: number) => `${10 + Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, "0")}`;

// Ten exits of one vCPU, each followed by its kvm_entry after a fixed handling time:
//   5 × HLT            100 µs each
//   3 × EPT_VIOLATION    4 µs each (info1 0x181: a data read)
//   2 × IO_INSTRUCTION   2 µs each (info1 0x600008: IN, 1 byte, port 0x60)
// plus two comment lines, one other event (kvm_page_fault) and one line that is no event.
// So: 24 lines, 10 exits, 10 entries, 3 other, 1 skipped; time 5·100 + 3·4 + 2·2 = 516 µs,
// HLT 500/516 = 96.90 % of it.
const PLAN: readonly (readonly [string, string, number])[] = [
  ["HLT", PAD, 100],
  ["EPT_VIOLATION", "0x0000000000000181", 4],
  ["HLT", PAD, 100],
  ["IO_INSTRUCTION", "0x0000000000600008", 2],
  ["HLT", PAD, 100],
  ["EPT_VIOLATION", "0x0000000000000181", 4],
  ["HLT", PAD, 100],
  ["IO_INSTRUCTION", "0x0000000000600008", 2],
  ["EPT_VIOLATION", "0x0000000000000181", 4],
  ["HLT", PAD, 100],
];

function smallTrace(): string {
  const lines = ["# tracer: nop", "#"];
  let us = 0;
  for (const [reason, info1, cost] of PLAN) {
    lines.push(exitLine(1001, at(us), reason, info1));
    lines.push(entryLine(1001, at(us + cost)));
    us += 1000;
  }
  lines.splice(
    5,
    0,
    ` CPU 0/KVM-1001  [000] d..2.  ${at(1500)}: kvm_page_fault: vcpu 0 rip 0x1 address 0x1000 error_code 0x1`,
  );
  lines.push("this line is not an event");
  return `${lines.join("\n")}\n`;
}

// A larger trace for the progress bar: 20 000 exits alternating HLT and EXTERNAL_INTERRUPT,
// each timed, about 5 MB.
function largeTrace(): string {
  const lines: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const reason = i % 2 === 0 ? "HLT" : "EXTERNAL_INTERRUPT";
    lines.push(exitLine(1001, at(i * 10), reason, PAD), entryLine(1001, at(i * 10 + 3)));
  }
  return `${lines.join("\n")}\n`;
}

interface Row {
  reason: string;
  cells: string[];
}

async function statRows(page: Page): Promise<Row[]> {
  await page.locator("#trace-output table.stat").waitFor();
  return page.locator("#trace-output table.stat tbody tr").evaluateAll((trs) =>
    trs.map((tr) => ({
      reason: tr.querySelector("th")?.textContent ?? "",
      cells: [...tr.querySelectorAll("td")].map((td) => td.textContent ?? ""),
    })),
  );
}

async function expectSmallTraceCounts(page: Page): Promise<void> {
  const rows = await statRows(page);
  // Columns: Arch, Samples, Samples %, Time %, Min, Max, Avg.
  expect(rows).toEqual([
    {
      reason: "HLT (12)",
      cells: ["x86-vmx", "5", "50.00 %", "96.90 %", "100.00 µs", "100.00 µs", "100.00 µs"],
    },
    {
      reason: "EPT_VIOLATION (48)",
      cells: ["x86-vmx", "3", "30.00 %", "2.33 %", "4.00 µs", "4.00 µs", "4.00 µs"],
    },
    {
      reason: "IO_INSTRUCTION (30)",
      cells: ["x86-vmx", "2", "20.00 %", "0.78 %", "2.00 µs", "2.00 µs", "2.00 µs"],
    },
  ]);
  const summary = await page.locator(".trace-summary").textContent();
  expect(summary).toContain("24 lines, 10 exits, 10 entries, 3 other lines, 1 skipped line.");
  expect(summary).toContain("in the worker");
  expect(await page.locator("#trace-output .skipped li").allTextContents()).toEqual([
    'line 24: line is not a trace event (no "event:" column): "this line is not an event"',
  ]);
}

describe.skipIf(SKIP_REASON !== undefined)("the Trace tab in Chromium", () => {
  let session: Session;
  beforeAll(async () => {
    session = await startSession();
    await session.context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: session.server.origin,
    });
  });
  afterAll(async () => {
    await session?.close();
  });
  afterEach(() => {
    expect(session.problems).toEqual([]);
  });

  it("counts a trace chosen with the file input, charts it and links each reason", async () => {
    const page = await session.open("#/trace");
    await page.setInputFiles("#trace-file", {
      name: "small.trace",
      mimeType: "text/plain",
      buffer: Buffer.from(smallTrace()),
    });
    await expectSmallTraceCounts(page);
    // The chart: one line per reason over 60 buckets, the legend with the totals.
    const lines = page.locator("svg.chart polyline");
    expect(await lines.count()).toBe(3);
    expect((await lines.first().getAttribute("points"))?.split(" ").length).toBe(60);
    expect(await page.locator(".legend li").allTextContents()).toEqual([
      "HLT (5)",
      "EPT_VIOLATION (3)",
      "IO_INSTRUCTION (2)",
    ]);
    expect(await page.locator("figcaption").textContent()).toContain(
      "seconds since the first exit",
    );
    expect(await page.locator(".stat-text pre").textContent()).toMatch(/^Reason\s+Samples/);
    await screenshot(page, "trace");
    // The first IO_INSTRUCTION exit opens in the VMX tab: IN of 1 byte from port 0x60.
    await page.getByRole("link", { name: "IO_INSTRUCTION" }).click();
    await expect.poll(() => exitText(page, "vmx")).toBe("IoRead { port: 0x60, width: 1 }");
    expect(await page.locator("#vmx-qual").inputValue()).toBe("0x600008");
    await page.close();
  });

  it("groups the table as vmexit stat --by does, and reads the trace again when that changes", async () => {
    const page = await session.open("#/trace");
    await page.setInputFiles("#trace-file", {
      name: "small.trace",
      mimeType: "text/plain",
      buffer: Buffer.from(smallTrace()),
    });
    await expectSmallTraceCounts(page);
    // --by ioport: the two IO_INSTRUCTION exits, info1 0x600008 = port 0x60 (bits 31:16), IN
    // (bit 3), one byte: one row "0x60:PIN" (perf's spelling) of 2 exits, 2 µs each.
    await page.locator("#trace-by").selectOption("ioport");
    await expect
      .poll(() => page.locator("#trace-output caption").textContent())
      .toBe("Exits per Port:access");
    expect(await statRows(page)).toEqual([
      {
        reason: "0x60:PIN",
        cells: ["", "2", "100.00 %", "100.00 %", "2.00 µs", "2.00 µs", "2.00 µs"],
      },
    ]);
    // back to reasons: the first table again, with the links to the decoder tabs
    await page.locator("#trace-by").selectOption("reason");
    await expect
      .poll(() => page.locator("#trace-output caption").textContent())
      .toBe("Exits per Reason");
    await expectSmallTraceCounts(page);
    expect(await page.getByRole("link", { name: "HLT" }).count()).toBe(1);
    await page.close();
  });

  it("reads a dropped file", async () => {
    const page = await session.open("#/trace");
    const data = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], "dropped.trace", { type: "text/plain" }));
      return dt;
    }, smallTrace());
    await page.dispatchEvent("#trace-drop", "dragover", { dataTransfer: data });
    await page.dispatchEvent("#trace-drop", "drop", { dataTransfer: data });
    await expectSmallTraceCounts(page);
    expect(await page.locator(".trace-summary").textContent()).toMatch(/^dropped\.trace/);
    await page.close();
  });

  it("reads pasted text", async () => {
    const page = await session.open("#/trace");
    await page.evaluate((text) => navigator.clipboard.writeText(text), smallTrace());
    await page.locator("#trace-drop").focus();
    await page.keyboard.press("Control+V");
    await expectSmallTraceCounts(page);
    expect(await page.locator(".trace-summary").textContent()).toMatch(/^pasted text/);
    await page.close();
  });

  it("shows progress while reading a larger trace", async () => {
    const page = await session.open("#/trace");
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      const status = document.getElementById("trace-status") as HTMLElement;
      new MutationObserver(() => seen.push(status.textContent ?? "")).observe(status, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    const text = largeTrace();
    await page.setInputFiles("#trace-file", {
      name: "large.trace",
      mimeType: "text/plain",
      buffer: Buffer.from(text),
    });
    const rows = await statRows(page);
    expect(rows.map((r) => [r.reason, r.cells[1]])).toEqual([
      ["EXTERNAL_INTERRUPT (1)", "10000"],
      ["HLT (12)", "10000"],
    ]);
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    // Reports while reading (at most one per MiB, so a few for 5 MB), growing, the last one
    // the whole file.
    const mb = (text.length / 1024 / 1024).toFixed(1);
    const reports = seen.filter((t) => t.startsWith("Read "));
    expect(reports.length).toBeGreaterThanOrEqual(3);
    const read = reports.map((t) => Number(/^Read ([\d.]+) MB of ([\d.]+) MB$/.exec(t)?.[1]));
    for (let i = 1; i < read.length; i++) expect(read[i]).toBeGreaterThan(read[i - 1] as number);
    expect(reports.at(-1)).toBe(`Read ${mb} MB of ${mb} MB`);
    expect(await page.locator(".progress").isHidden()).toBe(true);
    await page.close();
  });

  it("says why a binary trace cannot be read", async () => {
    const page = await session.open("#/trace");
    await page.setInputFiles("#trace-file", {
      name: "trace.dat",
      mimeType: "application/octet-stream",
      buffer: Buffer.concat([Buffer.from("\x17\x08Dtracing6\0"), Buffer.alloc(64)]),
    });
    await expect
      .poll(() => page.locator("#trace-error").textContent())
      .toContain("trace-cmd report");
    await page.close();
  });

  it("reads traces in a worker from a file:// page too", async () => {
    const page = await session.open("#/trace", { file: true });
    await page.setInputFiles("#trace-file", {
      name: "small.trace",
      mimeType: "text/plain",
      buffer: Buffer.from(smallTrace()),
    });
    await expectSmallTraceCounts(page);
    await page.close();
  });
});
