// The one-pass reader of the usual ftrace prefix, `<task>-<pid> [<cpu>] <flags> <secs>.<frac>:
// <event>: `, against the values the lines are written from: the fields come out as written,
// the fraction as nanoseconds (padded or cut to nine digits, computed here with strings), and any
// other shape is declined (-1). The reader takes shortcuts for the common widths (six fraction
// digits, five flag characters) and reads four bytes a step in its searches, so the cases walk
// those widths and every position of a searched byte modulo four.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EV_ENTRY, EV_EXIT, EV_MMIO, EV_OTHER, EV_PAGE_FAULT } from "./events";
import { quickPrefix } from "./quick-prefix";
import { LineRecord } from "./record";

interface Read {
  after: number;
  task?: string;
  pid?: number;
  cpu?: number;
  flags?: string | null;
  sec?: number;
  nsec?: number;
  name?: string;
  event?: number;
}

/** What `quickPrefix` reads from `text` (the line is the whole text, with `tail` bytes after it). */
function read(text: string, tail = ""): Read {
  const buf = new TextEncoder().encode(text + tail);
  const end = buf.length - new TextEncoder().encode(tail).length;
  const r = new LineRecord();
  const after = quickPrefix(r, buf, 0, end);
  if (after < 0) return { after };
  const s = (a: number, b: number) => new TextDecoder().decode(buf.subarray(a, b));
  return {
    after,
    task: s(r.taskStart, r.taskEnd),
    pid: r.pid,
    cpu: r.cpu,
    flags: r.flagsStart < 0 ? null : s(r.flagsStart, r.flagsEnd),
    sec: r.sec,
    nsec: r.nsec,
    name: s(r.nameStart, r.nameEnd),
    event: r.event,
  };
}

/** A fraction of 1–9 digits as nanoseconds: the digits padded with zeros to nine. */
const nanos = (frac: string) => Number(frac.slice(0, 9).padEnd(9, "0"));

describe("quickPrefix", () => {
  it("reads the usual line of a 6.x kernel", () => {
    const line = "  CPU 0/KVM-4121 [002] d..1. 1000.000003: kvm_exit: vcpu 0 reason HLT";
    expect(read(line)).toEqual({
      after: line.indexOf("kvm_exit:") + "kvm_exit:".length,
      task: "CPU 0/KVM",
      pid: 4121,
      cpu: 2,
      flags: "d..1.",
      sec: 1000,
      nsec: 3000,
      name: "kvm_exit",
      event: EV_EXIT,
    });
  });

  it("reads fractions of any width up to twelve digits, keeping nine", () => {
    // six digits (the local clock) take the shortcut; the others are read digit by digit
    for (const frac of [
      "5",
      "12",
      "000003",
      "1234567",
      "00000000123",
      "999999999",
      "123456789012",
    ]) {
      const r = read(` qemu-7 [001] d.h1. 12.${frac}: kvm_entry: vcpu 0`);
      expect(r.nsec, frac).toBe(nanos(frac));
      expect(r.event).toBe(EV_ENTRY);
    }
    expect(read(" qemu-7 [001] d.h1. 12.1234567890123: kvm_entry: vcpu 0").after).toBe(-1);
    expect(read(" qemu-7 [001] d.h1. 12.: kvm_entry: vcpu 0").after).toBe(-1);
  });

  it("takes a six-digit fraction only when no seventh digit follows and the line holds it", () => {
    // the seventh byte is a digit: seven digits, 1234567 → 123456700 ns
    expect(read(" a-1 [000] .... 3.1234567: kvm_exit: x").nsec).toBe(123_456_700);
    // the line ends right after six digits (the bytes after it are another line's)
    expect(read(" a-1 [000] .... 3.123456", ": kvm_exit: x").after).toBe(-1);
    expect(read(" a-1 [000] .... 3.12345a: kvm_exit: x").after).toBe(-1);
  });

  it("reads flags of any width up to eight, and none (perf)", () => {
    for (const flags of ["d", "d..1", "d..1.", "dNh1.X", "dNh1.X78"]) {
      expect(read(`  t-1 [003] ${flags} 7.000001: kvm_mmio: mmio`).flags, flags).toBe(flags);
    }
    expect(read("  t-1 [003] d..1.xxxx 7.000001: kvm_mmio: x").after).toBe(-1);
    const perf = read("    qemu-kvm-2841  [001] 1000.000006: kvm_exit:             reason HLT");
    expect(perf).toMatchObject({ task: "qemu-kvm", pid: 2841, cpu: 1, flags: null, sec: 1000 });
    // five flag characters at the line's end: no timestamp
    expect(read("  t-1 [003] d..1.").after).toBe(-1);
  });

  it("finds the CPU column at every offset, and only within 96 bytes", () => {
    for (let n = 1; n <= 12; n++) {
      const task = "abcdefghijkl".slice(0, n);
      expect(read(`${task}-42 [7] .... 1.5: kvm_exit: y`)).toMatchObject({ task, pid: 42, cpu: 7 });
    }
    expect(read(`${"x".repeat(90)}-42 [7] .... 1.5: kvm_exit: y`).after).toBe(-1);
    expect(read("no cpu column here-42 7 .... 1.5: kvm_exit: y").after).toBe(-1);
  });

  it("reads event names of every length, and declines one without a colon", () => {
    for (const [name, id] of [
      ["kvm_mmio", EV_MMIO],
      ["kvm_page_fault", EV_PAGE_FAULT],
      ["a", EV_OTHER],
      ["ab_", EV_OTHER],
      ["abcd", EV_OTHER],
      ["sched_switch", EV_OTHER],
    ] as const) {
      const line = ` t-9 [000] .... 1.000001: ${name}: body`;
      expect(read(line), name).toMatchObject({
        name,
        event: id,
        after: line.indexOf(`${name}:`) + name.length + 1,
      });
    }
    // a blank ends the name before its colon, at every offset
    for (const name of ["a b", "ab c", "abc d", "abcd e", "abcde f", "kvm mmio"]) {
      expect(read(` t-9 [000] .... 1.000001: ${name}: body`).after, name).toBe(-1);
    }
    expect(read(" t-9 [000] .... 1.000001: kvm_mmio").after).toBe(-1);
    expect(read(` t-9 [000] .... 1.000001: ${"e".repeat(70)}: body`).after).toBe(-1);
  });

  it("reads generated prefixes as they were written", () => {
    const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9/_ ]{0,14}[A-Za-z0-9]$/);
    fc.assert(
      fc.property(
        word,
        fc.integer({ min: 0, max: 4_194_304 }),
        fc.integer({ min: 0, max: 9999 }),
        fc.option(fc.stringMatching(/^[.a-zA-Z][.a-zA-Z0-9]{0,7}$/)),
        fc.integer({ min: 0, max: 10 ** 10 }),
        fc.stringMatching(/^[0-9]{1,12}$/),
        fc.constantFrom("kvm_exit", "kvm_entry", "kvm_mmio", "kvm_page_fault", "other_event"),
        (task, pid, cpu, flags, sec, frac, name) => {
          const cpuText = String(cpu).padStart(3, "0");
          const line = `  ${task}-${pid} [${cpuText}] ${flags === null ? "" : `${flags} `}${sec}.${frac}: ${name}: body`;
          const r = read(line, "9999999 x");
          expect(r).toMatchObject({
            task,
            pid,
            cpu,
            flags,
            sec,
            nsec: nanos(frac),
            name,
            after: line.indexOf(`: ${name}:`) + name.length + 3,
          });
        },
      ),
    );
  });
});
