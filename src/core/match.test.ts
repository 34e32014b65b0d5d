import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { vmExit } from "../arbitraries/index";
import { halt, ioRead, nothing } from "./constructors";
import { VmExitError } from "./error";
import { EXIT_KINDS, type ExitKind, type VmExit } from "./exit";
import { type ExhaustiveHandlers, match } from "./match";

const byKind = Object.fromEntries(
  EXIT_KINDS.map((k) => [k, (e: VmExit) => `${k}:${e.kind}`]),
) as unknown as ExhaustiveHandlers;

describe("match", () => {
  it("calls the handler of the exit's kind with the exit", () => {
    fc.assert(
      fc.property(vmExit(), (e) => {
        expect(match(e, byKind)).toBe(`${e.kind}:${e.kind}`);
      }),
    );
  });
  it("falls back to _ for kinds without a handler", () => {
    const seen: ExitKind[] = [];
    const result = match(ioRead({ port: 0x60, width: 1 }), {
      Halt: () => 1,
      _: (e) => {
        seen.push(e.kind);
        return 2;
      },
    });
    expect(result).toBe(2);
    expect(seen).toEqual(["IoRead"]);
    expect(match(halt(), { Halt: () => 1, _: () => 2 })).toBe(1);
  });
  it("passes the narrowed exit to the handler", () => {
    const port = match(ioRead({ port: 0x3f8, width: 1 }), { IoRead: (e) => e.port, _: () => -1 });
    expect(port).toBe(0x3f8);
  });
  it("throws VmExitError when a forced partial record has no handler", () => {
    const handlers = { Halt: () => 1 } as unknown as ExhaustiveHandlers;
    expect(() => match(nothing(), handlers)).toThrow(VmExitError);
    expect(() => match(nothing(), handlers)).toThrow("no handler for Nothing");
  });
  it("throws VmExitError for a value that is not an exit", () => {
    const notAnExit = { kind: "Reboot" } as unknown as VmExit;
    expect(() => match(notAnExit, byKind)).toThrow('match needs a VmExit, got kind "Reboot"');
  });
});

describe("match with wrongly typed arguments", () => {
  const invalid = (field: string) => expect.objectContaining({ code: "invalid-argument", field });

  it("is a VmExitError naming the argument, never a TypeError", () => {
    expect(() => match(halt(), undefined as never)).toThrow(invalid("handlers"));
    expect(() => match(halt(), null as never)).toThrow(invalid("handlers"));
    expect(() => match(undefined as never, byKind)).toThrow(invalid("exit"));
    expect(() => match(null as never, byKind)).toThrow(invalid("exit"));
    expect(() => match(5 as never, byKind)).toThrow(invalid("exit"));
    expect(() => match(halt(), { Halt: 5 } as never)).toThrow(invalid("handlers.Halt"));
    expect(() => match(halt(), { _: "x" } as never)).toThrow(invalid("handlers"));
  });

  it("lets a handler's own error through unchanged", () => {
    const mine = new TypeError("mine");
    expect(() =>
      match(halt(), {
        _: () => {
          throw mine;
        },
      }),
    ).toThrow(mine);
  });
});
