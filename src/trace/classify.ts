import { show, VmExitError } from "../core/error";
import { parseTraceLine } from "./line";
import { isCommentLine, notAnEvent } from "./scanner";
import type { TraceLine } from "./types";

/** One classified line: parsed, ignorable (blank or comment), or skipped with the reason. */
export type ClassifiedLine =
  | { readonly type: "line"; readonly line: TraceLine }
  | { readonly type: "comment" }
  | { readonly type: "skipped"; readonly error: VmExitError };

const COMMENT: ClassifiedLine = { type: "comment" };

/**
 * Parses a line for a stream reader: a string never makes it throw (unreadable lines come back as
 * `skipped`); anything else is a `VmExitError("invalid-argument")`.
 */
export function classifyLine(text: string): ClassifiedLine {
  if (typeof text !== "string") {
    throw new VmExitError("invalid-argument", `text must be a string, got ${show(text)}`, "text");
  }
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

export { isCommentLine };
