import { show, VmExitError } from "../core/error";
import { parseTraceLine } from "./line";
import type { TraceLine } from "./types";

// The header lines of `trace-cmd report`: `cpus=4`, `version = 7`, `CPU 3 is empty`.
const TRACE_CMD_HEADER = /^(?:cpus=\d+|version = \S+|CPU \d+ is empty)\s*$/;

/** A line that is no event but expected in a trace: blank, a `#` comment/header of ftrace, or a `trace-cmd report` header. */
export function isCommentLine(line: string): boolean {
  const t = line.trimStart();
  return t === "" || t.startsWith("#") || TRACE_CMD_HEADER.test(t);
}

/** One classified line: parsed, ignorable (blank or comment), or skipped with the reason. */
export type ClassifiedLine =
  | { readonly type: "line"; readonly line: TraceLine }
  | { readonly type: "comment" }
  | { readonly type: "skipped"; readonly error: VmExitError };

const COMMENT: ClassifiedLine = { type: "comment" };

/** Parses a line for a stream reader: never throws; unreadable lines come back as `skipped`. */
export function classifyLine(text: string): ClassifiedLine {
  try {
    const line = parseTraceLine(text);
    if (line !== undefined) return { type: "line", line };
  } catch (e) {
    if (e instanceof VmExitError) return { type: "skipped", error: e };
    throw e;
  }
  if (isCommentLine(text)) return COMMENT;
  return { type: "skipped", error: notAnEvent(text) };
}

/** The error for a line that is neither an event, a comment nor a header. */
export function notAnEvent(text: string): VmExitError {
  return new VmExitError(
    "malformed-trace",
    `line is not a trace event (no "event:" column): ${show(text)}`,
    "line",
  );
}
