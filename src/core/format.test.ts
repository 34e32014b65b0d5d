import { describe, expect, it } from "vitest";
import {
  cpuUp,
  halt,
  hypercall,
  ioWrite,
  mmioRead,
  nestedPageFault,
  sendIpi,
  sysRegRead,
} from "./constructors";
import type { VmExit } from "./exit";
import { formatExit } from "./format";

describe("formatExit", () => {
  it("prints an MMIO read with hex address and decimal widths", () => {
    expect(
      formatExit(mmioRead({ addr: 0x9000000, width: 4, reg: 3, regWidth: 8, signedExt: false })),
    ).toBe("MmioRead { addr: 0x9000000, width: 4, reg: 3, regWidth: 8, signedExt: false }");
  });
  it("prints unit variants by name and hex for addresses, ports, data and values", () => {
    expect(formatExit(halt())).toBe("Halt");
    expect(formatExit(ioWrite({ port: 0x3f8, width: 1, data: 0x41 }))).toBe(
      "IoWrite { port: 0x3f8, width: 1, data: 0x41 }",
    );
    expect(formatExit(sysRegRead({ addr: 0x32f800, reg: 2 }))).toBe(
      "SysRegRead { addr: 0x32f800, reg: 2 }",
    );
    expect(formatExit(hypercall({ nr: 1, args: [2, 3, 4, 5, 6, 255] }))).toBe(
      "Hypercall { nr: 0x1, args: [0x2, 0x3, 0x4, 0x5, 0x6, 0xff] }",
    );
    expect(formatExit(nestedPageFault({ addr: 0x1000, accessFlags: 3 }))).toBe(
      "NestedPageFault { addr: 0x1000, accessFlags: READ | WRITE }",
    );
    expect(formatExit(cpuUp({ targetCpu: 1, entryPoint: 0x40080000, arg: 0 }))).toBe(
      "CpuUp { targetCpu: 0x1, entryPoint: 0x40080000, arg: 0x0 }",
    );
    expect(
      formatExit(
        sendIpi({
          targetCpu: 0,
          targetCpuAux: 0,
          sendToAll: true,
          sendToSelf: false,
          vector: 0xfd,
        }),
      ),
    ).toBe(
      "SendIPI { targetCpu: 0x0, targetCpuAux: 0x0, sendToAll: true, sendToSelf: false, vector: 0xfd }",
    );
  });
});

describe("formatExit of a value that is not a VmExit", () => {
  it("is a VmExitError saying what is wrong, never a TypeError or `[, , ]`", () => {
    const sparse = { kind: "Hypercall", nr: 0n, args: new Array(6) } as unknown as VmExit;
    expect(() => formatExit(sparse)).toThrow(
      expect.objectContaining({
        code: "invalid-argument",
        field: "exit",
        message: "exit must be a VmExit, but args[0] is a hole",
      }),
    );
    expect(() => formatExit(null as never)).toThrow(
      "exit must be a VmExit, but it is null, not an object",
    );
    expect(() => formatExit({ kind: "Nope" } as never)).toThrow('kind "Nope" is not an exit kind');
  });
});
