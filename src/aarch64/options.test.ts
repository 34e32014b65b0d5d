import { describe, expect, it } from "vitest";
import { halt } from "../core/constructors";
import { VmExitError } from "../core/error";
import { aarch64Codec } from "./codec";
import { decodeAarch64, decodeAarch64Exit } from "./decode/decode";
import { canEncodeAarch64, encodeAarch64 } from "./encode";
import { explainAarch64 } from "./explain/snapshot";

// One rule for every entry point: options are absent, or a plain object whose keys are the
// entry's options with values of their type (`isMmio`: a function) — whatever the exit class.

function rejected(fn: () => unknown, field: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VmExitError);
    expect((e as VmExitError).code).toBe("invalid-argument");
    expect((e as VmExitError).field).toBe(field);
    expect((e as VmExitError).message).toContain(field);
    return;
  }
  expect.unreachable(`expected ${field} to be rejected`);
}

// WFI (0x06000000) reads no option; a store to an MMIO page (0x93810047) reads isMmio.
const WFI = { esr: 0x0600_0000 };
const STORE = { esr: 0x9381_0047, hpfar: 0x9_0000n, far: 0x10n, x: [0n, 7n] };

describe("AArch64 options", () => {
  const decoders = [
    ["decodeAarch64", (s: object, o: unknown) => decodeAarch64(s as never, o as never)],
    ["decodeAarch64Exit", (s: object, o: unknown) => decodeAarch64Exit(s as never, o as never)],
    ["explainAarch64", (s: object, o: unknown) => explainAarch64(s as never, o as never)],
    ["codec.decode", (s: object, o: unknown) => aarch64Codec.decode(s as never, o as never)],
  ] as const;

  for (const [name, run] of decoders) {
    it(`${name} rejects options that are not an object of known options, for any exit`, () => {
      for (const s of [WFI, STORE]) {
        rejected(() => run(s, 5), "options");
        rejected(() => run(s, null), "options");
        rejected(() => run(s, [() => true]), "options");
        rejected(() => run(s, { isMmio: 5 }), "options.isMmio");
        rejected(() => run(s, { isMmio: "yes" }), "options.isMmio");
        rejected(() => run(s, { cpuMode: 64 }), "options.cpuMode");
      }
    });
    it(`${name} accepts no options, {} and an isMmio function (or undefined)`, () => {
      for (const s of [WFI, STORE]) {
        expect(() => run(s, undefined)).not.toThrow();
        expect(() => run(s, {})).not.toThrow();
        expect(() => run(s, { isMmio: undefined })).not.toThrow();
        expect(() => run(s, { isMmio: () => false })).not.toThrow();
      }
    });
  }

  it("isMmio decides MMIO or NestedPageFault (the option is read, not only checked)", () => {
    expect(decodeAarch64Exit(STORE, { isMmio: () => true }).kind).toBe("MmioWrite");
    expect(decodeAarch64Exit(STORE, { isMmio: () => false }).kind).toBe("NestedPageFault");
  });

  it("encodeAarch64 and canEncodeAarch64 take no options and say so alike", () => {
    for (const run of [
      (o: unknown) => encodeAarch64(halt(), o as never),
      (o: unknown) => canEncodeAarch64(halt(), o as never),
    ]) {
      rejected(() => run(5), "options");
      rejected(() => run({ isMmio: () => true }), "options.isMmio");
      expect(() => run({})).not.toThrow();
      expect(() => run(undefined)).not.toThrow();
    }
    expect(canEncodeAarch64(halt(), {})).toBe(true);
    expect(encodeAarch64(halt(), {})).toStrictEqual({ esr: 0x0600_0000 });
  });
});
