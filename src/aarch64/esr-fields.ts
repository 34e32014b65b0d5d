import type { Aarch64EsrFields } from "./cause";
import { ESR_EC_DESCRIPTIONS } from "./ec";
import type { Aarch64Exception } from "./snapshot";

/** The fields every ESR-based cause shares, from the ESR's 32-bit halves. */
export function esrFields(
  exception: Aarch64Exception,
  ec: number,
  lo: number,
  hi: number,
): Aarch64EsrFields {
  return {
    exception,
    description: ESR_EC_DESCRIPTIONS[ec] as string,
    il: ((lo >>> 25) & 1) === 1,
    iss: lo & 0x1ff_ffff,
    iss2: hi & 0xff_ffff,
  };
}
