import type { Aarch64Exception, Aarch64Snapshot } from "../aarch64/index";
import { RISCV_ABI_NAMES, type RiscvSnapshot } from "../riscv/index";
import { VMX_EXIT_REASON_NAMES, type VmxSnapshot, X86_REG_NAMES, type X86Reg } from "../x86/index";
import { CliError } from "./error";
import { parseBigint, parseBytes, parseU32 } from "./values";

/** How a `key=value` argument is stored in a snapshot. */
type Kind = "u64" | "u32" | "bytes" | "exception" | "xlen" | "reason";

/** Where `key` goes: a snapshot field, a register slot (`x`, `regs`) and the value kind. */
interface Slot {
  readonly field: string;
  readonly kind: Kind;
  readonly index?: number | string;
}

type SlotTable = ReadonlyMap<string, Slot>;

const X86_REGS: readonly X86Reg[] = [...X86_REG_NAMES, "rip"];

function table(rows: readonly (readonly [string[], Slot])[]): SlotTable {
  const map = new Map<string, Slot>();
  for (const [keys, slot] of rows) for (const key of keys) map.set(key.toLowerCase(), slot);
  return map;
}

const VMX_SLOTS: SlotTable = table([
  [["exitReason", "reason"], { field: "exitReason", kind: "reason" }],
  [["exitQualification", "qualification", "qual"], { field: "exitQualification", kind: "u64" }],
  [["guestPhysicalAddress", "gpa"], { field: "guestPhysicalAddress", kind: "u64" }],
  [["guestLinearAddress", "gla"], { field: "guestLinearAddress", kind: "u64" }],
  [["exitInterruptionInfo", "intrInfo"], { field: "exitInterruptionInfo", kind: "u32" }],
  [["exitInterruptionErrorCode", "errorCode"], { field: "exitInterruptionErrorCode", kind: "u32" }],
  [["idtVectoringInfo", "idtInfo"], { field: "idtVectoringInfo", kind: "u32" }],
  [["instructionLength", "length"], { field: "instructionLength", kind: "u32" }],
  [["instructionInfo"], { field: "instructionInfo", kind: "u32" }],
  [["instructionBytes", "bytes"], { field: "instructionBytes", kind: "bytes" }],
  ...X86_REGS.map((r): [string[], Slot] => [[r], { field: "regs", kind: "u64", index: r }]),
]);

const AARCH64_SLOTS: SlotTable = table([
  [["esr"], { field: "esr", kind: "u64" }],
  [["far"], { field: "far", kind: "u64" }],
  [["hpfar"], { field: "hpfar", kind: "u64" }],
  [["exception"], { field: "exception", kind: "exception" }],
  [["irq"], { field: "irq", kind: "u64" }],
  [["instruction", "insn"], { field: "instruction", kind: "u32" }],
  ...Array.from({ length: 31 }, (_, i): [string[], Slot] => [
    [`x${i}`],
    { field: "x", kind: "u64", index: i },
  ]),
]);

const RISCV_SLOTS: SlotTable = table([
  [["scause"], { field: "scause", kind: "u64" }],
  [["stval"], { field: "stval", kind: "u64" }],
  [["htval"], { field: "htval", kind: "u64" }],
  [["htinst"], { field: "htinst", kind: "u64" }],
  [["instruction", "insn"], { field: "instruction", kind: "u32" }],
  [["xlen"], { field: "xlen", kind: "xlen" }],
  ...Array.from({ length: 32 }, (_, i): [string[], Slot] => [
    i === 0 ? [`x${i}`] : [`x${i}`, RISCV_ABI_NAMES[i] as string],
    { field: "x", kind: "u64", index: i },
  ]),
]);

const EXCEPTIONS: readonly Aarch64Exception[] = ["sync", "irq", "fiq", "serror"];

function vmxReason(text: string): number {
  const named = VMX_EXIT_REASON_NAMES.indexOf(text.toUpperCase());
  return named >= 0 ? named : parseU32(text, "exitReason");
}

function value(slot: Slot, key: string, text: string): unknown {
  switch (slot.kind) {
    case "u64":
      return parseBigint(text, key);
    case "u32":
      return parseU32(text, key);
    case "bytes":
      return parseBytes(text, key);
    case "reason":
      return vmxReason(text);
    case "exception":
      if ((EXCEPTIONS as readonly string[]).includes(text)) return text;
      throw new CliError(`exception must be one of ${EXCEPTIONS.join(", ")}, got "${text}"`);
    case "xlen":
      if (text === "32" || text === "64") return Number(text);
      throw new CliError(`xlen must be 32 or 64, got "${text}"`);
  }
}

function build(slots: SlotTable, args: readonly string[], arch: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0) throw new CliError(`expected key=value, got "${arg}"`);
    const key = arg.slice(0, eq);
    const slot = slots.get(key.toLowerCase());
    if (slot === undefined) {
      throw new CliError(`unknown ${arch} snapshot key "${key}" (see vmexit decode --help)`);
    }
    const v = value(slot, key, arg.slice(eq + 1));
    if (slot.index === undefined) {
      out[slot.field] = v;
    } else if (typeof slot.index === "number") {
      out[slot.field] ??= [];
      (out[slot.field] as unknown[])[slot.index] = v;
    } else {
      out[slot.field] ??= {};
      (out[slot.field] as Record<string, unknown>)[slot.index] = v;
    }
  }
  return out;
}

function needField(snapshot: Record<string, unknown>, field: string, arch: string): void {
  if (snapshot[field] === undefined) throw new CliError(`${arch} snapshot needs ${field}=…`);
}

/** Builds a `VmxSnapshot` from `key=value` arguments (`exitReason` may be a name: `reason=HLT`). */
export function vmxSnapshotArgs(args: readonly string[]): VmxSnapshot {
  const s = build(VMX_SLOTS, args, "vmx");
  needField(s, "exitReason", "vmx");
  return s as unknown as VmxSnapshot;
}

/** Builds an `Aarch64Snapshot` from `key=value` arguments. */
export function aarch64SnapshotArgs(args: readonly string[]): Aarch64Snapshot {
  const s = build(AARCH64_SLOTS, args, "aarch64");
  needField(s, "esr", "aarch64");
  return s as unknown as Aarch64Snapshot;
}

/** Builds a `RiscvSnapshot` from `key=value` arguments (registers by number or ABI name). */
export function riscvSnapshotArgs(args: readonly string[]): RiscvSnapshot {
  const s = build(RISCV_SLOTS, args, "riscv");
  needField(s, "scause", "riscv");
  return s as unknown as RiscvSnapshot;
}

/** The keys each architecture accepts, for `--help`. */
export const SNAPSHOT_KEYS = {
  vmx: "exitReason|reason (number or name), exitQualification|qual, guestPhysicalAddress|gpa, guestLinearAddress|gla, exitInterruptionInfo|intrInfo, exitInterruptionErrorCode|errorCode, idtVectoringInfo|idtInfo, instructionLength|length, instructionInfo, instructionBytes|bytes (hex), rax…r15, rip",
  aarch64: "esr, far, hpfar, exception (sync|irq|fiq|serror), irq, instruction|insn, x0…x30",
  riscv:
    "scause, stval, htval, htinst, instruction|insn, xlen (32|64), x0…x31 or ABI names (ra, sp, a0…a7, …)",
} as const;
