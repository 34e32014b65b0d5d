// The Trace tab's only use of the library's trace reader (so it can follow that API in one
// place). One pass over the file: every line goes to `TraceStat` (what `statTrace` and
// `vmexit stat` count with), and each `kvm_exit` line is also classified for the chart and for a
// link to the first exit of each reason.
import {
  type Arch,
  classifyLine,
  codecs,
  formatTraceStat,
  type StatGroupBy,
  snapshotToText,
  type TraceExit,
  TraceStat,
  type TraceStatReport,
  traceLineBatches,
} from "../lib";
import { type ChartData, ExitSeries } from "./series";

/** The first exit of a reason, as a link to the decoder tab that explains it. */
export interface Sample {
  /** The codec's link name (`vmx`). */
  readonly tab: string;
  /** The snapshot as `key=value` pairs. */
  readonly params: readonly (readonly [string, string])[];
  /** 1-based line number in the trace. */
  readonly line: number;
}

/** Everything the Trace tab shows about one trace. */
export interface TraceSummary {
  /** The `vmexit stat` report. */
  readonly report: TraceStatReport;
  /** The same report as `vmexit stat` prints it. */
  readonly text: string;
  /** Exits per reason over time. */
  readonly chart: ChartData;
  /** The first decodable exit of each reason, by `sampleKey(arch, name)`. */
  readonly samples: Readonly<Record<string, Sample>>;
  /** Bytes read. */
  readonly bytes: number;
}

/** The key of a stat row in `TraceSummary.samples`. */
export function sampleKey(arch: string, name: string): string {
  return `${arch}/${name}`;
}

/** Called while reading: bytes read so far and the size of the file. */
export type OnProgress = (bytes: number, total: number) => void;

// Bytes between two progress reports.
const PROGRESS_STEP = 1 << 20;

function sampleOf(exit: TraceExit, line: number): Sample | undefined {
  if (!("snapshot" in exit) || !Object.hasOwn(codecs, exit.arch)) return undefined;
  const codec = codecs[exit.arch as Arch];
  const params = snapshotToText(codec.snapshotKeys, exit.snapshot);
  return { tab: codec.names[0] as string, params, line };
}

/**
 * Reads a trace file once and returns its statistics grouped `by` a `vmexit stat --by` grouping,
 * the chart of exits per reason and the sample links of reason rows.
 */
export async function summarizeTrace(
  file: Blob,
  onProgress: OnProgress,
  by: StatGroupBy = "reason",
): Promise<TraceSummary> {
  const total = file.size;
  let bytes = 0;
  let reported = 0;
  const counted = file.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
  );
  const stat = new TraceStat({ by });
  const series = new ExitSeries();
  const samples: Record<string, Sample> = {};
  for await (const batch of traceLineBatches(counted)) {
    for (const text of batch) {
      stat.addLine(text);
      if (!text.includes("kvm_exit")) continue;
      const c = classifyLine(text);
      if (c.type !== "line" || c.line.type !== "exit") continue;
      const exit = c.line;
      const key = sampleKey(exit.arch, exit.name);
      const ts = exit.prefix.timestamp;
      series.add(key, exit.name, ts === undefined ? undefined : Number(ts));
      if (!Object.hasOwn(samples, key)) {
        const sample = sampleOf(exit, stat.lines);
        if (sample !== undefined) samples[key] = sample;
      }
    }
    if (bytes - reported >= PROGRESS_STEP) {
      reported = bytes;
      onProgress(bytes, total);
    }
  }
  if (bytes !== reported || bytes === 0) onProgress(bytes, total);
  const report = stat.report();
  return { report, text: formatTraceStat(report), chart: series.chart(), samples, bytes };
}
