import { halt, nothing } from "../core/constructors";
import type { DecodedExit } from "../core/decoded";
import type { Aarch64OtherCause, Aarch64SErrorCause, Aarch64WfxCause } from "./cause";
import { ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "./ec";
import type { Aarch64Exception } from "./snapshot";

const WFX_NAMES = ["WFI", "WFE", "WFIT", "WFET"] as const;

/** EC 0x01: TI 0 WFI and 2 WFIT → `Halt`; TI 1 WFE and 3 WFET → `Nothing`. */
export function decodeWfx(
  exception: Aarch64Exception,
  ec: number,
  lo: number,
  hi: number,
): DecodedExit<Aarch64WfxCause> {
  const ti = (lo & 3) as 0 | 1 | 2 | 3;
  return {
    exit: (ti & 1) === 0 ? halt() : nothing(),
    cause: {
      arch: "aarch64",
      code: ec,
      name: ESR_EC_NAMES[ec] as string,
      class: "wfx",
      group: "wfx",
      exception,
      description: ESR_EC_DESCRIPTIONS[ec] as string,
      il: ((lo >>> 25) & 1) === 1,
      iss: lo & 0x1ff_ffff,
      iss2: hi & 0xff_ffff,
      ti,
      instruction: WFX_NAMES[ti],
      rv: ((lo >>> 2) & 1) === 1,
      rn: (lo >>> 5) & 31,
      cv: ((lo >>> 24) & 1) === 1,
      cond: (lo >>> 20) & 15,
    },
  };
}

/** An SError (exception `serror` or EC 0x2F) → `Nothing`, with the SError ISS dissected. */
export function decodeSError(
  exception: Aarch64Exception,
  _ec: number,
  lo: number,
  hi: number,
): DecodedExit<Aarch64SErrorCause> {
  return {
    exit: nothing(),
    cause: {
      arch: "aarch64",
      code: 0x2f,
      name: "SERROR",
      class: "serror",
      group: "serror",
      exception,
      description: ESR_EC_DESCRIPTIONS[0x2f] as string,
      il: ((lo >>> 25) & 1) === 1,
      iss: lo & 0x1ff_ffff,
      iss2: hi & 0xff_ffff,
      ids: ((lo >>> 24) & 1) === 1,
      aet: (lo >>> 10) & 7,
      ea: ((lo >>> 9) & 1) === 1,
      dfsc: lo & 0x3f,
    },
  };
}

/** Any other allocated EC → `Nothing`, the ISS left for `explainEsr`. */
export function decodeOther(
  exception: Aarch64Exception,
  ec: number,
  lo: number,
  hi: number,
): DecodedExit<Aarch64OtherCause> {
  return {
    exit: nothing(),
    cause: {
      arch: "aarch64",
      code: ec,
      name: ESR_EC_NAMES[ec] as string,
      class: "other",
      group: "other",
      exception,
      description: ESR_EC_DESCRIPTIONS[ec] as string,
      il: ((lo >>> 25) & 1) === 1,
      iss: lo & 0x1ff_ffff,
      iss2: hi & 0xff_ffff,
    },
  };
}
