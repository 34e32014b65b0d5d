// Exits per reason over time: every exit is recorded as (x, reason id) in growable typed arrays
// while the trace streams by, then counted into equal-width buckets for the chart.

/** How many reasons the chart draws on their own; the rest are summed into "other". */
export const CHART_REASONS = 8;
/** How many buckets the time axis is cut into. */
export const CHART_BUCKETS = 60;

const LAST_ID = 0xffff;

/** One line of the chart: a reason and its exits per bucket. */
export interface Series {
  /** Reason name (`EPT_VIOLATION`), or `other` for the reasons beyond the first few. */
  readonly name: string;
  /** Exits per bucket. */
  readonly counts: readonly number[];
  /** Sum of `counts`. */
  readonly total: number;
}

/** What the chart draws: the x range, the bucket width and one series per reason. */
export interface ChartData {
  /** What x is: seconds since the first exit when every exit has a timestamp, else the exit's ordinal. */
  readonly axis: "seconds" | "exits";
  /** The x value of the first bucket's start (0). */
  readonly x0: number;
  /** The x value of the last bucket's end. */
  readonly x1: number;
  /** The series, most exits first, with "other" last. */
  readonly series: readonly Series[];
}

/** Collects (timestamp, reason) of each exit in constant memory per exit (10 bytes). */
export class ExitSeries {
  #n = 0;
  #times = new Float64Array(1024);
  #ids = new Uint16Array(1024);
  #untimed = false;
  readonly #names: string[] = [];
  readonly #idOf = new Map<string, number>();

  /** Records one exit of reason `key` (shown as `name`) at `timestampNs` (undefined when the line has none). */
  add(key: string, name: string, timestampNs: number | undefined): void {
    let id = this.#idOf.get(key);
    if (id === undefined) {
      // Ids are 16-bit: past 65535 distinct reasons, the rest share the last id.
      id = this.#names.length;
      if (id < LAST_ID) {
        this.#names.push(name);
        this.#idOf.set(key, id);
      } else {
        id = LAST_ID;
        if (this.#names.length === LAST_ID) this.#names.push("(more reasons)");
      }
    }
    if (this.#n === this.#times.length) {
      const times = new Float64Array(this.#n * 2);
      times.set(this.#times);
      this.#times = times;
      const ids = new Uint16Array(this.#n * 2);
      ids.set(this.#ids);
      this.#ids = ids;
    }
    if (timestampNs === undefined) this.#untimed = true;
    this.#times[this.#n] = timestampNs ?? Number.NaN;
    this.#ids[this.#n] = id;
    this.#n++;
  }

  /** Cuts the recorded exits into `buckets` equal ranges of time (or of exit number). */
  chart(buckets = CHART_BUCKETS, reasons = CHART_REASONS): ChartData {
    const n = this.#n;
    const axis = this.#untimed || n === 0 ? "exits" : "seconds";
    let lo = 0;
    let hi = n;
    if (axis === "seconds") {
      lo = Number.POSITIVE_INFINITY;
      hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const t = this.#times[i] as number;
        if (t < lo) lo = t;
        if (t > hi) hi = t;
      }
    }
    const span = hi - lo;
    const perReason = this.#names.map(() => new Array<number>(buckets).fill(0));
    const totals = this.#names.map(() => 0);
    for (let i = 0; i < n; i++) {
      const x = axis === "seconds" ? (this.#times[i] as number) - lo : i;
      const b = span === 0 ? 0 : Math.min(buckets - 1, Math.floor((x / span) * buckets));
      const id = this.#ids[i] as number;
      (perReason[id] as number[])[b] = ((perReason[id] as number[])[b] as number) + 1;
      totals[id] = (totals[id] as number) + 1;
    }
    const order = this.#names.map((_, i) => i);
    order.sort(
      (a, b) =>
        (totals[b] as number) - (totals[a] as number) ||
        compare(this.#names[a] as string, this.#names[b] as string),
    );
    const series: Series[] = order.slice(0, reasons).map((id) => ({
      name: this.#names[id] as string,
      counts: perReason[id] as number[],
      total: totals[id] as number,
    }));
    const rest = order.slice(reasons);
    if (rest.length > 0) {
      const counts = new Array<number>(buckets).fill(0);
      let total = 0;
      for (const id of rest) {
        const c = perReason[id] as number[];
        for (let b = 0; b < buckets; b++) counts[b] = (counts[b] as number) + (c[b] as number);
        total += totals[id] as number;
      }
      series.push({ name: "other", counts, total });
    }
    const x1 = axis === "seconds" ? span / 1e9 : n;
    return { axis, x0: 0, x1, series };
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
