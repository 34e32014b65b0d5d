import type { TracePrefix } from "./types";

/** A trace line split into its prefix, event name and event text. */
export interface SplitLine {
  /** The parsed `task-pid [cpu] flags timestamp:` part. */
  readonly prefix: TracePrefix;
  /** Event name without a `system:` prefix (`kvm_exit`). */
  readonly event: string;
  /** Everything after `event:`, without leading blanks and the line end. */
  readonly body: string;
}

// The common ftrace / `trace-cmd report` shape, anchored: `task-pid [cpu] [flags] secs[.frac]: [system:]event: `.
// The lazy task stops at the first `-pid [cpu]` after which the rest of the prefix reads.
const FTRACE =
  /^\s*(.*?)-(\d{1,10})\s+\[(\d{1,6})\](?:\s+(\S{1,8}))?\s+(\d{1,16})(?:\.(\d{1,12}))?:\s+(?:[A-Za-z_]\w*:)?([A-Za-z_]\w*):(?:\s+|$)/;
// Any other shape: `… <secs>[.<frac>]: [system:]event: body` — the timestamp is the last prefix column.
const WITH_TIME =
  /(?:^|\s)(\d{1,16})(?:\.(\d{1,12}))?:\s+(?:[A-Za-z_]\w*:)?([A-Za-z_]\w*):(?:\s+|$)/;
// An abbreviated line that starts at the event: `[system:]event: body`.
const BARE = /^\s*(?:[A-Za-z_]\w*:)?([A-Za-z_]\w*):(?:\s+|$)/;
// `task-pid [cpu] flags` (flags optional); greedy so that the last `[n]` is the CPU column.
const TASK_CPU = /^(.*?)\s*\[(\d{1,6})\](?:\s+(\S{1,8}))?$/;
const TASK_DASH_PID = /^(.*)-(\d{1,10})$/;
const TASK_SPACE_PID = /^(.*\S)\s+(\d{1,10})$/;
const PID_ONLY = /^\d{1,10}$/;
const EMPTY: TracePrefix = {};

function taskAndPid(text: string, out: { task?: string; pid?: number }): void {
  if (text === "") return;
  if (PID_ONLY.test(text)) {
    out.pid = Number(text);
    return;
  }
  const m = TASK_DASH_PID.exec(text) ?? TASK_SPACE_PID.exec(text);
  if (m === null) {
    out.task = text;
    return;
  }
  const task = (m[1] as string).trim();
  if (task !== "") out.task = task;
  out.pid = Number(m[2]);
}

const POW10 = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

/** Nanoseconds from the `secs[.frac]` columns (a bare integer is taken as nanoseconds). */
function nanoseconds(secs: string, frac: string | undefined): number {
  if (frac === undefined) return Number(secs);
  const ns =
    frac.length <= 9 ? Number(frac) * (POW10[frac.length] as number) : Number(frac.slice(0, 9));
  return Number(secs) * 1e9 + ns;
}

function parsePrefix(text: string, secs: string, frac: string | undefined): TracePrefix {
  const out: { -readonly [K in keyof TracePrefix]: TracePrefix[K] } = {};
  const m = TASK_CPU.exec(text);
  if (m === null) {
    taskAndPid(text, out);
  } else {
    taskAndPid(m[1] as string, out);
    out.cpu = Number(m[2]);
    if (m[3] !== undefined) out.flags = m[3];
  }
  out.timestamp = nanoseconds(secs, frac);
  return out;
}

/**
 * Splits an ftrace / `trace-cmd report` / `perf script` line into prefix, event and body, or
 * returns `undefined` when the line has no `event:` column (headers, comments, blank lines).
 */
export function splitTraceLine(line: string): SplitLine | undefined {
  const f = FTRACE.exec(line);
  if (f !== null) {
    const task = (f[1] as string).trimEnd();
    const prefix: { -readonly [K in keyof TracePrefix]: TracePrefix[K] } = {};
    if (task !== "") prefix.task = task;
    prefix.pid = Number(f[2]);
    prefix.cpu = Number(f[3]);
    if (f[4] !== undefined) prefix.flags = f[4];
    prefix.timestamp = nanoseconds(f[5] as string, f[6]);
    return { prefix, event: f[7] as string, body: line.slice(f[0].length).trimEnd() };
  }
  const timed = WITH_TIME.exec(line);
  if (timed !== null) {
    const start = timed.index + (timed[0].charCodeAt(0) <= 0x20 ? 1 : 0);
    return {
      prefix: parsePrefix(line.slice(0, start).trim(), timed[1] as string, timed[2]),
      event: timed[3] as string,
      body: line.slice(timed.index + timed[0].length).trimEnd(),
    };
  }
  const bare = BARE.exec(line);
  if (bare === null) return undefined;
  return { prefix: EMPTY, event: bare[1] as string, body: line.slice(bare[0].length).trimEnd() };
}
