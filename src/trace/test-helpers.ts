// Helpers for the trace tests: build ftrace lines and collect what the reader yields.
import { readTrace, type TraceExitItem, type TraceItem } from "./read";

/** An ftrace line of thread `pid` ("CPU n/KVM") on host CPU `cpu` at `t` seconds. */
export function ftrace(pid: number, cpu: number, t: string, event: string, body: string): string {
  const task = `CPU ${pid % 10}/KVM`;
  return `  ${task}-${pid} [${String(cpu).padStart(3, "0")}] d..1. ${t}: ${event}: ${body}`;
}

/** Every item `readTrace` yields for `lines`. */
export async function items(
  lines: readonly string[],
  options: Parameters<typeof readTrace>[1] = {},
): Promise<TraceItem[]> {
  const out: TraceItem[] = [];
  for await (const item of readTrace([`${lines.join("\n")}\n`], options)) out.push(item);
  return out;
}

/** The exit items `readTrace` yields for `lines`, in `kvm_exit` line order. */
export async function exits(
  lines: readonly string[],
  options: Parameters<typeof readTrace>[1] = {},
): Promise<TraceExitItem[]> {
  const all = await items(lines, options);
  return all.filter((i): i is TraceExitItem => i.type === "exit").sort((a, b) => a.line - b.line);
}

/** The only exit item of `lines`. */
export async function onlyExit(
  lines: readonly string[],
  options: Parameters<typeof readTrace>[1] = {},
): Promise<TraceExitItem> {
  const e = await exits(lines, options);
  if (e.length !== 1) throw new Error(`expected one exit, got ${e.length}`);
  return e[0] as TraceExitItem;
}
