import { parseUnsigned } from "../core/text";
import { formatTraceStat } from "../trace/format-stat";
import { toJSONValue } from "../trace/json";
import {
  STAT_GROUPINGS,
  STAT_SORTS,
  type StatTraceOptions,
  statTrace,
  type TraceStatReport,
} from "../trace/stat";
import { allDecodeOptionsArgs, decoderFlags, decoderFlagsHelp } from "./codec-args";
import { CliError } from "./error";
import { clearProgress, openInput, progress } from "./input";
import type { CliIo } from "./io";
import { parseOptions } from "./options";
import { parallelism, parallelStat } from "./stat-parallel";

/** `vmexit stat --help`. */
export const STAT_HELP = `Usage: vmexit stat [FILE|-] [--by <group>] [--vcpu N] [--pid N] [--sort <order>] [--json]

Counts the exits of a trace like "perf kvm stat report": each kvm_exit joined with its companion
events and decoded, grouped, and timed to its vCPU's next kvm_entry (Samples, Samples%, Time%,
Min/Max/Avg time in exit handling). Reads FILE, or stdin when FILE is - or absent, as a stream
(constant memory). Lines it cannot read are counted as skipped and reported.

Options:
  --by <${STAT_GROUPINGS.join("|")}>
                         group by exit reason (default), VmExit kind, MMIO address and R/W
                         (like perf --event=mmio), I/O port and PIN/POUT (--event=ioport),
                         MSR / system register and R/W, hypercall number, or vCPU
  --vcpu <N>             only exits of vCPU N (the vcpu field, or QEMU's "CPU N/KVM" thread)
  --pid <N>              only exits of thread N
  --sort <${STAT_SORTS.join("|")}>   most exits first (default), most time first, or by name / address
  --json                 print the report as JSON (bigints as "0x…" strings)
${decoderFlagsHelp()}
  -h, --help             this help
`;

function choiceFlag<T extends string>(
  value: unknown,
  allowed: readonly T[],
  flag: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new CliError(`--${flag} must be one of ${allowed.join(", ")}, got "${String(value)}"`);
  }
  return value as T;
}

function idFlag(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const v = parseUnsigned(String(value), `--${flag}`, 32);
  return Number(v);
}

/** `vmexit stat [FILE|-]`: the statistics table, or `--json`. */
export async function statCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = decoderFlags();
  const { values, positionals } = parseOptions(argv, {
    booleans: ["json", ...flags.booleans],
    strings: ["by", "vcpu", "pid", "sort", ...flags.strings],
  });
  if (values.help === true) {
    io.stdout.write(STAT_HELP);
    return 0;
  }
  const options: { -readonly [K in keyof StatTraceOptions]: StatTraceOptions[K] } = {
    options: allDecodeOptionsArgs(values),
  };
  const by = choiceFlag(values.by, STAT_GROUPINGS, "by");
  if (by !== undefined) options.by = by;
  const sort = choiceFlag(values.sort, STAT_SORTS, "sort");
  if (sort !== undefined) options.sort = sort;
  const vcpu = idFlag(values.vcpu, "vcpu");
  if (vcpu !== undefined) options.vcpu = vcpu;
  const pid = idFlag(values.pid, "pid");
  if (pid !== undefined) options.pid = pid;
  const onProgress = progress(io);
  const file = positionals.length === 1 && positionals[0] !== "-" ? positionals[0] : undefined;
  const workers =
    file !== undefined && onProgress === undefined && io.parallel === true
      ? await parallelism(file)
      : 1;
  let report: TraceStatReport;
  if (workers > 1 && file !== undefined) {
    report = await parallelStat(file, workers, options);
  } else {
    const input = await openInput(positionals, io);
    if (onProgress !== undefined) options.onProgress = onProgress;
    report = await statTrace(input, options);
  }
  clearProgress(io, onProgress !== undefined && report.lines >= 65536);
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify(toJSONValue(report))}\n`);
  } else {
    io.stdout.write(`${formatTraceStat(report)}\n`);
  }
  return 0;
}
