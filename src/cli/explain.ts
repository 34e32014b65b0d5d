import { explainAarch64, explainEsr } from "../aarch64/index";
import { type ExplainNode, formatExplain } from "../core/explain";
import { explainRiscv, explainScause } from "../riscv/index";
import { toJSONValue } from "../trace/json";
import { explainVmx } from "../x86/index";
import { CliError } from "./error";
import { HELP } from "./help";
import { expandArgFiles } from "./input";
import type { CliIo } from "./io";
import { parseOptions } from "./options";
import { aarch64SnapshotArgs, riscvSnapshotArgs, vmxSnapshotArgs } from "./snapshot-args";
import { parseBigint } from "./values";

const WHAT = ["esr", "scause", "vmx", "aarch64", "riscv"] as const;

function single(args: readonly string[], what: string): bigint {
  const [value, extra] = args;
  if (value === undefined) throw new CliError(`explain ${what} needs a value`);
  if (extra !== undefined)
    throw new CliError(`explain ${what} takes one value, got "${extra}" too`);
  return parseBigint(value, what);
}

/** `vmexit explain <what> value…`: prints the bit-field tree. */
export async function explainCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(argv, { booleans: ["json"], strings: ["xlen"] });
  if (values.help === true) {
    io.stdout.write(HELP.explain);
    return 0;
  }
  const [what, ...rest] = positionals;
  if (what === undefined) throw new CliError(`explain needs what to explain: ${WHAT.join(", ")}`);
  const args = await expandArgFiles(rest, io);
  let nodes: readonly ExplainNode[];
  switch (what) {
    case "esr":
      nodes = explainEsr(single(args, "esr"));
      break;
    case "scause": {
      const xlen = values.xlen ?? "64";
      if (xlen !== "32" && xlen !== "64")
        throw new CliError(`--xlen must be 32 or 64, got "${xlen}"`);
      nodes = explainScause(single(args, "scause"), xlen === "32" ? 32 : 64);
      break;
    }
    case "vmx":
    case "x86":
      nodes = explainVmx(vmxSnapshotArgs(args));
      break;
    case "aarch64":
    case "arm64":
      nodes = explainAarch64(aarch64SnapshotArgs(args));
      break;
    case "riscv":
      nodes = explainRiscv(riscvSnapshotArgs(args));
      break;
    default:
      throw new CliError(`cannot explain "${what}": use ${WHAT.join(", ")}`);
  }
  io.stdout.write(
    values.json === true ? `${JSON.stringify(toJSONValue(nodes))}\n` : `${formatExplain(nodes)}\n`,
  );
  return 0;
}
