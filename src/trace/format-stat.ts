import { type ArgCheck, checkArg } from "../core/check-arg";
import { show } from "../core/error";
import type { StatGroupBy, TraceStatReport, TraceStatRow } from "./stat";

/** The first column's title per grouping (perf kvm stat's `MMIO Access`, `IO Port Access`, `MSR Access`). */
const TITLES: Readonly<Record<StatGroupBy, string>> = {
  reason: "Reason",
  kind: "Kind",
  mmio: "MMIO Access",
  ioport: "IO Port Access",
  msr: "MSR Access",
  hypercall: "Hypercall",
  vcpu: "vCPU",
};

// What the table reads of a report: its grouping, its counts and each row's numbers.
const COUNTS = [
  "lines",
  "exits",
  "total",
  "entries",
  "companions",
  "unpaired",
  "other",
  "skipped",
  "timed",
  "complete",
  "partial",
  "undecoded",
  "folded",
  "evicted",
] as const satisfies readonly (keyof TraceStatReport)[];
const ROW_NUMBERS = ["count", "share", "timed"] as const satisfies readonly (keyof TraceStatRow)[];
const ROW_TIMES = [
  "timeShare",
  "minNs",
  "maxNs",
  "avgNs",
  "totalNs",
] as const satisfies readonly (keyof TraceStatRow)[];

type Fields = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is Fields {
  return typeof v === "object" && v !== null;
}

function rowProblem(row: unknown, at: string): string | undefined {
  if (!isObject(row)) return `${at} is ${show(row)}, not a row`;
  if (typeof row.name !== "string") return `${at}.name is ${show(row.name)}, not a string`;
  for (const k of ROW_NUMBERS) {
    if (typeof row[k] !== "number") return `${at}.${k} is ${show(row[k])}, not a number`;
  }
  for (const k of ROW_TIMES) {
    const v = row[k];
    if (v !== undefined && typeof v !== "number") return `${at}.${k} is ${show(v)}, not a number`;
  }
  return undefined;
}

function reportProblem(r: Fields): string | undefined {
  if (typeof r.by !== "string" || !Object.hasOwn(TITLES, r.by)) return `by is ${show(r.by)}`;
  for (const k of COUNTS) {
    if (!Number.isSafeInteger(r[k])) return `${k} is ${show(r[k])}, not an integer`;
  }
  if (!Array.isArray(r.reasons)) return `reasons is ${show(r.reasons)}, not an array`;
  for (let i = 0; i < r.reasons.length; i++) {
    const problem = rowProblem(r.reasons[i], `reasons[${i}]`);
    if (problem !== undefined) return problem;
  }
  const skipped = r.skippedLines;
  if (!Array.isArray(skipped)) return `skippedLines is ${show(skipped)}, not an array`;
  for (let i = 0; i < skipped.length; i++) {
    const s: unknown = skipped[i];
    if (!isObject(s) || typeof s.line !== "number" || typeof s.message !== "string") {
      return `skippedLines[${i}] is not { line, message }`;
    }
  }
  return undefined;
}

/** A report of `statTrace` / `TraceStat.report()`, as the table reads it. */
const statReport: ArgCheck = (v) => {
  const what = "a TraceStatReport (what statTrace returns)";
  if (!isObject(v)) return `${what}, got ${show(v)}`;
  const problem = reportProblem(v);
  return problem === undefined ? undefined : `${what}, but ${problem}`;
};

function percent(share: number): string {
  return `${(share * 100).toFixed(2)}%`;
}

function micros(ns: number | undefined): string {
  return ns === undefined ? "-" : `${(ns / 1000).toFixed(2)}us`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Renders a report as a `perf kvm stat report`-like table: the group, samples, samples %, and
 * when timed, time %, min/max/avg handling time; then a total row and the line accounting.
 */
export function formatTraceStat(report: TraceStatReport): string {
  checkArg(report, statReport, "report");
  const timed = report.timed > 0;
  const head = [TITLES[report.by] ?? "Reason", "Samples", "Samples%"];
  if (timed) head.push("Time%", "Min Time", "Max Time", "Avg Time");
  const cells = (row: TraceStatRow): string[] => {
    const out = [row.name, String(row.count), percent(row.share)];
    if (timed) {
      out.push(
        row.timeShare === undefined ? "-" : percent(row.timeShare),
        micros(row.minNs),
        micros(row.maxNs),
        micros(row.avgNs),
      );
    }
    return out;
  };
  const body = report.reasons.map(cells);
  const totals = ["Total", String(report.total), report.total === 0 ? "-" : percent(1)];
  if (timed) {
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    for (const r of report.reasons) {
      sum += r.totalNs ?? 0;
      if (r.minNs !== undefined && r.minNs < min) min = r.minNs;
      if (r.maxNs !== undefined && r.maxNs > max) max = r.maxNs;
    }
    totals.push(percent(1), micros(min), micros(max), micros(sum / report.timed));
  }
  const widths = head.map((h) => h.length);
  for (const r of [totals, ...body]) {
    for (let c = 0; c < r.length; c++)
      widths[c] = Math.max(widths[c] as number, (r[c] as string).length);
  }
  const render = (r: readonly string[]): string =>
    r
      .map((cell, c) =>
        c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number),
      )
      .join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const lines = [render(head), rule];
  for (const r of body) lines.push(render(r));
  lines.push(rule, render(totals), "");
  lines.push(
    `${plural(report.lines, "line")}: ${plural(report.exits, "exit")}, ` +
      `${plural(report.entries, "entry", "entries")}, ${report.other} other, ${report.skipped} skipped` +
      (timed
        ? `; ${report.timed} of ${report.total} exits timed by kvm_entry`
        : "; no kvm_entry timing"),
  );
  const decided = report.complete + report.partial + report.undecoded;
  const joined =
    `${plural(report.companions, "companion event")} joined` +
    (report.unpaired > 0 ? `, ${report.unpaired} without an open exit` : "");
  if (decided > 0) {
    lines.push(
      `typed exits: ${report.complete} complete, ${report.partial} partial, ${report.undecoded} undecoded; ${joined}`,
    );
  } else if (report.decoded === false && report.exits > 0) {
    lines.push(`exits not decoded (grouping by kind decodes them); ${joined}`);
  }
  if (report.folded > 0) {
    lines.push(
      `${plural(report.folded, "exit")} of groups past the first ${report.reasons.length - 1} counted in (other)`,
    );
  }
  if (report.evicted > 0) {
    lines.push(
      `${plural(report.evicted, "exit")} closed untimed: too many vCPUs had an open exit at once`,
    );
  }
  for (const s of report.skippedLines) lines.push(`  skipped line ${s.line}: ${s.message}`);
  if (report.skipped > report.skippedLines.length) {
    lines.push(`  … and ${report.skipped - report.skippedLines.length} more skipped`);
  }
  return lines.join("\n");
}
