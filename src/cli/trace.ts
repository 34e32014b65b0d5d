import { traceExitToJSON } from "../trace/json";
import { readTrace } from "../trace/read";
import { csvHeader, csvLine, ndjsonLine, TRACE_COLUMNS, traceRow } from "../trace/rows";
import type { SkippedLine } from "../trace/stat";
import { SKIPPED_LINES_KEPT } from "../trace/stat";
import { allDecodeOptionsArgs, decoderFlags, decoderFlagsHelp } from "./codec-args";
import { CliError } from "./error";
import { clearProgress, openInput, progress } from "./input";
import type { CliIo } from "./io";
import { parseOptions } from "./options";

const FORMATS = ["json", "ndjson", "csv"] as const;

/** `vmexit trace --help`. */
export const TRACE_HELP = `Usage: vmexit trace [FILE|-] [--format json|ndjson|csv] [options]

Reads ftrace / trace-cmd report / perf script text (FILE, or stdin when FILE is - or absent),
joins each kvm_exit with the companion events of its vCPU up to the vCPU's next kvm_entry
(kvm_page_fault, kvm_mmio, kvm_pio, kvm_msr, kvm_hypercall, kvm_emulate_insn, kvm_guest_fault,
kvm_handle_sys_reg, …) and prints one line per exit: the typed "exit" when the trace determines
every field, else the "partial" exit and the "missing" field names. Unreadable lines are
counted and reported on stderr.

Formats:
  json      one JSON object per exit: where (line, timestampNs, cpu, task, pid, vcpu), what the
            line said (arch, name, code, pc, snapshot), the joined companions, exit and cause
            (or partial, missing, error), closedBy, entryLine, handlingNs (default)
  ndjson    one flat JSON object per exit with the same columns every time, for DuckDB,
            ClickHouse or Spark: ${TRACE_COLUMNS.join(", ")}
  csv       the same columns as CSV, with a header line

Options:
  --format <json|ndjson|csv>  output format (default json)
  --raw                  do not decode, only parse and join
${decoderFlagsHelp()}
  -h, --help             this help
`;

/** Reports skipped lines on stderr: the count and the first few reasons. */
export function reportSkipped(io: CliIo, skipped: number, first: readonly SkippedLine[]): void {
  if (skipped === 0) return;
  const lines = [`vmexit: ${skipped} line${skipped === 1 ? "" : "s"} skipped`];
  for (const s of first) lines.push(`  line ${s.line}: ${s.message}`);
  io.stderr.write(`${lines.join("\n")}\n`);
}

/** Output is written in pieces of about this many characters. */
const BATCH = 1 << 16;

/** `vmexit trace [FILE|-]`: one line per `kvm_exit`, joined with its companions. */
export async function traceCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = decoderFlags();
  const { values, positionals } = parseOptions(argv, {
    booleans: ["raw", ...flags.booleans],
    strings: ["format", ...flags.strings],
  });
  if (values.help === true) {
    io.stdout.write(TRACE_HELP);
    return 0;
  }
  const format = values.format ?? "json";
  if (typeof format !== "string" || !(FORMATS as readonly string[]).includes(format)) {
    throw new CliError(`--format must be one of ${FORMATS.join(", ")}, got "${String(format)}"`);
  }
  const options = { decode: values.raw !== true, options: allDecodeOptionsArgs(values) };
  const input = await openInput(positionals, io);
  const onProgress = progress(io);
  let skipped = 0;
  const first: SkippedLine[] = [];
  let line = 0;
  let out = format === "csv" ? `${csvHeader()}\n` : "";
  for await (const item of readTrace(input, options)) {
    if (item.line > line) {
      if (onProgress !== undefined && item.line >> 16 !== line >> 16)
        onProgress(item.line & ~0xffff);
      line = item.line;
    }
    if (item.type === "skipped") {
      skipped++;
      if (first.length < SKIPPED_LINES_KEPT)
        first.push({ line: item.line, message: item.error.message });
    } else if (item.type === "exit") {
      if (format === "json") out += `${JSON.stringify(traceExitToJSON(item))}\n`;
      else if (format === "ndjson") out += `${ndjsonLine(traceRow(item))}\n`;
      else out += `${csvLine(traceRow(item))}\n`;
      if (out.length >= BATCH) {
        const wait = io.stdout.write(out);
        out = "";
        if (wait !== undefined) await wait;
      }
    }
  }
  if (out !== "") {
    const wait = io.stdout.write(out);
    if (wait !== undefined) await wait;
  }
  clearProgress(io, onProgress !== undefined && line >= 0x10000);
  reportSkipped(io, skipped, first);
  return 0;
}
