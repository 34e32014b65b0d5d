import { CliError } from "./error";
import type { CliInput, CliIo } from "./io";

/** Replaces each `@FILE` argument by the whitespace-separated words of FILE (`#` starts a comment). */
export async function expandArgFiles(args: readonly string[], io: CliIo): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) {
    if (!arg.startsWith("@") || arg.length === 1) {
      out.push(arg);
      continue;
    }
    const text = await io.readTextFile(arg.slice(1));
    for (const line of text.split("\n")) {
      const code = line.replace(/#.*/, "").trim();
      if (code !== "") out.push(...code.split(/\s+/));
    }
  }
  return out;
}

/** The trace input: FILE, or stdin for `-` or no argument (refused when stdin is a terminal). */
export async function openInput(positionals: readonly string[], io: CliIo): Promise<CliInput> {
  if (positionals.length > 1) {
    throw new CliError(`expected at most one FILE, got ${positionals.length} arguments`);
  }
  const file = positionals[0];
  if (file !== undefined && file !== "-") return io.openFile(file);
  if (file === undefined && io.stdinIsTTY === true) {
    throw new CliError("no input: give a trace FILE or pipe one into stdin");
  }
  return io.stdin;
}

/** Writes `vmexit: N lines read` on a terminal's stderr as the input streams by. */
export function progress(io: CliIo): ((lines: number) => void) | undefined {
  if (io.stderr.isTTY !== true) return undefined;
  return (lines) => {
    io.stderr.write(`\rvmexit: ${lines.toLocaleString("en-US")} lines read`);
  };
}

/** Clears the progress line, when one was written. */
export function clearProgress(io: CliIo, shown: boolean): void {
  if (shown) io.stderr.write("\r\x1b[K");
}
