import { describe, expectTypeOf, it } from "vitest";
import { mmioRead, nestedPageFault } from "../constructors";
import type { MmioReadExit } from "../exit";
import { AccessWidth, accessWidth } from "./access-width";
import { type GuestPhysAddr, guestPhysAddr } from "./guest-phys-addr";
import { MappingFlags } from "./mapping-flags";
import { type Port, port } from "./port";
import { type SysRegAddr, sysRegAddr } from "./sys-reg-addr";

describe("branded scalars", () => {
  it("brand the constructor results", () => {
    expectTypeOf(guestPhysAddr(1n)).toEqualTypeOf<GuestPhysAddr>();
    expectTypeOf(port(1)).toEqualTypeOf<Port>();
    expectTypeOf(sysRegAddr(1)).toEqualTypeOf<SysRegAddr>();
    expectTypeOf(accessWidth(4)).toEqualTypeOf<1 | 2 | 4 | 8>();
    expectTypeOf(AccessWidth.Dword).toEqualTypeOf<4>();
    expectTypeOf(MappingFlags.READ).toEqualTypeOf<MappingFlags>();
  });
  it("reject plain numbers where a brand is required", () => {
    const takesGpa = (_a: GuestPhysAddr) => {};
    const takesPort = (_p: Port) => {};
    const takesSysReg = (_s: SysRegAddr) => {};
    const takesFlags = (_f: MappingFlags) => {};
    // @ts-expect-error a plain bigint is not a GuestPhysAddr
    takesGpa(1n);
    // @ts-expect-error a plain number is not a Port
    takesPort(0x3f8);
    // @ts-expect-error a plain number is not a SysRegAddr
    takesSysReg(0x830);
    // @ts-expect-error a plain number is not a MappingFlags
    takesFlags(1);
    // @ts-expect-error a Port is not a SysRegAddr
    takesSysReg(port(1));
    takesGpa(guestPhysAddr(1n));
    takesPort(port(0x3f8));
  });
  it("brand exit fields while constructors take plain values", () => {
    const exit = mmioRead({ addr: 0x9000000, width: 4, reg: 3, regWidth: 8, signedExt: false });
    expectTypeOf(exit).toEqualTypeOf<MmioReadExit>();
    expectTypeOf(exit.addr).toEqualTypeOf<GuestPhysAddr>();
    expectTypeOf(exit.width).toEqualTypeOf<AccessWidth>();
    expectTypeOf(
      nestedPageFault({ addr: 1n, accessFlags: 3 }).accessFlags,
    ).toEqualTypeOf<MappingFlags>();
    // @ts-expect-error a string is not an address
    mmioRead({ addr: "0x10", width: 4, reg: 3, regWidth: 8, signedExt: false });
    // @ts-expect-error a missing field is a compile error
    mmioRead({ addr: 1n, width: 4, reg: 3, regWidth: 8 });
  });
});
