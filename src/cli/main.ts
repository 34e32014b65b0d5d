import { nodeIo } from "./io";
import { run } from "./run";

// Output errors end the program with one line, never a stack trace: EPIPE (output piped into
// `head`, which stopped reading) quietly with 0, anything else (`> /dev/full`: ENOSPC) with 1.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  const reason = e.code === "ENOSPC" ? "no space left on device" : e.message;
  process.stderr.write(
    `vmexit: cannot write the output: ${reason}${e.code ? ` (${e.code})` : ""}\n`,
  );
  process.exit(1);
});
// stderr itself unwritable: nothing left to tell, only the exit code
process.stderr.on("error", () => process.exit(1));

process.exitCode = await run(process.argv.slice(2), nodeIo());
