import { type ExplainNode, formatExplain } from "../core/explain";
import { snapshotFromText } from "../core/snapshot-text";
import { parseUnsigned } from "../core/text";
import { toJSONValue } from "../trace/json";
import {
  codecArg,
  codecNames,
  decodeOptionsArgs,
  decoderFlags,
  keyValueArgs,
  registerArg,
  registerNames,
  snapshotArgs,
  statePageArg,
  statePageFlags,
} from "./codec-args";
import { CliError } from "./error";
import { HELP } from "./help";
import { expandArgFiles } from "./input";
import type { CliIo } from "./io";
import { parseOptions } from "./options";

/** `vmexit explain <register|arch> value…`: prints the bit-field tree. */
export async function explainCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = decoderFlags();
  const { values, positionals } = parseOptions(argv, {
    booleans: ["json", ...flags.booleans],
    strings: [...flags.strings, ...statePageFlags()],
  });
  if (values.help === true) {
    io.stdout.write(HELP.explain);
    return 0;
  }
  const [what, ...rest] = positionals;
  const choices = [...registerNames(), codecNames()].join(", ");
  if (what === undefined) throw new CliError(`explain needs what to explain: ${choices}`);
  const args = await expandArgFiles(rest, io);
  let nodes: readonly ExplainNode[];
  const register = registerArg(what);
  if (register !== undefined) {
    const [value, ...context] = args;
    if (value === undefined) throw new CliError(`explain ${what} needs a value`);
    for (const flag of statePageFlags()) {
      if (values[flag] !== undefined) {
        throw new CliError(`--${flag} reads a whole snapshot: use explain <arch> --${flag} FILE`);
      }
    }
    // further key=value arguments are the rest of the snapshot the layout may depend on (xlen=32)
    const ctx = snapshotFromText(
      register.codec.snapshotKeys.map((k) => ({ ...k, required: false })),
      keyValueArgs(context),
    );
    decodeOptionsArgs(register.codec, values); // flags of another architecture are an error
    nodes = register.explainer.explain(parseUnsigned(value, what), ctx);
  } else {
    if (
      rest.length === 0 &&
      statePageFlags().every((f) => values[f] === undefined) &&
      !/^[a-z0-9-]+$/i.test(what)
    ) {
      throw new CliError(`cannot explain "${what}": use ${choices}`);
    }
    let codec: ReturnType<typeof codecArg>;
    try {
      codec = codecArg(what, "explain");
    } catch {
      throw new CliError(`cannot explain "${what}": use ${choices}`);
    }
    const page = await statePageArg(codec, values, io);
    nodes = codec.explain(snapshotArgs(codec, args, page), decodeOptionsArgs(codec, values));
  }
  io.stdout.write(
    values.json === true ? `${JSON.stringify(toJSONValue(nodes))}\n` : `${formatExplain(nodes)}\n`,
  );
  return 0;
}
