import { show, VmExitError } from "../core/error";
import { VMX_EXIT_REASON_NAMES } from "../x86/index";
import {
  decimal,
  hexValue,
  malformed,
  prefixedHex32,
  prefixedHexBigint,
  prefixedHexValue,
} from "./hex";
import type { SvmTraceExit, TracePrefix, TraceVmxSnapshot, VmxTraceExit } from "./types";

/** Basic reason by the name `kvm_exit` prints, including the old name of reason 7. */
const VMX_CODE_BY_NAME: ReadonlyMap<string, number> = /* @__PURE__ */ (() => {
  const map = new Map<string, number>([["PENDING_INTERRUPT", 7]]);
  VMX_EXIT_REASON_NAMES.forEach((name, code) => {
    if (name !== undefined) map.set(name, code);
  });
  return map;
})();

/** Names of the exit-reason flag bits as `__print_flags` prints them (Linux `VMX_EXIT_REASON_FLAGS`). */
const VMX_FLAG_BY_NAME: ReadonlyMap<string, number> = new Map([["FAILED_VMENTRY", 0x8000_0000]]);

// AMD names are lowercase (`npf`, `io`, `avic_incomplete_ipi`, `idle-halt`) or `<XX> excp`.
const SVM_NAME = /^(?:[a-z][a-z0-9_-]*|[A-Z]{2} excp)$/;
const HEX_WORD = /^0x[0-9a-fA-F]{1,8}$/;
// Whitespace other than single blanks.
const ODD_BLANKS = /[^\S ]| {2}/;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The fields after the reason text, by key (`rip`, `info`, `info1`, …). */
interface Fields {
  rip?: bigint;
  info?: [string, string | undefined];
  info1?: number | bigint;
  info2?: number;
  intrInfo?: number;
  errorCode?: number;
  requests?: bigint;
}

const FIELD_KEYS = new Set([
  "rip",
  "info",
  "info1",
  "info2",
  "intr_info",
  "error_code",
  "requests",
]);

function readFields(tokens: readonly string[], from: number): Fields {
  const out: Fields = {};
  for (let i = from; i < tokens.length; i += 2) {
    const key = tokens[i] as string;
    const value = tokens[i + 1];
    if (value === undefined) break; // a line cut after its last key
    switch (key) {
      case "rip":
        out.rip = prefixedHexBigint(value, "rip");
        break;
      case "info":
        // Formats 1–3: `info %llx %llx`, two bare hex words.
        out.info = [value, tokens[i + 2]];
        i += 1;
        break;
      case "info1":
        out.info1 = prefixedHexValue(value, "info1");
        break;
      case "info2": {
        const v = prefixedHexValue(value, "info2");
        if (typeof v === "bigint" || v > 0xffff_ffff)
          throw malformed("info2", value, "a 32-bit value");
        out.info2 = v;
        break;
      }
      case "intr_info":
        out.intrInfo = prefixedHex32(value, "intr_info");
        break;
      case "error_code":
        out.errorCode = prefixedHex32(value, "error_code");
        break;
      case "requests":
        out.requests = prefixedHexBigint(value, "requests");
        break;
      default:
        // A field of a newer kernel: skip its value, keep reading.
        break;
    }
  }
  return out;
}

/** Full exit reason from the reason tokens (`HLT`, `INVALID_STATE FAILED_VMENTRY`, `0x4c`, `0x80000021`). */
function vmxReason(tokens: readonly string[]): { exitReason: number; name: string } | undefined {
  const first = tokens[0] as string;
  let exitReason: number;
  const code = VMX_CODE_BY_NAME.get(first);
  if (code !== undefined) {
    exitReason = code;
  } else if (HEX_WORD.test(first)) {
    exitReason = Number.parseInt(first.slice(2), 16);
  } else {
    return undefined;
  }
  for (let i = 1; i < tokens.length; i++) {
    const flag = tokens[i] as string;
    const bit = VMX_FLAG_BY_NAME.get(flag);
    if (bit !== undefined) exitReason |= bit;
    else if (HEX_WORD.test(flag)) exitReason |= Number.parseInt(flag.slice(2), 16);
    else throw malformed("reason", tokens.join(" "), "a VMX exit reason with flags");
  }
  exitReason >>>= 0;
  const basic = exitReason & 0xffff;
  return { exitReason, name: VMX_EXIT_REASON_NAMES[basic] ?? `0x${basic.toString(16)}` };
}

function snapshotOf(exitReason: number, f: Fields): TraceVmxSnapshot {
  const s: Mutable<TraceVmxSnapshot> = { exitReason };
  if (f.info !== undefined) {
    // Before Linux 235ba74f008d, info2 held the VM-exit interruption information.
    s.exitQualification = hexValue(f.info[0], "info");
    if (f.info[1] !== undefined) {
      const v = hexValue(f.info[1], "info");
      if (typeof v === "bigint" || v > 0xffff_ffff)
        throw malformed("info", f.info[1], "a 32-bit value");
      s.exitInterruptionInfo = v;
    }
  } else if (f.info1 !== undefined || f.intrInfo !== undefined) {
    if (f.info1 !== undefined) s.exitQualification = f.info1;
    if (f.info2 !== undefined) s.idtVectoringInfo = f.info2;
    if (f.intrInfo !== undefined) s.exitInterruptionInfo = f.intrInfo;
    if (f.errorCode !== undefined) s.exitInterruptionErrorCode = f.errorCode;
  }
  if (f.rip !== undefined) s.regs = { rip: f.rip };
  return s;
}

/** Parses the text of an x86 `kvm_exit` event (any of the five Linux formats, VMX or SVM). */
export function parseX86Exit(prefix: TracePrefix, body: string): VmxTraceExit | SvmTraceExit {
  // Linux prints single blanks; split on a regex only when the text has other whitespace.
  const tokens = ODD_BLANKS.test(body) ? body.split(/\s+/) : body.split(" ");
  let i = 0;
  let vcpu: number | undefined;
  if (tokens[0] === "vcpu") {
    vcpu = decimal(tokens[1] ?? "", "vcpu");
    i = 2;
  }
  if (tokens[i] !== "reason" || tokens[i + 1] === undefined) {
    throw new VmExitError(
      "malformed-trace",
      `kvm_exit must have a reason, got ${show(body)}`,
      "reason",
    );
  }
  let end = i + 1;
  while (end < tokens.length && !FIELD_KEYS.has(tokens[end] as string)) end++;
  const reasonTokens = tokens.slice(i + 1, end);
  const fields = readFields(tokens, end);
  const base: Mutable<Partial<VmxTraceExit>> = { type: "exit", prefix };
  if (vcpu !== undefined) base.vcpu = vcpu;
  if (fields.rip !== undefined) base.pc = fields.rip;
  const vmx = vmxReason(reasonTokens);
  if (vmx === undefined) {
    const name = reasonTokens.join(" ");
    if (!SVM_NAME.test(name)) throw malformed("reason", name, "a VMX or SVM exit reason name");
    return { ...base, arch: "x86-svm", name } as SvmTraceExit;
  }
  base.arch = "x86-vmx";
  base.name = vmx.name;
  base.code = vmx.exitReason & 0xffff;
  base.snapshot = snapshotOf(vmx.exitReason, fields);
  if (fields.requests !== undefined) base.requests = fields.requests;
  return base as VmxTraceExit;
}
