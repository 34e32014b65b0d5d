import {
  ALL_CODECS,
  codecNames,
  decoderFlagsHelp,
  registerNames,
  snapshotKeysHelp,
  statePageHelp,
} from "./codec-args";
import { STAT_HELP } from "./stat";
import { TRACE_HELP } from "./trace";

const NAMES = ALL_CODECS.map((c) => c.names[0]).join("|");
const TITLES = ALL_CODECS.map((c) => c.title).join(", ");
const REGISTERS = registerNames().join("|");

/** Help text of each command, and of the program. */
export const HELP: Readonly<Record<"main" | "decode" | "explain" | "trace" | "stat", string>> = {
  main: `vmexit — decode, explain and count VM exits (${TITLES})

Usage:
  vmexit decode <${NAMES}> key=value… [--json]   decode raw exit state (svm: or --vmcb FILE)
  vmexit explain <${REGISTERS}|${NAMES}> value…     show a register's bit fields
  vmexit trace [FILE|-] [--format json|ndjson|csv]       one line per exit, joined with its companions
  vmexit stat [FILE|-] [--by <group>] [--json]           per-reason table like perf kvm stat

Run "vmexit <command> --help" for details. Exit code 0 on success, 1 on bad input.
Arguments of the form @FILE are read from FILE (whitespace-separated, # comments).
`,
  decode: `Usage: vmexit decode <${NAMES}> key=value… [options]

Decodes raw exit state and prints the exit (one line) and its cause.
Numbers are decimal or 0x… hex; @FILE reads key=value arguments from FILE.
A raw state page (svm: --vmcb FILE) gives the snapshot; key=value arguments add to it.

Keys (case, "-" and "_" ignored):
${snapshotKeysHelp()}

Options:
  --json                   print { "exit": …, "cause": … } (bigints as "0x…" strings)
${statePageHelp()}
${decoderFlagsHelp()}
  -h, --help               this help

Examples:
  vmexit decode aarch64 esr=0x93810047 far=0x9000000 hpfar=0x90000 x1=0x41
  vmexit decode svm exit-code=0x7b exit-info1=0x3f80010 rax=0x41
  vmexit decode svm --vmcb vmcb.bin rcx=0x1b
`,
  explain: `Usage: vmexit explain <what> value… [--json]

Prints the bit-field tree of a raw register or snapshot.
${ALL_CODECS.flatMap((c) =>
  Object.entries(c.registers).map(
    ([name, r]) =>
      `  ${`${name} <value> [key=value…]`.padEnd(30)} ${r.title} (${c.names[0]} keys give context)`,
  ),
).join("\n")}
  ${`<${codecNames().replaceAll(", ", "|")}> key=value…`.padEnd(30)} every register of a snapshot (keys as for decode)

Options:
  --json       print the tree as JSON (values as "0x…" strings)
${statePageHelp()}
  -h, --help   this help

Examples:
  vmexit explain esr 0x93810047
  vmexit explain svm code=npf info1=0x100000006 info2=0xfebf0000
`,
  trace: TRACE_HELP,
  stat: STAT_HELP,
};
