import { decodeCommand } from "./decode";
import { explainCommand } from "./explain";
import { HELP } from "./help";
import type { CliIo } from "./io";
import { statCommand } from "./stat";
import { traceCommand } from "./trace";
import { describeError } from "./values";

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  decode: decodeCommand,
  explain: explainCommand,
  trace: traceCommand,
  stat: statCommand,
};

/** The package version, injected at build time when available. */
export const VERSION = "0.1.0";

/**
 * Runs the `vmexit` command line with `argv` (without `node` and the script) and returns the
 * exit code: 0 on success, 1 on bad input, after one line `vmexit: <problem>` on stderr.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    const text =
      topic !== undefined && topic in COMMANDS ? HELP[topic as keyof typeof HELP] : HELP.main;
    (name === undefined ? io.stderr : io.stdout).write(text);
    return name === undefined ? 1 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`vmexit ${VERSION}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.stderr.write(`vmexit: unknown command "${name}" (try vmexit --help)\n`);
    return 1;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    io.stderr.write(`vmexit ${name}: ${describeError(e)}\n`);
    return 1;
  }
}
