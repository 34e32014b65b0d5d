import { SNAPSHOT_KEYS } from "./snapshot-args";

/** Help text of each command, and of the program. */
export const HELP: Readonly<Record<"main" | "decode" | "explain" | "trace" | "stat", string>> = {
  main: `vmexit — decode, explain and count VM exits (x86 VMX, AArch64, RISC-V H)

Usage:
  vmexit decode <vmx|aarch64|riscv> key=value… [--json]   decode raw exit state
  vmexit explain <esr|scause|vmx|aarch64|riscv> value…     show a register's bit fields
  vmexit trace [FILE|-]                                  one JSON line per kvm_exit
  vmexit stat [FILE|-] [--json]                          per-reason table like perf kvm stat

Run "vmexit <command> --help" for details. Exit code 0 on success, 1 on bad input.
Arguments of the form @FILE are read from FILE (whitespace-separated, # comments).
`,
  decode: `Usage: vmexit decode <vmx|aarch64|riscv> key=value… [options]

Decodes raw exit state and prints the exit (one line) and its cause.
Numbers are decimal or 0x… hex; @FILE reads key=value arguments from FILE.

Keys:
  vmx      ${SNAPSHOT_KEYS.vmx}
  aarch64  ${SNAPSHOT_KEYS.aarch64}
  riscv    ${SNAPSHOT_KEYS.riscv}

Options:
  --json                 print { "exit": …, "cause": … } (bigints as "0x…" strings)
  --abi <axvisor|kvm>    vmx: VMCALL register convention (default axvisor)
  --cpu-mode <16|32|64>  vmx: guest mode for MMIO instruction decode (default 64)
  --apic-base <addr>     vmx: APIC page for APIC-access exits (default 0xfee00000)
  --hypercall-eid <eid>  riscv: SBI extension treated as hypercall (default 0x485643)
  -h, --help             this help

Example:
  vmexit decode aarch64 esr=0x93810047 far=0x9000000 hpfar=0x90000 x1=0x41
`,
  explain: `Usage: vmexit explain <what> value… [--json]

Prints the bit-field tree of a raw register or snapshot.
  esr <value>              ESR_EL2
  scause <value> [--xlen 32|64]
  vmx key=value…           the fields of a VMX snapshot (keys as for decode)
  aarch64 key=value…       an AArch64 snapshot
  riscv key=value…         a RISC-V snapshot

Options:
  --json       print the tree as JSON (values as "0x…" strings)
  --xlen <n>   scause: register width (default 64)
  -h, --help   this help

Example:
  vmexit explain esr 0x93810047
`,
  trace: `Usage: vmexit trace [FILE|-] [options]

Reads ftrace / trace-cmd report text (from FILE, or stdin when FILE is - or absent) and prints
one JSON line per kvm_exit: where (line, timestampNs, cpu, task, pid, vcpu), what (arch, name,
code, pc, snapshot), and the decoded "exit" and "cause", or "exit": null and the "error" saying
what the trace line lacks. Unreadable lines are counted and reported on stderr.

Options:
  --raw                  do not decode, only parse
  --abi, --cpu-mode, --apic-base, --hypercall-eid   decoder options as for decode
  -h, --help             this help
`,
  stat: `Usage: vmexit stat [FILE|-] [--json]

Counts kvm_exit lines per reason, like "perf kvm stat report": samples, share and, when
kvm_entry lines follow the exits of a vCPU, the min/max/avg time spent handling the exit.
Reads FILE, or stdin when FILE is - or absent, as a stream (constant memory). Lines it cannot
read are counted as skipped and reported.

Options:
  --json       print { total, skipped, lines, entries, other, timed, reasons: [...] }
  -h, --help   this help
`,
};
