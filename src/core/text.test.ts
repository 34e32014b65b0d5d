import { describe, expect, it } from "vitest";
import type { ValueSpec } from "./codec";
import { formatValue, parseBytes, parseUnsigned, parseValue } from "./text";

describe("parseUnsigned", () => {
  it.each([
    ["0", 0n],
    ["4096", 4096n],
    ["0x93810047", 0x93810047n],
    ["0X9381_0047", 0x93810047n],
    ["1_000_000", 1_000_000n],
    [" 0xff ", 0xffn],
    ["0xffffffffffffffff", 2n ** 64n - 1n],
  ])("reads %j", (text, value) => {
    expect(parseUnsigned(text, "v")).toBe(value);
  });

  it.each([
    ["0b101", "invalid-argument"],
    ["0o17", "invalid-argument"],
    ["0_x_c", "invalid-argument"],
    ["_1", "invalid-argument"],
    ["1_", "invalid-argument"],
    ["1__0", "invalid-argument"],
    ["0x", "invalid-argument"],
    ["", "invalid-argument"],
    ["1e3", "invalid-argument"],
    ["0x1_0000_0000_0000_0000", "out-of-range"],
    ["-1", "out-of-range"],
  ])("rejects %j as %s, naming the field", (text, code) => {
    expect(() => parseUnsigned(text, "esr")).toThrow(
      expect.objectContaining({ code, field: "esr" }),
    );
  });

  it("says a negative value is negative, and checks 32-bit limits", () => {
    expect(() => parseUnsigned("-0x10", "x")).toThrow(/negative value "-0x10"/);
    expect(() => parseUnsigned("0x100000000", "r", 32)).toThrow(/fit in 32 bits/);
    expect(parseUnsigned("0xffffffff", "r", 32)).toBe(0xffff_ffffn);
  });
});

describe("parseValue and formatValue", () => {
  const named: ValueSpec = {
    type: "named",
    bits: 32,
    lookup: (n) => (n === "HLT" ? 12 : undefined),
  };

  it("read each kind of value", () => {
    expect(parseValue({ type: "u32" }, "0x10", "f")).toBe(16);
    expect(parseValue({ type: "u64" }, "16", "f")).toBe(16n);
    expect(parseValue({ type: "bytes" }, "8b 07", "f")).toEqual([0x8b, 0x07]);
    expect(parseValue({ type: "bytes" }, "", "f")).toEqual([]);
    expect(parseValue({ type: "choice", values: [32, 64] }, "32", "f")).toBe(32);
    expect(parseValue({ type: "choice", values: ["sync", "irq"] }, "irq", "f")).toBe("irq");
    expect(parseValue(named, "HLT", "f")).toBe(12);
    expect(parseValue(named, "48", "f")).toBe(48);
    expect(parseValue({ type: "boolean" }, "false", "f")).toBe(false);
    expect(parseValue({ type: "boolean" }, "", "f")).toBe(true);
  });

  it("reject what does not fit, naming the field", () => {
    expect(() => parseValue(named, "NOPE", "exitReason")).toThrow(/exitReason must be a name/);
    expect(() => parseValue({ type: "choice", values: [32, 64] }, "16", "xlen")).toThrow(
      'xlen must be one of 32, 64, got "16"',
    );
    expect(() => parseValue({ type: "function" }, "x", "isMmio")).toThrow(/cannot be given/);
    expect(() => parseValue({ type: "boolean" }, "maybe", "b")).toThrow(/true or false/);
    expect(() => parseBytes("8", "bytes")).toThrow(/hex bytes/);
    expect(() => parseBytes("zz", "bytes")).toThrow(/hex bytes/);
  });

  it("write back what they read", () => {
    expect(formatValue({ type: "u64" }, 0x93n)).toBe("0x93");
    expect(formatValue({ type: "bytes" }, new Uint8Array([0x8b, 7]))).toBe("8b07");
    expect(formatValue({ type: "choice", values: [32] }, 32)).toBe("32");
    // a function option has no text form: writing one is a rejection, not String(value)
    expect(() => formatValue({ type: "function" }, "f")).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "value" }),
    );
  });
});

describe("text functions with wrongly typed arguments", () => {
  const invalid = (field: string) => expect.objectContaining({ code: "invalid-argument", field });

  it("parseUnsigned, parseBytes and parseValue name the argument", () => {
    expect(() => parseUnsigned(5 as never, "esr")).toThrow(invalid("esr"));
    expect(() => parseUnsigned(Object.create(null) as never, "esr")).toThrow(invalid("esr"));
    expect(() => parseUnsigned("1", Symbol("f") as never)).toThrow(invalid("field"));
    // only 32 and 64 bits: 16 used to be read as 32 silently
    expect(() => parseUnsigned("1", "esr", 16 as never)).toThrow(invalid("bits"));
    expect(() => parseBytes(null as never, "bytes")).toThrow(invalid("bytes"));
    expect(() => parseValue(undefined as never, "1", "f")).toThrow(invalid("spec"));
    expect(() => parseValue({ type: "nope" } as never, "1", "f")).toThrow(invalid("spec"));
    expect(() => parseValue({ type: "u64" }, 1 as never, "f")).toThrow(invalid("f"));
  });

  it("formatValue refuses values its spec cannot hold instead of printing them", () => {
    // these printed "0x-1", "1,2" and threw a TypeError before
    expect(() => formatValue({ type: "u64" }, -1)).toThrow(invalid("value"));
    expect(() => formatValue({ type: "u32" }, 2n ** 32n)).toThrow(invalid("value"));
    expect(() => formatValue({ type: "bytes" }, [256])).toThrow(invalid("value"));
    const sparse = [1, 0, 2];
    delete sparse[1];
    expect(() => formatValue({ type: "bytes" }, sparse)).toThrow(invalid("value"));
    expect(() => formatValue({ type: "choice", values: [32, 64] }, 16)).toThrow(invalid("value"));
    expect(() => formatValue({ type: "boolean" }, "true")).toThrow(invalid("value"));
    expect(() => formatValue({ type: "u64" }, Object.create(null))).toThrow(invalid("value"));
    expect(() => formatValue(null as never, 1)).toThrow(invalid("spec"));
    expect(formatValue({ type: "u32" }, 0xffff_ffff)).toBe("0xffffffff");
    expect(formatValue({ type: "boolean" }, false)).toBe("false");
    expect(formatValue({ type: "bytes" }, [])).toBe("");
  });
});
