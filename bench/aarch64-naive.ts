// The naive AArch64 decoder: what a competent user writes by hand for the bench's mix when every
// register is a bigint. Each field is one BigInt shift and mask with constant operands, the
// exits come from the public (validating) constructors, and the cause is one object literal per
// class with the library's keys, names taken from the library's tables. It checks nothing the
// constructors do not, so it does less than the library; the bench asserts at load that it
// returns the library's exits and causes on the whole workload.
import type { Aarch64Snapshot } from "../src/aarch64/snapshot";
import { FSC_TABLE } from "../src/aarch64/tables/dfsc";
import { ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "../src/aarch64/tables/ec";
import {
  psciFunctionName,
  SMCCC_OWNER_NAMES,
  smcccOtherFunctionName,
} from "../src/aarch64/tables/psci";
import { sysRegNameOfFields } from "../src/aarch64/tables/sysreg-names";
import {
  cpuUp,
  externalInterrupt,
  halt,
  hypercall,
  mmioRead,
  mmioWrite,
  nestedPageFault,
  nothing,
  sysRegRead,
  sysRegWrite,
} from "../src/core/constructors";
import type { VmExit } from "../src/core/exit";

const WFX = ["WFI", "WFE", "WFIT", "WFET"] as const;
const DATA_MASKS = [0xffn, 0xffffn, 0xffff_ffffn, 0xffff_ffff_ffff_ffffn];

/** Xn as a bigint (31 is XZR). */
function xn(s: Aarch64Snapshot, n: number): bigint {
  return n === 31 ? 0n : BigInt(s.x?.[n] ?? 0);
}

/** The naive decoder: exit and cause. */
export function naiveDecode(s: Aarch64Snapshot): { exit: VmExit; cause: Record<string, unknown> } {
  if (s.exception === "irq") {
    const intid = BigInt(s.irq ?? 0);
    return {
      exit: externalInterrupt({ vector: intid }),
      cause: { arch: "aarch64", code: 0, name: "IRQ", class: "interrupt", exception: "irq", intid },
    };
  }
  const esr = BigInt(s.esr);
  const ec = Number((esr >> 26n) & 0x3fn);
  const il = ((esr >> 25n) & 1n) === 1n;
  const iss = Number(esr & 0x1ff_ffffn);
  const iss2 = Number((esr >> 32n) & 0xff_ffffn);
  const name = ESR_EC_NAMES[ec];
  const description = ESR_EC_DESCRIPTIONS[ec];
  if (ec === 0x24) {
    const isv = ((esr >> 24n) & 1n) === 1n;
    const sas = Number((esr >> 22n) & 3n);
    const sse = ((esr >> 21n) & 1n) === 1n;
    const srt = Number((esr >> 16n) & 0x1fn);
    const sf = ((esr >> 15n) & 1n) === 1n;
    const fnv = ((esr >> 10n) & 1n) === 1n;
    const wnr = ((esr >> 6n) & 1n) === 1n;
    const fsc = Number(esr & 0x3fn);
    const gpa =
      (((BigInt(s.hpfar ?? 0) >> 4n) & 0xfff_ffff_ffffn) << 12n) | (BigInt(s.far ?? 0) & 0xfffn);
    const info = FSC_TABLE[fsc];
    const width = (1 << sas) as 1 | 2 | 4 | 8;
    const mmio = isv && info?.fscClass === "translation";
    let exit: VmExit;
    if (!mmio) exit = nestedPageFault({ addr: gpa, accessFlags: wnr ? 2 : 1 });
    else if (wnr)
      exit = mmioWrite({ addr: gpa, width, data: xn(s, srt) & (DATA_MASKS[sas] as bigint) });
    else exit = mmioRead({ addr: gpa, width, reg: srt, regWidth: sf ? 8 : 4, signedExt: sse });
    return {
      exit,
      cause: {
        arch: "aarch64",
        code: ec,
        name,
        class: "data-abort",
        exception: "sync",
        description,
        il,
        iss,
        iss2,
        isv,
        sas,
        sse,
        srt,
        sf,
        ar: ((esr >> 14n) & 1n) === 1n,
        vncr: ((esr >> 13n) & 1n) === 1n,
        set: Number((esr >> 11n) & 3n),
        fnv,
        ea: ((esr >> 9n) & 1n) === 1n,
        cm: ((esr >> 8n) & 1n) === 1n,
        s1ptw: ((esr >> 7n) & 1n) === 1n,
        wnr,
        fsc,
        fscDescription: info?.description,
        fscClass: info?.fscClass,
        fscLevel: info?.level,
        gpa,
        farValid: !fnv,
        instruction: undefined,
        mmioSource: mmio ? "syndrome" : undefined,
        notMmio: mmio ? undefined : "ISV = 0 and no instruction word was supplied",
      },
    };
  }
  if (ec === 0x18) {
    const rt = Number((esr >> 5n) & 0x1fn);
    const read = (esr & 1n) === 1n;
    const addr = Number(esr & 0x3f_fc1en);
    const op0 = Number((esr >> 20n) & 3n);
    const op2 = Number((esr >> 17n) & 7n);
    const op1 = Number((esr >> 14n) & 7n);
    const crn = Number((esr >> 10n) & 0xfn);
    const crm = Number((esr >> 1n) & 0xfn);
    return {
      exit: read ? sysRegRead({ addr, reg: rt }) : sysRegWrite({ addr, value: xn(s, rt) }),
      cause: {
        arch: "aarch64",
        code: ec,
        name,
        class: "sys64",
        exception: "sync",
        description,
        il,
        iss,
        iss2,
        op0,
        op1,
        crn,
        crm,
        op2,
        rt,
        direction: read ? "read" : "write",
        sysRegAddr: addr,
        register: sysRegNameOfFields(op0, op1, crn, crm, op2),
        sgi: undefined,
        notSendIpi: undefined,
      },
    };
  }
  if (ec === 0x16) {
    const x0 = xn(s, 0);
    const fid = Number(x0 & 0xffff_ffffn);
    const psci = psciFunctionName(fid);
    const owner = (fid >>> 24) & 0x3f;
    const exit =
      fid === 0xc400_0003
        ? cpuUp({ targetCpu: xn(s, 1), entryPoint: xn(s, 2), arg: xn(s, 3) })
        : hypercall({
            nr: x0,
            args: [xn(s, 1), xn(s, 2), xn(s, 3), xn(s, 4), xn(s, 5), xn(s, 6)],
          });
    return {
      exit,
      cause: {
        arch: "aarch64",
        code: ec,
        name,
        class: "hvc-smc",
        exception: "sync",
        description,
        il,
        iss,
        iss2,
        conduit: "hvc",
        aarch32: false,
        imm16: Number(esr & 0xffffn),
        functionId: fid,
        callType: fid >>> 31 === 1 ? "fast" : "yielding",
        convention: ((fid >>> 30) & 1) === 1 ? 64 : 32,
        owner,
        ownerName: SMCCC_OWNER_NAMES[owner],
        functionNumber: fid & 0xffff,
        functionName: psci ?? smcccOtherFunctionName(fid),
        psciFunction: psci,
      },
    };
  }
  if (ec === 0x01) {
    const ti = Number(esr & 3n) as 0 | 1 | 2 | 3;
    return {
      exit: (ti & 1) === 0 ? halt() : nothing(),
      cause: {
        arch: "aarch64",
        code: ec,
        name,
        class: "wfx",
        exception: "sync",
        description,
        il,
        iss,
        iss2,
        ti,
        mnemonic: WFX[ti],
        rv: ((esr >> 2n) & 1n) === 1n,
        rn: Number((esr >> 5n) & 0x1fn),
        cv: ((esr >> 24n) & 1n) === 1n,
        cond: Number((esr >> 20n) & 0xfn),
      },
    };
  }
  throw new Error(`naive decoder: EC 0x${ec.toString(16)} is not in the bench's mix`);
}
