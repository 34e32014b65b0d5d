/** A command-line problem (bad argument, unreadable file): printed as one line, exit code 1. */
export class CliError extends Error {
  override readonly name = "CliError";
}
