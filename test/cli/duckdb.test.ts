// The README's DuckDB queries, run exactly as printed there over `vmexit trace --format ndjson`
// of a generated trace, give the numbers `vmexit stat` gives.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { mixedTrace } from "../../bench/trace-workload";
import type { CliIo } from "../../src/cli/io";
import { run } from "../../src/cli/run";

const ROOT = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "vmexit-duckdb-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The SQL blocks of the README's DuckDB example, in order. */
function readmeQueries(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Traces in DuckDB"));
  const out: string[] = [];
  for (const m of section.matchAll(/```sql\n([\s\S]*?)```/g)) out.push(m[1] as string);
  return out.slice(0, 2);
}

async function vmexit(argv: string[], input: string): Promise<string> {
  let out = "";
  const io: CliIo = {
    stdout: {
      write(s) {
        out += s;
        return undefined;
      },
    },
    stderr: { write: () => undefined },
    stdin: [new TextEncoder().encode(input)],
    openFile: () => Promise.reject(new Error("unused")),
    readTextFile: () => Promise.reject(new Error("unused")),
  };
  expect(await run(argv, io)).toBe(0);
  return out;
}

describe("the README's DuckDB queries over vmexit trace --format ndjson", () => {
  it("count what vmexit stat counts, per reason and per MMIO address", async () => {
    const lines: string[] = [];
    mixedTrace(20_000, (l) => lines.push(l), 11);
    const trace = `${lines.join("\n")}\n`;
    const ndjson = join(dir, "trace.ndjson");
    writeFileSync(ndjson, await vmexit(["trace", "--format", "ndjson"], trace));

    const [perReason, perMmio] = readmeQueries();
    expect(perReason).toContain("read_json_auto('trace.ndjson')");
    expect(perMmio).toContain("MmioWrite");
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    const query = async (sql: string) =>
      (
        await conn.runAndReadAll(sql.replaceAll("'trace.ndjson'", `'${ndjson}'`))
      ).getRowObjectsJson();
    const reasons = await query(perReason as string);
    const mmio = await query(perMmio as string);
    conn.closeSync();
    db.closeSync();

    const stat = JSON.parse(await vmexit(["stat", "--json"], trace));
    const statMmio = JSON.parse(await vmexit(["stat", "--by", "mmio", "--json"], trace));
    const asPairs = (rows: Record<string, unknown>[], key: string, count: string) =>
      rows.map((r) => [String(r[key]), Number(r[count])]).sort();
    expect(asPairs(reasons, "reason", "samples")).toEqual(asPairs(stat.reasons, "name", "count"));
    expect(mmio.map((r) => [`${r.addr}:${r.access}`, Number(r.samples)]).sort()).toEqual(
      asPairs(statMmio.reasons, "name", "count"),
    );
    // the generated trace has every kind of exit: the comparison is not vacuous
    expect(stat.reasons.length).toBeGreaterThan(10);
    expect(statMmio.reasons.length).toBeGreaterThan(5);
  }, 60_000);
});
