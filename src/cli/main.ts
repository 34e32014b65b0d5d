import { nodeIo } from "./io";
import { run } from "./run";

// nodeIo() also makes output errors end the program with one line, never a stack trace:
// EPIPE (output piped into `head`, which stopped reading) quietly with 0, anything else
// (`> /dev/full`: ENOSPC) with 1.
process.exitCode = await run(process.argv.slice(2), nodeIo());
