// libtraceevent prints `CAN'T FIND FIELD "rip"` (or `<CANT FIND FIELD exit_code>`) into an event's
// text when its kvm plugin asks for a field the kernel no longer has, then the kernel's own text.
import { ascii, skipBlanks, startsWith } from "./bytes";

const CANT = /* @__PURE__ */ ascii(`CAN'T FIND FIELD "`);
const ANGLE = /* @__PURE__ */ ascii("<CANT FIND FIELD ");

/** Position after any `CAN'T FIND FIELD` blurbs (and blanks) at `pos`. */
export function skipBlurbs(buf: Uint8Array, pos: number, end: number): number {
  for (;;) {
    let p = pos;
    if (startsWith(buf, p, end, CANT)) {
      p += CANT.length;
      while (p < end && buf[p] !== 0x22) p++;
      p = Math.min(end, p + 1);
    } else if (startsWith(buf, p, end, ANGLE)) {
      p += ANGLE.length;
      while (p < end && buf[p] !== 0x3e) p++;
      p = Math.min(end, p + 1);
    } else {
      return pos;
    }
    pos = skipBlanks(buf, p, end);
  }
}
