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

// A negative number (`-1`, `-0x10`) is a value, never a flag: no flag of vmexit is a digit.
const NEGATIVE = /^-[0-9]/;
// Stands in for a negative positional while `parseArgs` runs (a NUL cannot come from argv).
const HIDDEN = "\0";

/**
 * Parses argv for one command; unknown options and missing values become a `CliError`. A value
 * that starts with `-` is still a value where one is expected (`--apic-base -1`), and a negative
 * number is a positional (`explain esr -1`): the readers then say that it is negative.
 */
export function parseOptions(
  argv: readonly string[],
  spec: OptionSpec,
): { values: OptionValues; positionals: string[] } {
  const options: Record<string, { type: "boolean" | "string"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const b of spec.booleans) options[b] = { type: "boolean" };
  for (const s of spec.strings) options[s] = { type: "string" };
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (arg.startsWith("--") && spec.strings.includes(arg.slice(2)) && next?.startsWith("-")) {
      args.push(`${arg}=${next}`); // the value of a string option, even when it looks like a flag
      i++;
    } else {
      args.push(NEGATIVE.test(arg) ? `${HIDDEN}${arg}` : arg);
    }
  }
  try {
    const { values, positionals } = parseArgs({
      args,
      options,
      allowPositionals: true,
      strict: true,
    });
    const shown = positionals.map((p) =>
      p.startsWith(HIDDEN) && NEGATIVE.test(p.slice(1)) ? p.slice(1) : p,
    );
    return { values: values as OptionValues, positionals: shown };
  } catch (e) {
    // node:util reports e.g. "Unknown option '--x'. To specify a positional argument…": keep the first sentence.
    const message = e instanceof Error ? e.message : String(e);
    throw new CliError(message.split(/\.\s/)[0]?.replace(/\.$/, "") ?? message);
  }
}
