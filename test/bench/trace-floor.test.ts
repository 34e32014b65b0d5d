// The bench's floor trace reader reads what it claims on the bench's generated trace: every line
// exactly once however a file is cut into two parts, every `kvm_exit`, and every number of the
// bodies it reads. The expected counts come from the text itself (line ends, event names, and a
// regular expression for the numbers), not from the reader.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { floorRead } from "../../bench/trace-floor";
import { mixedTrace } from "../../bench/trace-workload";

const lines: string[] = [];
mixedTrace(40, (l) => lines.push(l), 3);
const text = `${lines.join("\n")}\n`;
const dir = mkdtempSync(join(tmpdir(), "vmexit-floor-"));
const file = join(dir, "mixed.trace");
writeFileSync(file, text);
// the generated trace is ASCII: a byte offset is a string index
const size = Buffer.byteLength(text);
if (size !== text.length) throw new Error("the generated trace is not ASCII");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The event name of an ftrace line: the word before the second `: `. */
function eventOf(line: string): string {
  const body = line.slice(line.indexOf(": ") + 2);
  return body.slice(0, body.indexOf(":"));
}

/**
 * The numbers of a body as the floor reads them: `0x` and its hex digits anywhere, else a run of
 * decimal digits after a blank or `(`.
 */
function numbersOf(line: string): number {
  const body = line.slice(line.indexOf(": ") + 2);
  const rest = body.slice(body.indexOf(":") + 1);
  return rest.match(/0x[0-9a-fA-F]*|(?<=[ (])[0-9]+/g)?.length ?? 0;
}

describe("floorRead (bench/trace-floor.ts)", () => {
  it("reads every line, every kvm_exit and every body number of the whole file", () => {
    const read = floorRead(file, 0, size);
    expect(read.lines).toBe(lines.length);
    expect(read.exits).toBe(lines.filter((l) => eventOf(l) === "kvm_exit").length);
    const bodies = lines.filter((l) => eventOf(l) !== "kvm_entry");
    expect(read.numbers).toBe(bodies.reduce((n, l) => n + numbersOf(l), 0));
    expect(read.numbers).toBeGreaterThan(lines.length);
  });

  it("reads each line in exactly one of two parts, wherever the file is cut", () => {
    const whole = floorRead(file, 0, size);
    for (let cut = 0; cut <= size; cut++) {
      const a = floorRead(file, 0, cut);
      const b = floorRead(file, cut, size);
      // the lines that start before the cut are the first part's: the first line, and one
      // after each line end before the cut's last byte
      const ends = text.slice(0, Math.max(0, cut - 1)).split("\n").length - 1;
      const before = cut === 0 ? 0 : 1 + ends;
      expect(a.lines, `cut at ${cut}`).toBe(before);
      expect(a.lines + b.lines, `cut at ${cut}`).toBe(whole.lines);
      expect((a.sum + b.sum) | 0, `cut at ${cut}`).toBe(whole.sum);
    }
  });
});
