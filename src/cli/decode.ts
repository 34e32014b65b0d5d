import { formatExit } from "../core/format";
import { exitToJSON } from "../core/json";
import { toJSONValue } from "../trace/json";
import {
  codecArg,
  decodeOptionsArgs,
  decoderFlags,
  snapshotArgs,
  statePageArg,
  statePageFlags,
} from "./codec-args";
import { formatCause } from "./format-cause";
import { HELP } from "./help";
import { expandArgFiles } from "./input";
import type { CliIo } from "./io";
import { parseOptions } from "./options";

/**
 * `vmexit decode <arch> key=value…` (or `--vmcb FILE`, a codec's raw state page): prints the exit
 * and its cause (or JSON with `--json`).
 */
export async function decodeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = decoderFlags();
  const { values, positionals } = parseOptions(argv, {
    booleans: ["json", ...flags.booleans],
    strings: [...flags.strings, ...statePageFlags()],
  });
  if (values.help === true) {
    io.stdout.write(HELP.decode);
    return 0;
  }
  const [name, ...rest] = positionals;
  const codec = codecArg(name, "decode");
  const args = await expandArgFiles(rest, io);
  const page = await statePageArg(codec, values, io);
  const decoded = codec.decode(snapshotArgs(codec, args, page), decodeOptionsArgs(codec, values));
  if (values.json === true) {
    const json = { exit: exitToJSON(decoded.exit), cause: toJSONValue(decoded.cause) };
    io.stdout.write(`${JSON.stringify(json)}\n`);
  } else {
    io.stdout.write(`${formatExit(decoded.exit)}\n${formatCause(decoded.cause)}\n`);
  }
  return 0;
}
