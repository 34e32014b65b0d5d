import { parseArgs } from "node:util";
import { CliError } from "./error";

/** Option values as `node:util` `parseArgs` returns them. */
export type OptionValues = Record<string, string | boolean | undefined>;

/** Option names each command accepts (booleans and strings). */
export interface OptionSpec {
  /** Flags without a value. */
  readonly booleans: readonly string[];
  /** Options with a value. */
  readonly strings: readonly string[];
}

/** Parses argv for one command; unknown options and missing values become a `CliError`. */
export function parseOptions(
  argv: readonly string[],
  spec: OptionSpec,
): { values: OptionValues; positionals: string[] } {
  const options: Record<string, { type: "boolean" | "string"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const b of spec.booleans) options[b] = { type: "boolean" };
  for (const s of spec.strings) options[s] = { type: "string" };
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as OptionValues, positionals };
  } catch (e) {
    // node:util reports e.g. "Unknown option '--x'. To specify a positional argument…": keep the first sentence.
    const message = e instanceof Error ? e.message : String(e);
    throw new CliError(message.split(/\.\s/)[0]?.replace(/\.$/, "") ?? message);
  }
}
