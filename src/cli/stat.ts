import { formatTraceStat } from "../trace/format-stat";
import { statTrace } from "../trace/stat";
import { HELP } from "./help";
import { clearProgress, openInput, progress } from "./input";
import type { CliIo } from "./io";
import { parseOptions } from "./options";

/** `vmexit stat [FILE|-]`: per-reason counts and handling times, as a table or `--json`. */
export async function statCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(argv, { booleans: ["json"], strings: [] });
  if (values.help === true) {
    io.stdout.write(HELP.stat);
    return 0;
  }
  const input = await openInput(positionals, io);
  const onProgress = progress(io);
  const report = await statTrace(input, onProgress === undefined ? {} : { onProgress });
  clearProgress(io, onProgress !== undefined && report.lines >= 65536);
  if (values.json === true) {
    const { total, skipped, lines, entries, other, timed, reasons, skippedLines } = report;
    const json = { total, skipped, lines, entries, other, timed, reasons, skippedLines };
    io.stdout.write(`${JSON.stringify(json)}\n`);
  } else {
    io.stdout.write(`${formatTraceStat(report)}\n`);
  }
  return 0;
}
