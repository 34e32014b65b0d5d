// Pairing: each `kvm_exit` opens its vCPU's exit; the companion events of that vCPU join it; the
// vCPU's next `kvm_entry` (or next `kvm_exit`, or the end of the trace) closes it. A vCPU is
// named by the thread id when the line prints one (one thread runs one vCPU, and a thread id is
// unique across VMs while `vcpu N` is not), else by the `vcpu N` field, else by the task name,
// else by the host CPU column — never by adjacency. One open exit per vCPU, at most `maxOpen`
// vCPUs at once (the oldest is closed first), so memory does not grow with the trace.
import type { LineRecord } from "../scan/record";
import { textOf } from "../scan/text";
import { VcpuState } from "./state";
import { storeCompanion, storeExit } from "./store";

/** Closed by the vCPU's next `kvm_entry`. */
export const BY_ENTRY = 0;
/** Closed by the vCPU's next `kvm_exit` (its `kvm_entry` was not in the trace). */
export const BY_EXIT = 1;
/** Still open at the end of the trace. */
export const AT_END = 2;
/** Closed early: more than `maxOpen` vCPUs had an open exit. */
export const EVICTED = 3;

/** Receives each exit as it closes. */
export interface JoinSink {
  /**
   * A closed exit: `how` is `BY_ENTRY`, `BY_EXIT`, `AT_END` or `EVICTED`; `ns` the handling time
   * (entry − exit) or -1 when not timed; `entryLine` the closing `kvm_entry` line or 0. The state
   * is reused after the call returns.
   */
  close(st: VcpuState, how: number, ns: number, entryLine: number): void;
}

const BY_VCPU = -(2 ** 33);
const BY_CPU = -(2 ** 40);
const NO_KEY = -(2 ** 52);

/** The vCPU a line belongs to (see the file comment). */
export function vcpuKey(r: LineRecord): number | string {
  if (r.pid >= 0) return r.pid;
  if (r.vcpu >= 0) return BY_VCPU - r.vcpu;
  if (r.taskStart >= 0) return textOf(r.buf, r.taskStart, r.taskEnd);
  if (r.cpu >= 0) return BY_CPU - r.cpu;
  return NO_KEY;
}

/** The per-vCPU open exits of a trace. */
export class Joiner {
  readonly #sink: JoinSink;
  readonly #maxVcpus: number;
  /** Every vCPU seen (its state is reused from exit to exit), oldest first; at most `maxVcpus`. */
  readonly #states = new Map<number | string, VcpuState>();
  /** Exits without a thread id, by host CPU (-1: no CPU either), for companions that print neither; null when two share one. */
  readonly #byCpu = new Map<number, VcpuState | null>();
  /** Exits closed early because too many vCPUs were open. */
  evicted = 0;

  constructor(sink: JoinSink, maxVcpus = 4096) {
    this.#sink = sink;
    this.#maxVcpus = maxVcpus;
  }

  #close(st: VcpuState, how: number, ns: number, entryLine: number): void {
    if (st.pid < 0) {
      const alias = this.#byCpu.get(st.cpu);
      if (alias === st || alias === null) this.#byCpu.delete(st.cpu);
    }
    st.open = false;
    this.#sink.close(st, how, ns, entryLine);
    st.extra = undefined;
  }

  /** Opens the exit of the `kvm_exit` line in `r`; returns its state. */
  exit(r: LineRecord, line: number): VcpuState {
    const key = vcpuKey(r);
    let st = this.#states.get(key);
    if (st === undefined) {
      if (this.#states.size >= this.#maxVcpus) {
        // forget the vCPU seen first (closing its exit, untimed, if it is open)
        const [oldKey, oldest] = this.#states.entries().next().value as [
          number | string,
          VcpuState,
        ];
        if (oldest.open) {
          this.evicted++;
          this.#close(oldest, EVICTED, -1, 0);
        }
        this.#states.delete(oldKey);
      }
      st = new VcpuState();
      st.key = key;
      this.#states.set(key, st);
    } else if (st.open) {
      this.#close(st, BY_EXIT, -1, 0);
    }
    storeExit(st, r, line);
    if (r.pid < 0) {
      const other = this.#byCpu.get(r.cpu);
      this.#byCpu.set(r.cpu, other === undefined ? st : null);
    }
    return st;
  }

  /** The open exit a companion line belongs to, or undefined. */
  find(r: LineRecord): VcpuState | undefined {
    const st = this.#states.get(vcpuKey(r));
    if (st !== undefined) return st.open ? st : undefined;
    if (r.pid >= 0 || r.vcpu >= 0) return undefined;
    const alias = this.#byCpu.get(r.cpu);
    return alias?.open === true ? alias : undefined;
  }

  /** Joins the companion event in `r` to `st`. */
  join(st: VcpuState, r: LineRecord): void {
    storeCompanion(st, r);
  }

  /** Closes the open exit of the `kvm_entry` line's vCPU; false when it had none. */
  entry(r: LineRecord, line: number): boolean {
    const st = this.find(r);
    if (st === undefined) return false;
    let ns = -1;
    if (st.sec >= 0 && r.sec >= 0) {
      const d = (r.sec - st.sec) * 1e9 + (r.nsec - st.nsec);
      if (d >= 0) ns = d;
    }
    this.#close(st, BY_ENTRY, ns, line);
    return true;
  }

  /** The open exits (a shard's tails, for the merge). */
  openStates(): VcpuState[] {
    const out: VcpuState[] = [];
    for (const st of this.#states.values()) if (st.open) out.push(st);
    return out;
  }

  /** Takes over an open exit from another joiner (a shard's tail); an open exit of the same vCPU is closed first. */
  adopt(st: VcpuState): void {
    const prev = this.#states.get(st.key);
    if (prev?.open === true) this.#close(prev, BY_EXIT, -1, 0);
    this.#states.delete(st.key);
    this.#states.set(st.key, st);
  }

  /** Closes the open exit of vCPU `key`, if any, as closed by its next `kvm_exit`. */
  closeByExit(key: number | string): void {
    const st = this.#states.get(key);
    if (st?.open === true) this.#close(st, BY_EXIT, -1, 0);
  }

  /** Closes every open exit (end of the trace), oldest vCPU first. */
  end(): void {
    for (const st of this.#states.values()) if (st.open) this.#close(st, AT_END, -1, 0);
  }
}
