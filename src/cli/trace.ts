import { traceExitToJSON } from "../trace/json";
import { readTrace } from "../trace/read";
import type { SkippedLine } from "../trace/stat";
import { SKIPPED_LINES_KEPT } from "../trace/stat";
import { allDecodeOptionsArgs, decoderFlags } from "./codec-args";
import { HELP } from "./help";
import { clearProgress, openInput, progress } from "./input";
import type { CliIo } from "./io";
import { parseOptions } from "./options";

/** Reports skipped lines on stderr: the count and the first few reasons. */
export function reportSkipped(io: CliIo, skipped: number, first: readonly SkippedLine[]): void {
  if (skipped === 0) return;
  const lines = [`vmexit: ${skipped} line${skipped === 1 ? "" : "s"} skipped`];
  for (const s of first) lines.push(`  line ${s.line}: ${s.message}`);
  io.stderr.write(`${lines.join("\n")}\n`);
}

/** `vmexit trace [FILE|-]`: one JSON line per `kvm_exit`. */
export async function traceCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = decoderFlags();
  const { values, positionals } = parseOptions(argv, {
    booleans: ["raw", ...flags.booleans],
    strings: flags.strings,
  });
  if (values.help === true) {
    io.stdout.write(HELP.trace);
    return 0;
  }
  const options = { decode: values.raw !== true, options: allDecodeOptionsArgs(values) };
  const input = await openInput(positionals, io);
  const onProgress = progress(io);
  let skipped = 0;
  const first: SkippedLine[] = [];
  let line = 0;
  for await (const item of readTrace(input, options)) {
    line = item.line;
    if (onProgress !== undefined && (line & 0xffff) === 0) onProgress(line);
    if (item.type === "skipped") {
      skipped++;
      if (first.length < SKIPPED_LINES_KEPT) first.push({ line, message: item.error.message });
    } else if (item.type === "exit") {
      const wait = io.stdout.write(`${JSON.stringify(traceExitToJSON(item))}\n`);
      if (wait !== undefined) await wait;
    }
  }
  clearProgress(io, onProgress !== undefined && line >= 0x10000);
  reportSkipped(io, skipped, first);
  return 0;
}
