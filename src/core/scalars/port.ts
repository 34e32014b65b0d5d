import { toInt } from "../u64";

declare const PortBrand: unique symbol;

/** An x86 I/O port number, 0…0xFFFF (type-only brand). */
export type Port = number & {
  /** The type-only brand (no such property exists at run time). */
  readonly [PortBrand]: true;
};

/** Validates and brands an I/O port number. */
/* @__NO_SIDE_EFFECTS__ */
export function port(v: number): Port {
  return toInt(v, "port", 0, 0xffff) as Port;
}
