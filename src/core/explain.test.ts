import { describe, expect, it } from "vitest";
import { explainNode, formatExplain } from "./explain";

describe("formatExplain", () => {
  it("prints one line per field, sub-fields indented, single bits as [n]", () => {
    // ESR 0x93810047: EC [31:26] = 0x24, IL [25] = 1, ISS [24:0] with ISV [24] = 1
    const tree = [
      explainNode("EC", 31, 26, 0x24, "Data Abort from a lower EL"),
      explainNode("IL", 25, 25, 1),
      explainNode("ISS", 24, 0, 0x1810047, undefined, [explainNode("ISV", 24, 24, 1, "valid")]),
    ];
    expect(formatExplain(tree)).toBe(
      [
        "EC [31:26] = 0x24  Data Abort from a lower EL",
        "IL [25] = 0x1",
        "ISS [24:0] = 0x1810047",
        "  ISV [24] = 0x1  valid",
      ].join("\n"),
    );
  });

  it("refuses what is not a field tree, naming where", () => {
    const invalid = (message: string) =>
      expect.objectContaining({
        code: "invalid-argument",
        field: "nodes",
        message: expect.stringContaining(message),
      });
    expect(() => formatExplain(null as never)).toThrow(invalid("got null"));
    expect(() => formatExplain([{ name: "EC" }] as never)).toThrow(invalid("at nodes[0]"));
    expect(() =>
      formatExplain([{ name: "EC", bits: [1, 0], value: 1n, children: [5] }] as never),
    ).toThrow(invalid("at nodes[0].children[0]"));
    expect(() => formatExplain([], 5 as never)).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "indent" }),
    );
  });
});
