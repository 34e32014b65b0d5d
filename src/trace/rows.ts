// `vmexit trace --format ndjson|csv`: one flat row per exit with the same columns every time, in
// the same order, so that the output loads into DuckDB, ClickHouse or Spark without a schema.
// 64-bit values are `0x…` strings; the timestamp is an exact integer of nanoseconds.
import { type ArgCheck, checkArg } from "../core/check-arg";
import { show } from "../core/error";
import type { VmExit } from "../core/exit";
import { traceExitItem } from "./check";
import type { PartialExit } from "./join/complete";
import type { TraceExitItem } from "./read";

/** The columns of `vmexit trace --format ndjson|csv`, in order. */
export const TRACE_COLUMNS = [
  "line",
  "ts",
  "cpu",
  "pid",
  "task",
  "vcpu",
  "arch",
  "reason",
  "code",
  "pc",
  "kind",
  "complete",
  "missing",
  "addr",
  "access",
  "width",
  "reg",
  "reg_width",
  "signed_ext",
  "data",
  "port",
  "sysreg",
  "value",
  "nr",
  "args",
  "vector",
  "access_flags",
  "target_cpu",
  "target_cpu_aux",
  "send_to_all",
  "send_to_self",
  "entry_point",
  "arg",
  "state",
  "failure_reason",
  "handling_ns",
  "closed_by",
  "error",
] as const;

/** A column name. */
export type TraceColumn = (typeof TRACE_COLUMNS)[number];

/** One cell: a JSON number or boolean, a string, an exact integer (written without quotes), or absent. */
export type TraceCell = number | boolean | string | bigint | null;

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** A row as `traceRow` makes it: every column a cell (a finite number, boolean, string, bigint or null). */
const traceRowCheck: ArgCheck = (v) => {
  const what = "a row of traceRow (every column of TRACE_COLUMNS a cell)";
  if (typeof v !== "object" || v === null) return `${what}, got ${show(v)}`;
  const row = v as Readonly<Record<string, unknown>>;
  for (const c of TRACE_COLUMNS) {
    const cell = row[c];
    const t = typeof cell;
    const ok =
      cell === null ||
      t === "string" ||
      t === "boolean" ||
      t === "bigint" ||
      (t === "number" && Number.isFinite(cell));
    if (!ok) return `${what}, but ${c} is ${show(cell)}`;
  }
  return undefined;
};

/** Which field of the exit variants fills which column (`addr` of a system register goes to `sysreg`). */
function exitCells(e: VmExit | PartialExit, row: Record<TraceColumn, TraceCell>): void {
  const f = e as Record<string, unknown>;
  const big = (k: string): string | null => (typeof f[k] === "bigint" ? hex(f[k] as bigint) : null);
  const num = (k: string): number | null => (typeof f[k] === "number" ? (f[k] as number) : null);
  const bool = (k: string): boolean | null =>
    typeof f[k] === "boolean" ? (f[k] as boolean) : null;
  switch (e.kind) {
    case "MmioRead":
    case "MmioWrite":
    case "NestedPageFault":
      row.addr = big("addr");
      break;
    case "SysRegRead":
    case "SysRegWrite":
      row.sysreg = num("addr");
      break;
  }
  if (e.kind === "MmioRead" || e.kind === "IoRead" || e.kind === "SysRegRead") row.access = "R";
  if (e.kind === "MmioWrite" || e.kind === "IoWrite" || e.kind === "SysRegWrite") row.access = "W";
  row.width = num("width");
  row.reg = num("reg");
  row.reg_width = num("regWidth");
  row.signed_ext = bool("signedExt");
  row.data = big("data");
  row.port = num("port");
  row.value = big("value");
  row.nr = big("nr");
  row.args = Array.isArray(f.args) ? (f.args as bigint[]).map(hex).join(" ") : null;
  row.vector = big("vector");
  row.access_flags = num("accessFlags");
  row.target_cpu = big("targetCpu");
  row.target_cpu_aux = big("targetCpuAux");
  row.send_to_all = bool("sendToAll");
  row.send_to_self = bool("sendToSelf");
  row.entry_point = big("entryPoint");
  row.arg = big("arg");
  row.state = big("state");
  row.failure_reason = big("hardwareEntryFailureReason");
}

const QEMU_VCPU_THREAD = /^CPU (\d{1,9})\/KVM$/;

/** The vCPU id in QEMU's vCPU thread name `CPU <n>/KVM`, or null. */
function vcpuOfTask(task: string | undefined): number | null {
  const m = task === undefined ? null : QEMU_VCPU_THREAD.exec(task);
  return m === null ? null : Number(m[1]);
}

/** The row of an exit item: every column, `null` where the item has no value. */
export function traceRow(item: TraceExitItem): Record<TraceColumn, TraceCell> {
  checkArg(item, traceExitItem, "item");
  const row = Object.fromEntries(TRACE_COLUMNS.map((c) => [c, null])) as Record<
    TraceColumn,
    TraceCell
  >;
  const t = item.trace;
  const p = t.prefix;
  row.line = item.line;
  row.ts = p.timestamp ?? null;
  row.cpu = p.cpu ?? null;
  row.pid = p.pid ?? null;
  row.task = p.task ?? null;
  row.vcpu = t.vcpu ?? vcpuOfTask(p.task);
  row.arch = t.arch;
  row.reason = t.name;
  row.code = t.code ?? null;
  row.pc = t.pc === undefined ? null : hex(t.pc);
  const e = item.exit ?? item.partial;
  row.kind = e?.kind ?? null;
  row.complete = item.exit !== undefined;
  row.missing = item.missing === undefined ? null : item.missing.join(" ");
  if (e !== undefined) exitCells(e, row);
  row.handling_ns = item.handlingNs ?? null;
  row.closed_by = item.closedBy;
  row.error = item.error?.message ?? null;
  return row;
}

/** A row as one NDJSON line (no line end): integers (the timestamp too) written exactly. */
export function ndjsonLine(row: Record<TraceColumn, TraceCell>): string {
  checkArg(row, traceRowCheck, "row");
  let s = "{";
  for (let i = 0; i < TRACE_COLUMNS.length; i++) {
    const c = TRACE_COLUMNS[i] as TraceColumn;
    const v = row[c];
    if (i > 0) s += ",";
    s += `"${c}":`;
    if (v === null) s += "null";
    else if (typeof v === "string") s += JSON.stringify(v);
    else s += String(v);
  }
  return `${s}}`;
}

function csvCell(v: TraceCell): string {
  if (v === null) return "";
  if (typeof v !== "string") return String(v);
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** The CSV header line (no line end). */
export function csvHeader(): string {
  return TRACE_COLUMNS.join(",");
}

/** A row as one CSV line (RFC 4180 quoting; empty for null; no line end). */
export function csvLine(row: Record<TraceColumn, TraceCell>): string {
  checkArg(row, traceRowCheck, "row");
  let s = "";
  for (let i = 0; i < TRACE_COLUMNS.length; i++) {
    if (i > 0) s += ",";
    s += csvCell(row[TRACE_COLUMNS[i] as TraceColumn]);
  }
  return s;
}
