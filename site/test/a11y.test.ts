// Keyboard-only use, labels, visible focus, a phone's width, dark mode and a screenshot of each
// tab, in Chromium.
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { codecs } from "../../src/index";
import { ARTIFACTS, type Session, SKIP_REASON, screenshot, startSession } from "./browser";
import { exitText } from "./page-helpers";

// The tabs come from the registry, in its order, then Trace.
const TABS = [...Object.values(codecs).map((c) => c.names[0] as string), "trace"];

/** Presses Tab until `test` holds for the focused element (at most `max` presses). */
async function tabTo(page: Page, test: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const hit = await page.evaluate((t) => {
      const el = document.activeElement;
      return el?.matches(t) === true;
    }, test);
    if (hit) return;
  }
  throw new Error(`no element matching ${test} within ${max} Tab presses`);
}

describe.skipIf(SKIP_REASON !== undefined)("accessibility and layout in Chromium", () => {
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

  it("has one tab per codec in the registry, then Trace", async () => {
    const page = await session.open("");
    const hrefs = await page
      .locator("nav a")
      .evaluateAll((as) =>
        as.map((a) => (a.getAttribute("href") ?? "").replace(/^#\/([^?]*).*$/, "$1")),
      );
    expect(hrefs).toEqual(TABS);
    await page.close();
  });

  it("works with the keyboard alone, with a visible focus ring", async () => {
    const page = await session.open("");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    // To the RISC-V tab and into its scause field.
    await tabTo(page, "#link-riscv");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/riscv/);
    await tabTo(page, "#riscv-scause");
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement as Element);
      return [s.outlineStyle, s.outlineWidth];
    });
    expect(ring).toEqual(["solid", "3px"]);
    await page.keyboard.press("Control+A");
    // Interrupt bit 63 set, code 9: supervisor external interrupt.
    await page.keyboard.type("0x8000000000000009");
    expect(await exitText(page, "riscv")).toBe("ExternalInterrupt { vector: 0x9 }");
    // The register group opens from the keyboard.
    await tabTo(page, "#tab-riscv summary");
    await page.keyboard.press("Enter");
    expect(await page.locator("#tab-riscv details.group").first().getAttribute("open")).toBe("");
    // Copy link from the keyboard.
    await page.keyboard.press("Shift+Tab");
    for (let i = 0; i < 80; i++) {
      if (await page.evaluate(() => document.activeElement?.id === "copy-link")) break;
      await page.keyboard.press("Shift+Tab");
    }
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#copy-status").textContent()).toBe("Link copied.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(
      "#/riscv?scause=0x8000000000000009",
    );
    // The Trace tab's drop zone and file input are reachable.
    await page.keyboard.press("Shift+Tab");
    await tabTo(page, "#link-trace");
    await page.keyboard.press("Enter");
    await tabTo(page, "#trace-drop");
    await tabTo(page, "#trace-file");
    await page.close();
  });

  it("labels every control", async () => {
    const page = await session.open("");
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("input, select, textarea, button")]
        .filter((el) => {
          const c = el as HTMLInputElement;
          if (c.labels !== null && c.labels.length > 0) return false;
          if (c.getAttribute("aria-label")) return false;
          return !(el.tagName === "BUTTON" && el.textContent?.trim());
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
    await page.close();
  });

  it("fits a phone's width and follows dark mode; screenshots of every tab", async () => {
    const page = await session.open("");
    for (const tab of TABS) {
      await page.evaluate((t) => {
        location.hash = `#/${t}`;
      }, tab);
      await expect.poll(() => page.locator(`#tab-${tab}`).isVisible()).toBe(true);
      await page.setViewportSize({ width: 1200, height: 900 });
      await page.emulateMedia({ colorScheme: "light" });
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
        "rgb(255, 255, 255)",
      );
      await screenshot(page, `${tab}-desktop`);
      await page.emulateMedia({ colorScheme: "dark" });
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
        "rgb(13, 17, 23)",
      );
      await screenshot(page, `${tab}-dark`);
      await page.setViewportSize({ width: 390, height: 844 });
      // The page itself never scrolls sideways; wide bit tables scroll in their own box.
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      ).toBe(true);
      await screenshot(page, `${tab}-phone`);
    }
    // The README's picture: the AArch64 tab as a desktop window shows it.
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.emulateMedia({ colorScheme: "light" });
    await page.evaluate(() => {
      location.hash = "#/aarch64";
    });
    await page.locator("#tab-aarch64 table.bits").first().waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/readme.png` });
    await page.close();
  });
});
