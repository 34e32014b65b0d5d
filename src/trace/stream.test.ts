// The line splitter: lines cut by a chunk's end are carried over and handed out whole, in an
// array of the same class as the chunks (a Node Buffer for Buffer chunks).
import { describe, expect, it } from "vitest";
import { LineSplitter } from "./stream";

function split(chunks: readonly Uint8Array[]): { lines: string[]; classes: unknown[] } {
  const lines: string[] = [];
  const classes: unknown[] = [];
  const s = new LineSplitter();
  const out = {
    line(buf: Uint8Array, start: number, end: number) {
      lines.push(new TextDecoder().decode(buf.subarray(start, end)));
      const proto: unknown = Object.getPrototypeOf(buf);
      if (!classes.includes(proto)) classes.push(proto);
    },
  };
  for (const c of chunks) s.push(c, out);
  s.end(out);
  return { lines, classes };
}

const text = "kvm_exit: reason HLT\nkvm_entry: vcpu 0\nkvm_exit: reason CPUID\n";

describe("LineSplitter", () => {
  it("hands a line carried over Buffer chunks out in a Buffer", () => {
    const bytes = Buffer.from(text);
    // cut inside every line: 7 + 20 + rest
    const { lines, classes } = split([
      bytes.subarray(0, 7),
      bytes.subarray(7, 27),
      bytes.subarray(27),
    ]);
    expect(lines).toEqual(["kvm_exit: reason HLT", "kvm_entry: vcpu 0", "kvm_exit: reason CPUID"]);
    expect(classes.length === 1 && classes[0] === Buffer.prototype).toBe(true);
  });

  it("carries lines of plain Uint8Array chunks in a Uint8Array", () => {
    const bytes = new TextEncoder().encode(text);
    const { lines, classes } = split([bytes.subarray(0, 5), bytes.subarray(5)]);
    expect(lines).toHaveLength(3);
    expect(classes.length === 1 && classes[0] === Uint8Array.prototype).toBe(true);
  });

  it("falls back to a Uint8Array when the chunk's class cannot be made with a length", () => {
    // views (what `subarray` asks its species for) work; a bare length does not
    class Odd extends Uint8Array {
      constructor(
        source: ArrayBuffer | ArrayLike<number> | number,
        offset?: number,
        length?: number,
      ) {
        if (typeof source === "number") throw new Error("no lengths here");
        if (source instanceof ArrayBuffer) super(source, offset, length);
        else super(source);
      }
    }
    const bytes = new TextEncoder().encode(text);
    const { lines, classes } = split([new Odd(bytes.subarray(0, 30)), new Odd(bytes.subarray(30))]);
    expect(lines).toEqual(["kvm_exit: reason HLT", "kvm_entry: vcpu 0", "kvm_exit: reason CPUID"]);
    // the lines wholly inside a chunk come in the chunk; the carried one in a plain array
    expect(classes.length).toBe(2);
    expect(classes[0] === Odd.prototype && classes[1] === Uint8Array.prototype).toBe(true);
  });
});
