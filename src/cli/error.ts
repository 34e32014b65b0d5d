import { show, VmExitError } from "../core/error";

/** A command-line problem (bad argument, unreadable file): printed as one line, exit code 1. */
export class CliError extends Error {
  override readonly name = "CliError";
}

/** Turns a rejection into a one-line command-line message (an errno code in parentheses). */
export function describeError(e: unknown): string {
  if (e instanceof VmExitError || e instanceof CliError) return e.message;
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === "string" ? `${e.message} (${code})` : e.message;
  }
  return typeof e === "string" ? e : show(e);
}
