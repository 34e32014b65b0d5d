import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeAarch64, explainEsr } from "../../src/aarch64/index";
import { formatExit, formatExplain } from "../../src/index";

const README = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");

describe("README", () => {
  it("links only to absolute URLs and anchors (relative links break on the npm page)", () => {
    const relative = [...README.matchAll(/\]\(([^)]+)\)/g)]
      .map((m) => m[1] as string)
      .filter((href) => !/^(https?:|#|mailto:)/.test(href));
    expect(relative).toEqual([]);
  });

  it("starts with the install line and a short ESR example whose results hold", () => {
    const install = README.indexOf("npm install vmexit");
    const example = README.indexOf("## Decode an ESR");
    expect(install).toBeGreaterThan(0);
    expect(example).toBeGreaterThan(install);
    const block = README.slice(example).split("```ts\n")[1]?.split("```")[0] ?? "";
    expect(block.trim().split("\n").length).toBeLessThanOrEqual(10);
    // the values the example states, derived in its comment from the ESR_EL2 layout
    const { exit, cause } = decodeAarch64({
      esr: 0x93810047,
      far: 0x9000000,
      hpfar: 0x90000,
      x: [0n, 0x41n],
    });
    expect(block).toContain(`formatExit(exit); // "${formatExit(exit)}"`);
    expect(formatExit(exit)).toBe("MmioWrite { addr: 0x9000000, width: 4, data: 0x41 }");
    expect(cause.name).toBe("DABT_LOW");
    expect(formatExplain(explainEsr(0x93810047)).split("\n")[0]).toMatch(
      /^EC \[31:26\] = 0x24 {2}DABT_LOW: Data Abort/,
    );
  });

  it("cites no DESIGN.md section", () => {
    expect(README).not.toMatch(/DESIGN/);
  });
});
