// What an x86 `kvm_exit` reason text names: a VMX exit (full 32-bit exit reason with its flag
// bits) or an SVM exit (its exit code, when the SVM codec can name it). Resolved once per distinct
// spelling and cached.
import { codecs } from "../../codecs";
import type { AnyCodec } from "../../core/codec";
import { SVM_EXIT_CODE_NAMES, VMX_EXIT_REASON_NAMES } from "../../x86/index";
import type { LineRecord } from "./record";
import { Interner } from "./text";
import { REASON_HEX, REASON_UNKNOWN } from "./x86-exit";

/** What a reason text stands for. */
export interface X86Reason {
  /** Intel VMX or AMD SVM. */
  readonly arch: "x86-vmx" | "x86-svm";
  /** The canonical name: Linux's `kvm_exit` string, else the printed spelling. */
  readonly name: string;
  /** VMX: the basic reason (bits 15:0); SVM: the exit code (−1 … −4 for the negative ones), when known. */
  readonly code: number | undefined;
  /** VMX: the full 32-bit exit reason (basic reason and flag bits). */
  readonly exitReason: number;
  /** Why the text is not a reason, when it is not. */
  readonly error?: string;
}

/** Basic reason by the name `kvm_exit` prints, including the name of reason 7 before Linux 5.7. */
const VMX_CODE_BY_NAME: ReadonlyMap<string, number> = /* @__PURE__ */ (() => {
  const map = new Map<string, number>([["PENDING_INTERRUPT", 7]]);
  VMX_EXIT_REASON_NAMES.forEach((name, code) => {
    if (name !== undefined) map.set(name, code);
  });
  return map;
})();

/** Names of the exit-reason flag bits as `__print_flags` prints them (Linux `VMX_EXIT_REASON_FLAGS`). */
const VMX_FLAG_BY_NAME: ReadonlyMap<string, number> = new Map([["FAILED_VMENTRY", 0x8000_0000]]);

// Linux's SVM names are lower case (`npf`, `io`, `idle-halt`, `vmgexit_mmio_read`) or `XX excp`;
// libtraceevent prints `EXIT_` and the constant (`EXIT_NPF`, `EXIT_EXCP_PF`).
const SVM_NAME = /^(?:[a-z][a-z0-9_-]*|[A-Z]{2} excp|EXIT_[A-Z0-9_]+)$/;
const HEX_WORD = /^0x[0-9a-fA-F]{1,8}$/;

/** The SVM codec, once the registry has one. */
function svmCodec(): AnyCodec | undefined {
  const c = (codecs as Readonly<Record<string, AnyCodec | undefined>>)["x86-svm"];
  return c;
}

/**
 * The exit code the SVM codec gives a name (its exit-code key's name lookup), or undefined; the
 * negative codes (EXITCODE 2^64 − 1 … 2^64 − 4) as −1 … −4.
 */
function svmCode(name: string): number | undefined {
  const codec = svmCodec();
  if (codec === undefined) return undefined;
  for (const k of codec.snapshotKeys) {
    if (k.required === true && k.value.type === "named") {
      const v = k.value.lookup(name);
      return v === undefined ? undefined : Number(BigInt.asIntN(64, BigInt(v)));
    }
  }
  return undefined;
}

/** An SVM reason by exit code, named as Linux's `kvm_exit` prints it (one row per code in `stat`). */
function svm(code: number | undefined, text: string): X86Reason {
  const name = code === undefined ? undefined : SVM_EXIT_CODE_NAMES[code];
  return { arch: "x86-svm", name: name ?? text, code, exitReason: 0 };
}

/**
 * The exit code of an SVM `kvm_exit` reason printed as a number: `exit_reason` is a u32 there, so
 * 0xFFFFFFFC … 0xFFFFFFFF are the negative codes −4 … −1 cut to 32 bits (VMEXIT_INVALID prints as
 * `0xffffffff`, matching no entry of Linux's table).
 */
function svmCodeOfNumber(n: number): number {
  return n >= 0xffff_fffc && n <= 0xffff_ffff ? n - 0x1_0000_0000 : n;
}

function vmx(exitReason: number): X86Reason {
  const r = exitReason >>> 0;
  const basic = r & 0xffff;
  return {
    arch: "x86-vmx",
    name: VMX_EXIT_REASON_NAMES[basic] ?? `0x${basic.toString(16)}`,
    code: basic,
    exitReason: r,
  };
}

function invalid(text: string, expected: string): X86Reason {
  return { arch: "x86-vmx", name: text, code: undefined, exitReason: 0, error: expected };
}

/** Resolves a reason spelled by name (with VMX flags after it). */
function byName(text: string): X86Reason {
  const tokens = text.split(/\s+/);
  const first = tokens[0] as string;
  if (SVM_NAME.test(text)) return svm(svmCode(text), text);
  let exitReason: number;
  const code = VMX_CODE_BY_NAME.get(first);
  if (code !== undefined) exitReason = code;
  else if (HEX_WORD.test(first)) exitReason = Number.parseInt(first.slice(2), 16);
  else return invalid(text, "a VMX or SVM exit reason name");
  for (let i = 1; i < tokens.length; i++) {
    const flag = tokens[i] as string;
    const bit = VMX_FLAG_BY_NAME.get(flag);
    if (bit !== undefined) exitReason |= bit;
    else if (HEX_WORD.test(flag)) exitReason |= Number.parseInt(flag.slice(2), 16);
    else return invalid(text, "a VMX exit reason with flags");
  }
  return vmx(exitReason);
}

const names: Interner<X86Reason> = /* @__PURE__ */ new Interner(byName);

/** Which x86 vendor a trace's hex and `UNKNOWN (n)` reasons belong to: the last one named. */
export interface X86Flavour {
  /** `x86-svm` once an SVM reason was seen; else `x86-vmx`. */
  arch: "x86-vmx" | "x86-svm";
}

/** The reason of the x86 `kvm_exit` scanned into `r`. */
export function x86Reason(r: LineRecord, flavour: X86Flavour): X86Reason {
  if (r.n0 === REASON_HEX || r.n0 === REASON_UNKNOWN) {
    if (flavour.arch === "x86-svm") return svm(svmCodeOfNumber(r.n1), `0x${r.n1.toString(16)}`);
    return vmx(r.n1);
  }
  const reason = names.get(r.buf, r.textStart, r.textEnd).value;
  if (reason.error === undefined) flavour.arch = reason.arch;
  return reason;
}
