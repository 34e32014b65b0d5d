import { describe, expect, it } from "vitest";
import { VmExitError } from "../error";
import { AccessWidth, accessWidth } from "./access-width";
import { guestPhysAddr } from "./guest-phys-addr";
import { formatMappingFlags, MappingFlags, mappingFlags } from "./mapping-flags";
import { port } from "./port";
import { sysRegAddr } from "./sys-reg-addr";

function rejects(fn: () => unknown, code: string, field: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VmExitError);
    expect((e as VmExitError).code).toBe(code);
    expect((e as VmExitError).field).toBe(field);
    return;
  }
  expect.unreachable("expected a VmExitError");
}

describe("guestPhysAddr", () => {
  it("accepts 0 and 2^64−1 and numbers", () => {
    expect(guestPhysAddr(0n)).toBe(0n);
    expect(guestPhysAddr(2n ** 64n - 1n)).toBe(18446744073709551615n);
    expect(guestPhysAddr(0x9000000)).toBe(0x9000000n);
    expect(guestPhysAddr(Number.MAX_SAFE_INTEGER)).toBe(9007199254740991n);
  });
  it("rejects 2^64, −1, unsafe and fractional numbers", () => {
    rejects(() => guestPhysAddr(2n ** 64n), "out-of-range", "addr");
    rejects(() => guestPhysAddr(-1n), "out-of-range", "addr");
    rejects(() => guestPhysAddr(-1), "invalid-argument", "addr");
    rejects(() => guestPhysAddr(2 ** 53), "out-of-range", "addr");
    rejects(() => guestPhysAddr(1.5), "invalid-argument", "addr");
    rejects(() => guestPhysAddr(Number.NaN), "invalid-argument", "addr");
    rejects(() => guestPhysAddr("1" as unknown as number), "invalid-argument", "addr");
  });
  it("names the value in the message", () => {
    expect(() => guestPhysAddr(2n ** 64n)).toThrow("got 0x10000000000000000");
  });
});

describe("port", () => {
  it("accepts 0 and 0xFFFF", () => {
    expect(port(0)).toBe(0);
    expect(port(0xffff)).toBe(65535);
  });
  it("rejects 0x10000, −1, fractions and bigints", () => {
    rejects(() => port(0x10000), "out-of-range", "port");
    rejects(() => port(-1), "out-of-range", "port");
    rejects(() => port(1.5), "invalid-argument", "port");
    rejects(() => port(1n as unknown as number), "invalid-argument", "port");
    expect(() => port(0x10000)).toThrow("got 65536 (0x10000)");
  });
});

describe("sysRegAddr", () => {
  it("accepts 0 and 0xFFFF_FFFF (CNTPCT_EL0 = 0x32F800)", () => {
    expect(sysRegAddr(0)).toBe(0);
    expect(sysRegAddr(0xffff_ffff)).toBe(4294967295);
    expect(sysRegAddr(0x32f800)).toBe(3340288);
  });
  it("rejects 2^32 and negatives", () => {
    rejects(() => sysRegAddr(0x1_0000_0000), "out-of-range", "addr");
    rejects(() => sysRegAddr(-1), "out-of-range", "addr");
  });
});

describe("accessWidth", () => {
  it("accepts 1, 2, 4, 8 and has the axvcpu names", () => {
    expect([1, 2, 4, 8].map((w) => accessWidth(w))).toEqual([1, 2, 4, 8]);
    expect(AccessWidth).toEqual({ Byte: 1, Word: 2, Dword: 4, Qword: 8 });
  });
  it("rejects 0, 3, 16 and non-numbers", () => {
    for (const w of [0, 3, 5, 16, -1]) rejects(() => accessWidth(w), "out-of-range", "width");
    rejects(() => accessWidth("4" as unknown as number), "invalid-argument", "width");
    rejects(() => accessWidth(3, "regWidth"), "out-of-range", "regWidth");
  });
});

describe("mappingFlags", () => {
  it("has the axaddrspace bit values", () => {
    expect(MappingFlags).toEqual({
      READ: 1,
      WRITE: 2,
      EXECUTE: 4,
      USER: 8,
      DEVICE: 16,
      UNCACHED: 32,
    });
  });
  it("accepts every subset of 0x3F and rejects other bits", () => {
    expect(mappingFlags(0)).toBe(0);
    expect(mappingFlags(0x3f)).toBe(63);
    rejects(() => mappingFlags(0x40), "out-of-range", "accessFlags");
    rejects(() => mappingFlags(-1), "out-of-range", "accessFlags");
    rejects(() => mappingFlags(0.5), "invalid-argument", "accessFlags");
  });
  it("formats names in bit order", () => {
    expect(formatMappingFlags(0)).toBe("(empty)");
    expect(formatMappingFlags(0b101)).toBe("READ | EXECUTE");
    expect(formatMappingFlags(0x3f)).toBe("READ | WRITE | EXECUTE | USER | DEVICE | UNCACHED");
  });
});

describe("-0 and bad flags", () => {
  it("constructors store -0 as the number zero, so the exit stays valid JSON-wise", () => {
    expect(Object.is(port(-0), 0)).toBe(true);
    expect(Object.is(sysRegAddr(-0), 0)).toBe(true);
    expect(Object.is(mappingFlags(-0), 0)).toBe(true);
  });

  it("formatMappingFlags refuses bits that are not flags instead of dropping them", () => {
    expect(() => formatMappingFlags(0x41)).toThrow(
      expect.objectContaining({ code: "out-of-range", field: "flags" }),
    );
    expect(() => formatMappingFlags("3" as never)).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "flags" }),
    );
    expect(formatMappingFlags(0x21)).toBe("READ | UNCACHED");
  });
});
