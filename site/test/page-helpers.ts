// Reading and driving the playground page the way a person does: by labels and visible text.
import type { Page } from "playwright-core";

/** Empties every field of a tab (setup, not typing: one input event for the whole form). */
export async function clearTab(page: Page, tab: string): Promise<void> {
  await page.locator(`#tab-${tab} form`).evaluate((form) => {
    for (const c of form.querySelectorAll("input, select")) (c as HTMLInputElement).value = "";
    form.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

/** Types `value` into the field labelled `label` in `tab` (the label is the link key). */
export async function type(page: Page, tab: string, label: string, value: string): Promise<void> {
  await page.locator(`#tab-${tab}`).getByLabel(label, { exact: true }).fill(value);
}

/** The `formatExit` line the tab shows. */
export async function exitText(page: Page, tab: string): Promise<string> {
  return page
    .locator(`#tab-${tab} .output`)
    .evaluate(
      (o) =>
        o.querySelector(".format-exit")?.textContent ??
        `(no exit shown: ${o.querySelector(".no-decode")?.textContent ?? "empty"})`,
    );
}

/** The JSON form the tab shows, parsed. */
export async function exitJson(page: Page, tab: string): Promise<unknown> {
  return JSON.parse((await page.locator(`#tab-${tab} .exit-json`).textContent()) ?? "null");
}

/** The error shown beside the field labelled `label`. */
export async function fieldError(page: Page, tab: string, label: string): Promise<string> {
  const id = await page
    .locator(`#tab-${tab}`)
    .getByLabel(label, { exact: true })
    .getAttribute("id");
  return (await page.locator(`#${id}-error`).textContent()) ?? "";
}

/** The bit-value row of the table captioned `register …`, as a string of 0/1, top bit first. */
export async function bitValues(page: Page, tab: string, register: string): Promise<string> {
  const table = page.locator(`#tab-${tab} table.bits`, {
    has: page.locator("caption", { hasText: new RegExp(`^${register} \\[`) }),
  });
  const cells = await table.first().locator("tr.bit-values td").allTextContents();
  return cells.join("");
}

/** The bit numbers of the same table, top first. */
export async function bitNumbers(page: Page, tab: string, register: string): Promise<number[]> {
  const table = page.locator(`#tab-${tab} table.bits`, {
    has: page.locator("caption", { hasText: new RegExp(`^${register} \\[`) }),
  });
  return (await table.first().locator("tr.bit-numbers th[scope=col]").allTextContents()).map(
    Number,
  );
}

/** The field cell named `name` in the table of `register`: its text and the bits it spans. */
export async function fieldCell(
  page: Page,
  tab: string,
  register: string,
  name: string,
): Promise<{ value: string; span: number; title: string; firstBit: number }> {
  const table = page
    .locator(`#tab-${tab} table.bits`, {
      has: page.locator("caption", { hasText: new RegExp(`^${register} \\[`) }),
    })
    .first();
  return table.evaluate((t, n) => {
    const numbers = [...t.querySelectorAll("tr.bit-numbers th[scope=col]")].map((c) =>
      Number(c.textContent),
    );
    for (const row of t.querySelectorAll("tr.fields")) {
      let col = 0;
      for (const cell of row.querySelectorAll("td")) {
        const span = (cell as HTMLTableCellElement).colSpan;
        if (cell.querySelector(".name")?.textContent === n) {
          return {
            value: cell.querySelector(".value")?.textContent ?? "",
            span,
            title: cell.getAttribute("title") ?? "",
            firstBit: numbers[col] ?? -1,
          };
        }
        col += span;
      }
    }
    throw new Error(`no field ${n}`);
  }, name);
}
