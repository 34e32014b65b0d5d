import { show, VmExitError } from "../core/error";
import { parseTraceLine } from "./line";
import type { TraceLine } from "./types";

/** A line that is no event but expected in a trace: blank, or a `#` comment/header of ftrace. */
export function isCommentLine(line: string): boolean {
  const t = line.trimStart();
  return t === "" || t.startsWith("#");
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
  return {
    type: "skipped",
    error: new VmExitError(
      "malformed-trace",
      `line is not a trace event (no "event:" column): ${show(text)}`,
      "line",
    ),
  };
}
