// The exits-per-reason chart, drawn as SVG by the page: one line per reason over the buckets of
// the time axis, axes with a few round ticks, and a legend with the totals.
import { h, s } from "../dom";
import type { ChartData } from "./series";

const W = 720;
const H = 260;
const PAD = { left: 56, right: 12, top: 12, bottom: 36 };

/** About `count` round tick values from 0 to `max` (1, 2 or 5 times a power of ten apart; `whole`: at least 1). */
export function ticks(max: number, count = 4, whole = false): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const round = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const step = whole ? Math.max(1, round) : round;
  const out: number[] = [];
  for (let v = 0; v <= max + step / 1e9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function label(v: number): string {
  if (v === 0) return "0";
  if (Math.abs(v) >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (Math.abs(v) >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Number(v.toPrecision(4)));
}

/** The chart of `data` with its legend; `summary` is the text a screen reader gets. */
export function chartView(data: ChartData, summary: string): HTMLElement {
  const buckets = data.series[0]?.counts.length ?? 0;
  let max = 0;
  for (const series of data.series) for (const c of series.counts) max = Math.max(max, c);
  const yTicks = ticks(max, 4, true);
  const yMax = yTicks[yTicks.length - 1] || 1;
  const xTicks = ticks(data.x1, 5).filter((t) => t <= data.x1);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (v: number) => PAD.left + (data.x1 === 0 ? 0 : (v / data.x1) * plotW);
  const xb = (b: number) => PAD.left + ((b + 0.5) / Math.max(buckets, 1)) * plotW;
  const y = (v: number) => PAD.top + plotH - (v / yMax) * plotH;
  const unit = data.axis === "seconds" ? "seconds since the first exit" : "exit number";
  const svg = s(
    "svg",
    {
      class: "chart",
      viewBox: `0 0 ${W} ${H}`,
      role: "img",
      "aria-labelledby": "chart-title",
      preserveAspectRatio: "xMidYMid meet",
    },
    s("title", { id: "chart-title" }, summary),
    ...yTicks.map((t) =>
      s(
        "g",
        { class: "tick" },
        s("line", { x1: PAD.left, x2: W - PAD.right, y1: y(t), y2: y(t), class: "grid" }),
        s("text", { x: PAD.left - 6, y: y(t) + 4, "text-anchor": "end" }, label(t)),
      ),
    ),
    ...xTicks.map((t) =>
      s(
        "text",
        { class: "tick", x: x(t), y: H - PAD.bottom + 16, "text-anchor": "middle" },
        label(t),
      ),
    ),
    s(
      "text",
      { class: "axis-label", x: PAD.left + plotW / 2, y: H - 4, "text-anchor": "middle" },
      unit,
    ),
    s("line", { class: "axis", x1: PAD.left, x2: PAD.left, y1: PAD.top, y2: PAD.top + plotH }),
    s("line", {
      class: "axis",
      x1: PAD.left,
      x2: W - PAD.right,
      y1: PAD.top + plotH,
      y2: PAD.top + plotH,
    }),
    ...data.series.map((series, i) =>
      s("polyline", {
        class: `series s${i}`,
        points: series.counts.map((c, b) => `${xb(b).toFixed(1)},${y(c).toFixed(1)}`).join(" "),
        "data-name": series.name,
      }),
    ),
  );
  const legend = h(
    "ul",
    { class: "legend" },
    ...data.series.map((series, i) =>
      h(
        "li",
        {},
        h("span", { class: `swatch s${i}`, "aria-hidden": "true" }),
        `${series.name} (${series.total})`,
      ),
    ),
  );
  return h(
    "figure",
    { class: "chart-figure" },
    svg,
    h("figcaption", {}, `Exits per reason in ${buckets} equal steps of ${unit}.`),
    legend,
  );
}
