import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitrariesByArch } from "../arbitraries/index";
import { ARCHES, codecs } from "../codecs";
import type { AnyCodec } from "./codec";
import { findSnapshotKey, normalizeKey, snapshotFromText, snapshotToText } from "./snapshot-text";

describe("snapshotFromText", () => {
  const vmx: AnyCodec = codecs["x86-vmx"];

  it("reads keys by name or alias, ignoring case, - and _", () => {
    expect(normalizeKey("Exit-Info_1")).toBe("exitinfo1");
    expect(findSnapshotKey(vmx.snapshotKeys, "EXIT_QUALIFICATION")?.key).toBe("exitQualification");
    expect(
      snapshotFromText(vmx.snapshotKeys, [
        ["reason", "EPT_VIOLATION"],
        ["qual", "0x181"],
        ["gpa", "0x1050"],
        ["bytes", "8b07"],
        ["rdi", "0x1050"],
      ]),
    ).toEqual({
      exitReason: 48,
      exitQualification: 0x181n,
      guestPhysicalAddress: 0x1050n,
      instructionBytes: [0x8b, 0x07],
      regs: { rdi: 0x1050n },
    });
    expect(
      snapshotFromText(codecs.riscv.snapshotKeys, [
        ["scause", "10"],
        ["a7", "1"],
      ]),
    ).toEqual({
      scause: 10n,
      x: [
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        1n,
      ],
    });
  });

  it.each([
    [[["nope", "1"]], "invalid-argument", "nope", /unknown snapshot key "nope"/],
    [
      [
        ["reason", "1"],
        ["exitReason", "2"],
      ],
      "invalid-argument",
      "exitReason",
      /given twice/,
    ],
    [[["qual", "1"]], "missing-register", "exitReason", /needs exitReason=…/],
    [[["reason", "x"]], "invalid-argument", "exitReason", /must be a name/],
  ])("rejects %j", (pairs, code, field, message) => {
    expect(() => snapshotFromText(vmx.snapshotKeys, pairs as [string, string][])).toThrow(
      expect.objectContaining({ code, field, message: expect.stringMatching(message) }),
    );
  });

  it("reads back what snapshotToText writes, for every codec's snapshots", () => {
    for (const arch of ARCHES) {
      const codec: AnyCodec = codecs[arch];
      fc.assert(
        fc.property(arbitrariesByArch[arch].snapshot(), (snapshot) => {
          const text = snapshotToText(codec.snapshotKeys, snapshot);
          const again = snapshotFromText(codec.snapshotKeys, text);
          expect(snapshotToText(codec.snapshotKeys, again)).toEqual(text);
        }),
        { numRuns: 200 },
      );
    }
  });
});

describe("snapshot text with wrongly typed arguments", () => {
  const keys = codecs["x86-vmx"].snapshotKeys;
  const invalid = (field: string) => expect.objectContaining({ code: "invalid-argument", field });

  it("names the argument or the pair", () => {
    expect(() => snapshotFromText(undefined as never, [])).toThrow(invalid("keys"));
    expect(() => snapshotFromText([{ key: "a" }] as never, [])).toThrow(invalid("keys"));
    expect(() => snapshotFromText(keys, 5 as never)).toThrow(invalid("pairs"));
    expect(() => snapshotFromText(keys, [["reason", "12"], ["qual"]] as never)).toThrow(
      invalid("pairs[1]"),
    );
    expect(() => snapshotFromText(keys, [["reason", 12]] as never)).toThrow(invalid("pairs[0]"));
    expect(() => snapshotToText(keys, null as never)).toThrow(invalid("snapshot"));
    expect(() => snapshotToText(null as never, {})).toThrow(invalid("keys"));
  });

  it("snapshotToText names the key whose value cannot be written", () => {
    expect(() => snapshotToText(keys, { exitReason: -1 })).toThrow(invalid("exitReason"));
    expect(() => snapshotToText(keys, { exitReason: 12, instructionBytes: [0x8b, 300] })).toThrow(
      invalid("instructionBytes"),
    );
  });
});
