// `vmexit trace` and `vmexit stat` as child processes of the built binary: write errors, a closed
// pipe, and a large file read on worker threads.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mixedTrace } from "../../bench/trace-workload";
import { PARALLEL_MIN_BYTES } from "../../src/cli/stat-parallel";

// `npm test` builds with tsup before vitest runs; locally run `npx tsup` first.
const ROOT = join(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli.js");
const dir = mkdtempSync(join(tmpdir(), "vmexit-bin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sh(script: string) {
  const r = spawnSync("bash", ["-c", script], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("write errors", () => {
  it.each([["trace"], ["stat"], ["trace", "--format", "ndjson"]])(
    "vmexit %s > /dev/full: one line on stderr, exit 1",
    (...args) => {
      const r = sh(`node ${CLI} ${args.join(" ")} examples/x86-boot.trace > /dev/full`);
      expect(r.code).toBe(1);
      expect(r.err).toBe("vmexit: cannot write the output: no space left on device (ENOSPC)\n");
    },
  );

  it("a closed pipe (vmexit trace | head) ends quietly with exit 0", () => {
    const r = sh(
      `node ${CLI} trace examples/x86-boot.trace | head -c 100 > /dev/null; echo "status \${PIPESTATUS[0]}"`,
    );
    expect(r.err).toBe("");
    expect(r.out).toBe("status 0\n");
  });
});

describe("a large file", () => {
  it("is read on worker threads (on 3 cores or more) and reports what one thread reports", () => {
    const file = join(dir, "big.trace");
    const lines: string[] = [];
    // about 110 bytes a line: enough lines to pass PARALLEL_MIN_BYTES
    mixedTrace(Math.ceil(PARALLEL_MIN_BYTES / 100), (l) => lines.push(l), 5);
    writeFileSync(file, `${lines.join("\n")}\n`);
    const parallel = sh(`node ${CLI} stat ${file} --by vcpu --json`);
    const single = sh(`node ${CLI} stat --by vcpu --json < ${file}`);
    expect(parallel.code).toBe(0);
    expect(parallel.err).toBe("");
    expect(JSON.parse(parallel.out)).toEqual(JSON.parse(single.out));
    expect(JSON.parse(single.out).lines).toBe(lines.length);
  }, 120_000);
});
