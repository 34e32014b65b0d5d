import { decodeAarch64 } from "../aarch64/index";
import type { DecodedExit } from "../core/decoded";
import { formatExit } from "../core/format";
import { exitToJSON } from "../core/json";
import { decodeRiscv } from "../riscv/index";
import { toJSONValue } from "../trace/json";
import { decodeVmx } from "../x86/index";
import { CliError } from "./error";
import { formatCause } from "./format-cause";
import { HELP } from "./help";
import { expandArgFiles } from "./input";
import type { CliIo } from "./io";
import { DECODER_OPTIONS, parseOptions, riscvOptions, vmxOptions } from "./options";
import { aarch64SnapshotArgs, riscvSnapshotArgs, vmxSnapshotArgs } from "./snapshot-args";

const ARCHES = ["vmx", "aarch64", "riscv"] as const;

/** `vmexit decode <arch> key=value…`: prints the exit and its cause (or JSON with `--json`). */
export async function decodeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    booleans: ["json"],
    strings: DECODER_OPTIONS,
  });
  if (values.help === true) {
    io.stdout.write(HELP.decode);
    return 0;
  }
  const [arch, ...rest] = positionals;
  if (arch === undefined) throw new CliError("decode needs an architecture: vmx, aarch64 or riscv");
  const args = await expandArgFiles(rest, io);
  let decoded: DecodedExit<object>;
  switch (arch) {
    case "vmx":
    case "x86":
      decoded = decodeVmx(vmxSnapshotArgs(args), vmxOptions(values));
      break;
    case "aarch64":
    case "arm64":
      decoded = decodeAarch64(aarch64SnapshotArgs(args));
      break;
    case "riscv":
      decoded = decodeRiscv(riscvSnapshotArgs(args), riscvOptions(values));
      break;
    default:
      throw new CliError(`unknown architecture "${arch}": use ${ARCHES.join(", ")}`);
  }
  if (values.json === true) {
    const json = { exit: exitToJSON(decoded.exit), cause: toJSONValue(decoded.cause) };
    io.stdout.write(`${JSON.stringify(json)}\n`);
  } else {
    io.stdout.write(`${formatExit(decoded.exit)}\n${formatCause(decoded.cause)}\n`);
  }
  return 0;
}
