import { nodeIo } from "./io";
import { run } from "./run";

// EPIPE (output piped into `head`) ends the program quietly.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

process.exitCode = await run(process.argv.slice(2), nodeIo());
