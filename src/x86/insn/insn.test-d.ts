import { describe, expectTypeOf, it } from "vitest";
import {
  canEncodeX86MemAccess,
  decodeX86MemAccess,
  encodeX86MemAccess,
  type X86MemAccess,
  type X86MemAccessSpec,
  type X86MemAccessUnsupported,
} from "./index";

describe("x86 MOV codec types", () => {
  it("decode returns an access or an unsupported reason, narrowed by `in`", () => {
    const r = decodeX86MemAccess(new Uint8Array([0x8b, 0x00]), 64);
    expectTypeOf(r).toEqualTypeOf<X86MemAccess | X86MemAccessUnsupported>();
    if ("unsupported" in r) {
      expectTypeOf(r.unsupported).toEqualTypeOf<string>();
    } else {
      expectTypeOf(r.width).toEqualTypeOf<1 | 2 | 4 | 8>();
      expectTypeOf(r.regWidth).toEqualTypeOf<1 | 2 | 4 | 8>();
      expectTypeOf(r.reg).toEqualTypeOf<number | undefined>();
      expectTypeOf(r.immediate).toEqualTypeOf<bigint | undefined>();
      expectTypeOf(r.mnemonic).toEqualTypeOf<"MOV" | "MOVZX" | "MOVSX" | "MOVSXD">();
      expectTypeOf(r.direction).toEqualTypeOf<"read" | "write">();
      expectTypeOf(r.prefixes).toEqualTypeOf<readonly string[]>();
    }
  });

  it("accepts readonly number arrays and only modes 16, 32, 64", () => {
    const bytes: readonly number[] = [0x8b, 0x00];
    decodeX86MemAccess(bytes, 32);
    // @ts-expect-error 8-bit mode does not exist
    decodeX86MemAccess(bytes, 8);
    // @ts-expect-error bytes are numbers, not a string
    decodeX86MemAccess("8b00", 64);
  });

  it("access fields are readonly", () => {
    const a = {} as X86MemAccess;
    // @ts-expect-error readonly
    a.width = 4;
    // @ts-expect-error readonly array
    a.prefixes.push("66");
  });

  it("a decoded access is a valid encoder input", () => {
    const a = {} as X86MemAccess;
    expectTypeOf(encodeX86MemAccess(a, 64)).toEqualTypeOf<Uint8Array>();
    expectTypeOf(canEncodeX86MemAccess(a, 16)).toEqualTypeOf<boolean>();
  });

  it("the encoder input is checked", () => {
    const ok: X86MemAccessSpec = {
      direction: "read",
      width: 4,
      reg: 0,
      regWidth: 8,
      signedExt: true,
    };
    encodeX86MemAccess(ok, 64);
    // @ts-expect-error width 3 is not an access size
    encodeX86MemAccess({ direction: "read", width: 3, reg: 0, regWidth: 4, signedExt: false }, 64);
    // @ts-expect-error direction is read or write
    encodeX86MemAccess({ direction: "rw", width: 4, reg: 0, regWidth: 4, signedExt: false }, 64);
    encodeX86MemAccess(
      // @ts-expect-error immediate is a bigint
      { direction: "write", width: 4, regWidth: 4, signedExt: false, immediate: 1 },
      64,
    );
  });
});
