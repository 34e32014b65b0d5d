import { show, VmExitError } from "../core/error";
import { companionOf, entryOf, eventName, exitOf, prefixOf } from "./materialize";
import { EV_ENTRY, EV_EXIT, EV_NESTED_VMEXIT, EV_NONE, EV_OTHER } from "./scan/events";
import { scanBody } from "./scan/line";
import { scanPrefix } from "./scan/prefix";
import { LineRecord } from "./scan/record";
import { bytesOf } from "./stream";
import type { TraceLine } from "./types";

const record = /* @__PURE__ */ new LineRecord();

/**
 * Parses one line of ftrace / `trace-cmd report` / `perf script` text: a `kvm_exit`, a
 * `kvm_entry`, a companion event (`kvm_mmio`, `kvm_pio`, `kvm_guest_fault`, …), another event, or
 * `undefined` when the line has no `event:` column at all. A `kvm_exit`, `kvm_entry` or companion
 * line whose fields cannot be read throws `VmExitError("malformed-trace")` naming the field.
 * Time is linear in the line's length, whatever it holds.
 * @example parseTraceLine("CPU 0/KVM-4121 [002] d..1. 3481.220026: kvm_exit: vcpu 0 reason HLT rip 0x1")
 */
export function parseTraceLine(line: string): TraceLine | undefined {
  if (typeof line !== "string") {
    throw new VmExitError("invalid-argument", `line must be a string, got ${show(line)}`, "line");
  }
  const r = record;
  r.buf = bytesOf(line);
  r.start = 0;
  r.end = r.buf.length;
  scanPrefix(r);
  if (r.event === EV_NONE) return undefined;
  if (r.event === EV_OTHER || r.event === EV_NESTED_VMEXIT) {
    return { type: "other", prefix: prefixOf(r), event: eventName(r) };
  }
  if (!scanBody(r, { arch: "x86-vmx" })) throw r.error();
  if (r.event === EV_EXIT) return exitOf(r);
  if (r.event === EV_ENTRY) return entryOf(r);
  return companionOf(r);
}
