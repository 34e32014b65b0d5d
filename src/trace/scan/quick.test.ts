// The quick readers of the kernel's own `kvm_exit` spellings against the general readers: on
// every text a quick reader accepts, the general reader accepts it too and records the same
// values; on the texts it declines, it records nothing. Texts are the kernel's formats with
// generated values, and the same texts mutated (bytes inserted, deleted, replaced, cut).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isArmExit, quickArmExit, scanArmExit } from "./arm-exit";
import { LineRecord } from "./record";
import { isRiscvExit, quickRiscvExit, scanRiscvExit } from "./riscv-exit";
import { isX86Exit, quickX86Exit, scanX86Exit } from "./x86-exit";

/** What a body reader records, slot values only where read. */
function recorded(r: LineRecord): unknown {
  const slots: (readonly [number, number] | undefined)[] = [];
  for (let i = 0; i < r.hi.length; i++)
    slots.push(r.has(i) ? [r.hi[i] as number, r.lo[i] as number] : undefined);
  return {
    vcpu: r.vcpu,
    set: r.set,
    slots,
    n: [r.n0, r.n1, r.n2, r.n3, r.n4, r.n5, r.n6, r.n7],
    text: [r.textStart, r.textEnd],
  };
}

function recordOf(text: string): { r: LineRecord; n: number } {
  const r = new LineRecord();
  r.buf = new TextEncoder().encode(text);
  r.start = 0;
  r.end = r.buf.length;
  r.reset();
  return { r, n: r.buf.length };
}

const NOTHING = recorded(recordOf("").r);

const hex = (bits: number) =>
  fc
    .tuple(fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }), fc.nat(18), fc.boolean())
    .map(([v, pad, upper]) => {
      const s = v.toString(16).padStart(pad, "0");
      return upper ? s.toUpperCase() : s;
    });
const dec = fc.oneof(fc.nat(4096), fc.nat()).map(String);
const reasonName = fc.constantFrom(
  "EPT_VIOLATION",
  "HLT",
  "MSR_WRITE",
  "npf",
  "EXIT_NPF",
  "rip",
  "info",
  "UNKNOWN",
  "0x30",
  "INVALID_STATE",
);

const x86New = fc
  .tuple(dec, reasonName, hex(64), hex(64), hex(64), hex(33), hex(33), fc.option(hex(64)))
  .map(
    ([v, name, rip, i1, i2, intr, err, req]) =>
      `vcpu ${v} reason ${name} rip 0x${rip} info1 0x${i1} info2 0x${i2} intr_info 0x${intr} error_code 0x${err}${req === null ? "" : ` requests 0x${req}`}`,
  );
const x86Old = fc
  .tuple(fc.option(dec), reasonName, hex(64), hex(64), hex(64))
  .map(
    ([v, name, rip, a, b]) =>
      `${v === null ? "" : `vcpu ${v} `}reason ${name} rip 0x${rip} info ${a} ${b}`,
  );
const arm = fc
  .tuple(
    fc.constantFrom("TRAP", "IRQ", "SERROR", "HYP_GONE", "0x3", "TRAPS"),
    hex(7),
    fc.constantFrom("DABT_LOW", "UNKNOWN", "SYS64", "SCAUSE:", "a b", "", "x".repeat(45)),
    hex(64),
  )
  .map(([type, ec, name, pc]) => `${type}: HSR_EC: 0x${ec} (${name}), PC: 0x${pc}`);
const riscv = fc
  .tuple(hex(64), hex(64), hex(64), hex(64), hex(64))
  .map(
    ([a, b, c, d, e]) => `SEPC:0x${a}, SCAUSE:0x${b}, STVAL:0x${c}, HTVAL:0x${d}, HTINST:0x${e}`,
  );

const edit = fc.record({
  at: fc.nat(),
  del: fc.nat(3),
  ins: fc.constantFrom("", " ", "\t", ",", ":", "0", "x", "f", "F", "g", "(", ")", "9", "-", "  "),
});

