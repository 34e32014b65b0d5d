import { describe, expect, it } from "vitest";
import { keepFrozen, sharedTable, U32Memo } from "./memo";

describe("U32Memo", () => {
  it("keeps the first value of a key, frozen, and gives it back", () => {
    const memo = new U32Memo<{ v: number }>();
    expect(memo.get(0x3f8)).toBeUndefined();
    const a = memo.keep(0x3f8, { v: 1 });
    expect(Object.isFrozen(a)).toBe(true);
    expect(memo.get(0x3f8)).toBe(a);
    // a second keep of the same key does not replace it
    const b = memo.keep(0x3f8, { v: 2 });
    expect(b).toEqual({ v: 2 });
    expect(Object.isFrozen(b)).toBe(false);
    expect(memo.get(0x3f8)).toBe(a);
  });

  it("tells keys apart, 0 and 2^32 − 1 included", () => {
    const memo = new U32Memo<{ k: number }>();
    for (const k of [0, 1, 0xffff_ffff, 0x8000_0000]) memo.keep(k, { k });
    for (const k of [0, 1, 0xffff_ffff, 0x8000_0000]) expect(memo.get(k)).toEqual({ k });
    expect(memo.get(2)).toBeUndefined();
  });

  it("never gives one key's value for another, however many keys share slots", () => {
    const memo = new U32Memo<{ k: number }>();
    // 5000 keys in 1024 slots: most slots are taken by the first key that reached them
    const keys = Array.from({ length: 5000 }, (_, i) => (i * 0x9e37_79b9 + 7) >>> 0);
    for (const k of keys) memo.keep(k, { k });
    let kept = 0;
    for (const k of keys) {
      const v = memo.get(k);
      if (v !== undefined) {
        expect(v.k).toBe(k);
        kept++;
      }
    }
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(1024);
  });
});

describe("sharedTable and keepFrozen", () => {
  it("start empty, then keep each index's first value frozen", () => {
    const table = sharedTable<{ vector: number }>(256);
    expect(table).toHaveLength(256);
    expect(table.every((v) => v === undefined)).toBe(true);
    const first = table[0x20] ?? keepFrozen(table, 0x20, { vector: 0x20 });
    expect(Object.isFrozen(first)).toBe(true);
    expect(table[0x20]).toBe(first);
    // the next use of the index finds it; other indexes stay empty
    expect(table[0x20] ?? keepFrozen(table, 0x20, { vector: -1 })).toBe(first);
    expect(table.filter((v) => v !== undefined)).toHaveLength(1);
  });
});
