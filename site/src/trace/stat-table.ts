// The `vmexit stat` report as an HTML table, grouped as `vmexit stat --by` groups it; each reason
// row linked to a decode of its first exit where the trace line carries the raw state.
import { h } from "../dom";
import type { StatGroupBy, TraceStatReport, TraceStatRow } from "../lib";
import { formatRoute } from "../route";
import { type Sample, sampleKey } from "./compute";

function percent(share: number | undefined): string {
  return share === undefined ? "–" : `${(share * 100).toFixed(2)} %`;
}

function micros(ns: number | undefined): string {
  return ns === undefined ? "–" : `${(ns / 1000).toFixed(2)} µs`;
}

function reasonCell(row: TraceStatRow, sample: Sample | undefined): HTMLElement {
  const code = row.code === undefined ? "" : ` (${row.code})`;
  if (sample === undefined) return h("th", { scope: "row" }, `${row.name}${code}`);
  return h(
    "th",
    { scope: "row" },
    h(
      "a",
      {
        href: formatRoute(sample.tab, sample.params),
        title: `decode the first ${row.name} exit (line ${sample.line})`,
      },
      row.name,
    ),
    code,
  );
}

/** The first column's heading for each grouping. */
export const GROUP_HEADINGS: Readonly<Record<StatGroupBy, string>> = {
  reason: "Reason",
  kind: "Exit kind",
  mmio: "MMIO address:access",
  ioport: "Port:access",
  msr: "Register:access",
  hypercall: "Hypercall",
  vcpu: "vCPU",
};

/** The per-group table: count and share, and handling times when the trace is timed. */
export function statTable(
  report: TraceStatReport,
  samples: Readonly<Record<string, Sample>>,
): HTMLElement {
  const timed = report.timed > 0;
  const heading = GROUP_HEADINGS[report.by];
  const head = [heading, "Arch", "Samples", "Samples %"];
  if (timed) head.push("Time %", "Min", "Max", "Avg");
  const rows = report.reasons.map((row) =>
    h(
      "tr",
      {},
      reasonCell(
        row,
        report.by === "reason" ? samples[sampleKey(row.arch ?? "", row.name)] : undefined,
      ),
      h("td", {}, row.arch ?? ""),
      h("td", { class: "num" }, String(row.count)),
      h("td", { class: "num" }, percent(row.share)),
      ...(timed
        ? [
            h("td", { class: "num" }, percent(row.timeShare)),
            h("td", { class: "num" }, micros(row.minNs)),
            h("td", { class: "num" }, micros(row.maxNs)),
            h("td", { class: "num" }, micros(row.avgNs)),
          ]
        : []),
    ),
  );
  return h(
    "div",
    { class: "scroll", tabindex: 0, role: "region", "aria-label": `Exits per ${heading}` },
    h(
      "table",
      { class: "stat" },
      h("caption", {}, `Exits per ${heading}`),
      h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, ...rows),
      h(
        "tfoot",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "row" }, "Total"),
          h("td", {}, ""),
          h("td", { class: "num" }, String(report.total)),
          h("td", { class: "num" }, report.total === 0 ? "–" : percent(1)),
          ...(timed ? [h("td", { colspan: 4 }, `${report.timed} timed`)] : []),
        ),
      ),
    ),
  );
}
