import { version } from "../../package.json";
import { VmExitError } from "../core/error";
import { decodeCommand } from "./decode";
import { describeError } from "./error";
import { explainCommand } from "./explain";
import { HELP } from "./help";
import type { CliIo } from "./io";
import { statCommand } from "./stat";
import { traceCommand } from "./trace";

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  decode: decodeCommand,
  explain: explainCommand,
  trace: traceCommand,
  stat: statCommand,
};

/** The package version, read from package.json when the CLI is built. */
export const VERSION: string = version;

const HELP_NAMES = new Set(["help", "--help", "-h"]);
const VERSION_NAMES = new Set(["version", "--version", "-V", "-v"]);

/**
 * Runs the `vmexit` command line with `argv` (without `node` and the script) and returns the
 * exit code: 0 on success, 1 on bad input, after one line `vmexit: <problem>` on stderr.
 * `argv` must be an array of strings and `io` a `CliIo` (else a `VmExitError`).
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  checkRunArgs(argv, io);
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(HELP.main);
    return 1;
  }
  if (HELP_NAMES.has(name)) return help(rest[0], io);
  if (VERSION_NAMES.has(name)) {
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

/** `vmexit help [COMMAND]`: the program's help, or a command's; an unknown command fails. */
function help(topic: string | undefined, io: CliIo): number {
  if (topic === undefined) {
    io.stdout.write(HELP.main);
    return 0;
  }
  if (Object.hasOwn(COMMANDS, topic)) {
    io.stdout.write(HELP[topic as keyof typeof COMMANDS & keyof typeof HELP]);
    return 0;
  }
  io.stderr.write(
    `vmexit help: no command "${topic}" (commands: ${Object.keys(COMMANDS).join(", ")})\n`,
  );
  return 1;
}

function checkRunArgs(argv: unknown, io: unknown): void {
  if (!Array.isArray(argv) || !argv.every((a) => typeof a === "string")) {
    throw new VmExitError("invalid-argument", "argv must be an array of strings", "argv");
  }
  const sink = (w: unknown) => typeof (w as { write?: unknown } | null)?.write === "function";
  const ok = typeof io === "object" && io !== null;
  if (!ok || !sink((io as CliIo).stdout) || !sink((io as CliIo).stderr)) {
    throw new VmExitError(
      "invalid-argument",
      "io must be a CliIo (stdout and stderr with write, stdin, openFile, readTextFile)",
      "io",
    );
  }
}
