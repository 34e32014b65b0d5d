import { VmExitError } from "../core/error";
import { CliError } from "./error";

/** Turns a library rejection into a one-line command-line message. */
export function describeError(e: unknown): string {
  if (e instanceof VmExitError || e instanceof CliError) return e.message;
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === "string" ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}