/** A text and the same text with a few edits, or cut. */
function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    base,
    fc.tuple(base, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([text, edits]) => {
      let t = text;
      for (const { at, del, ins } of edits) {
        const p = at % (t.length + 1);
        t = t.slice(0, p) + ins + t.slice(p + del);
      }
      return t;
    }),
    fc.tuple(base, fc.nat()).map(([text, cut]) => text.slice(0, cut % (text.length + 1))),
  );
}

type Reader = (r: LineRecord, s: number, e: number) => boolean;

/** Checks `quick` against `general` (which is the reader for the text when `isFormat` says so). */
function agrees(text: string, quick: Reader, general: Reader, isFormat: (t: string) => boolean) {
  const q = recordOf(text);
  const accepted = quick(q.r, 0, q.n);
  if (!accepted) {
    expect(recorded(q.r)).toEqual(NOTHING);
    return false;
  }
  expect(isFormat(text)).toBe(true);
  const g = recordOf(text);
  expect(general(g.r, 0, g.n)).toBe(true);
  expect(recorded(q.r)).toEqual(recorded(g.r));
  return true;
}

const bytes = (t: string) => new TextEncoder().encode(t);
const isX86 = (t: string) => isX86Exit(bytes(t), 0, bytes(t).length);
// scanExit tries x86, then RISC-V, then arm64
const isRiscv = (t: string) => !isX86(t) && isRiscvExit(bytes(t), 0, bytes(t).length);
const isArm = (t: string) => !isRiscv(t) && !isX86(t) && isArmExit(bytes(t), 0, bytes(t).length);

describe("quick readers of the kernel's kvm_exit spellings", () => {
  const cases: readonly [string, fc.Arbitrary<string>, Reader, Reader, (t: string) => boolean][] = [
    ["x86 (current)", x86New, quickX86Exit, scanX86Exit, isX86],
    ["x86 (info A B)", x86Old, quickX86Exit, scanX86Exit, isX86],
    ["arm64", arm, quickArmExit, scanArmExit, isArm],
    ["RISC-V", riscv, quickRiscvExit, scanRiscvExit, isRiscv],
  ];
  for (const [name, base, quick, general, isFormat] of cases) {
    it(`${name}: read as the general reader reads it, or not at all`, () => {
      fc.assert(
        fc.property(mutated(base), (text) => {
          agrees(text, quick, general, isFormat);
        }),
        { numRuns: 3000 },
      );
    });
  }

  it("take the kernel's spellings themselves", () => {
    const lines = [
      "vcpu 1 reason EPT_VIOLATION rip 0xffffffff81178ca0 info1 0x0000000000000182 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000 requests 0x0000000000000000",
      "vcpu 0 reason HLT rip 0x1 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000",
      "reason EPT_VIOLATION rip 0xffffffff8105e6ce info 184 0",
      "vcpu 2 reason npf rip 0x2000 info 100000006 fee00300",
    ];
    for (const l of lines) expect(agrees(l, quickX86Exit, scanX86Exit, isX86)).toBe(true);
    expect(
      agrees(
        "TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800080029f40",
        quickArmExit,
        scanArmExit,
        isArm,
      ),
    ).toBe(true);
    expect(
      agrees(
        "SEPC:0xffffffff80a027f4, SCAUSE:0x16, STVAL:0x10500073, HTVAL:0x0, HTINST:0x0",
        quickRiscvExit,
        scanRiscvExit,
        isRiscv,
      ),
    ).toBe(true);
    // what they leave to the general readers
    for (const l of [
      "vcpu 0, reason HLT rip 0x1 info 0 0",
      "reason 0x30 rip 0x1 info 0 0",
      "reason UNKNOWN (74) rip 0x1 info 0 0",
      "reason INVALID_STATE FAILED_VMENTRY rip 0x1 info 0 0",
      "vcpu 0 reason HLT rip 0x1 info1 0x0 info2 0x0 intr_info 0x100000000 error_code 0x0",
    ]) {
      expect(agrees(l, quickX86Exit, scanX86Exit, isX86)).toBe(false);
    }
    expect(agrees("0x3: HSR_EC: 0x0000 (UNKNOWN), PC: 0x1", quickArmExit, scanArmExit, isArm)).toBe(
      false,
    );
  });
});
