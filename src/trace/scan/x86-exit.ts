// The text of an x86 `kvm_exit` event, in every spelling Linux and libtraceevent print:
//
//   vcpu %u reason %s%s%s rip 0x%lx info1 0x%016llx info2 0x%016llx intr_info 0x%08x
//        error_code 0x%08x [requests 0x%016llx]          (5.7+, requests since 6.x)
//   vcpu %u reason %s rip 0x%lx info %llx %llx           (2019–2020)
//   reason %s rip 0x%lx info %llx %llx                   (older kernels, and libtraceevent's kvm
//                                                         plugin on any kernel)
//
// The reason is a VMX name with optional flags (`INVALID_STATE FAILED_VMENTRY`), a hex number,
// an SVM name (`npf`, `PF excp`, `idle-halt`), a plugin SVM name (`EXIT_NPF`) or the plugin's
// `UNKNOWN (<decimal>)`. The fields after the reason are key/value pairs; any may be missing and
// unknown keys are skipped.

import { skipBlurbs } from "./blurb";
import {
  ascii,
  hexAt,
  num,
  prefixedHexAt,
  skipBlanks,
  smallDecAt,
  startsWith,
  tokenEnd,
} from "./bytes";
import type { LineRecord } from "./record";

/** Guest RIP. */
export const X_RIP = 0;
/** `info1` (or the first `info` word). */
export const X_INFO1 = 1;
/** `info2` (or the second `info` word). */
export const X_INFO2 = 2;
/** `intr_info`. */
export const X_INTR = 3;
/** `error_code`. */
export const X_ERR = 4;
/** `requests`. */
export const X_REQ = 5;

/** `n0`: the reason is a name (see `textStart`). */
export const REASON_NAME = 0;
/** `n0`: the reason is a hex number (value in `n1`). */
export const REASON_HEX = 1;
/** `n0`: the reason is libtraceevent's `UNKNOWN (<decimal>)` (value in `n1`). */
export const REASON_UNKNOWN = 2;
/** `n2` bit: the line has the old `info A B` pair. */
export const OLD_INFO = 1;

const VCPU = /* @__PURE__ */ ascii("vcpu");
const REASON = /* @__PURE__ */ ascii("reason");
const UNKNOWN = /* @__PURE__ */ ascii("UNKNOWN");

function is(buf: Uint8Array, s: number, e: number, word: Uint8Array): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[s + i] !== word[i]) return false;
  return true;
}

/** The field key a token names (0 rip, 1 info, 2 info1, 3 info2, 4 intr_info, 5 error_code, 6 requests), or -1. */
function fieldKey(buf: Uint8Array, s: number, e: number): number {
  const n = e - s;
  const c = buf[s];
  if (n === 3 && c === 0x72 && buf[s + 1] === 0x69 && buf[s + 2] === 0x70) return 0;
  if (c === 0x69 && n >= 4 && buf[s + 1] === 0x6e && buf[s + 2] === 0x66 && buf[s + 3] === 0x6f) {
    if (n === 4) return 1;
    if (n === 5 && buf[s + 4] === 0x31) return 2;
    if (n === 5 && buf[s + 4] === 0x32) return 3;
    return -1;
  }
  if (n === 9 && is(buf, s, e, INTR_INFO)) return 4;
  if (n === 10 && is(buf, s, e, ERROR_CODE)) return 5;
  if (n === 8 && is(buf, s, e, REQUESTS)) return 6;
  return -1;
}

const INTR_INFO = /* @__PURE__ */ ascii("intr_info");
const ERROR_CODE = /* @__PURE__ */ ascii("error_code");
const REQUESTS = /* @__PURE__ */ ascii("requests");

function hexField(r: LineRecord, slot: number, field: string, s: number, e: number): boolean {
  const p = prefixedHexAt(r.buf, s, e);
  if (p !== e) return r.fail(field, s, e);
  r.put(slot, num.hi, num.lo);
  return true;
}

function hex32Field(r: LineRecord, slot: number, field: string, s: number, e: number): boolean {
  if (!hexField(r, slot, field, s, e)) return false;
  if (num.hi !== 0) return r.fail(field, s, e, "a 32-bit value");
  return true;
}

/** True when the body looks like an x86 `kvm_exit` (starts with `vcpu ` or `reason `). */
export function isX86Exit(buf: Uint8Array, pos: number, end: number): boolean {
  const e = tokenEnd(buf, pos, end);
  return is(buf, pos, e, VCPU) || is(buf, pos, e, REASON);
}

/** Reads an x86 `kvm_exit` body into `r`; false (with `r.fail` called) when it cannot. */
export function scanX86Exit(r: LineRecord, pos: number, end: number): boolean {
  const buf = r.buf;
  let p = skipBlurbs(buf, pos, end);
  let e = tokenEnd(buf, p, end);
  if (is(buf, p, e, VCPU)) {
    const s = skipBlanks(buf, e, end);
    let t = tokenEnd(buf, s, end);
    if (t > s && buf[t - 1] === 0x2c) t--;
    const v = smallDecAt(buf, s, t);
    if (v < 0 || num.end !== t) return r.fail("vcpu", s, t, "a decimal number");
    r.vcpu = v;
    p = skipBlurbs(buf, skipBlanks(buf, tokenEnd(buf, s, end), end), end);
    e = tokenEnd(buf, p, end);
  }
  if (!is(buf, p, e, REASON)) return r.fail("reason", pos, end, "the word reason and a name");
  // the reason: every token up to the first field key
  const rs = skipBlanks(buf, e, end);
  let re = rs;
  let q = rs;
  while (q < end) {
    const te = tokenEnd(buf, q, end);
    if (fieldKey(buf, q, te) >= 0) break;
    re = te;
    q = skipBlanks(buf, te, end);
  }
  if (re === rs) return r.fail("reason", pos, end, "the word reason and a name");
  r.textStart = rs;
  r.textEnd = re;
  r.n0 = REASON_NAME;
  if (buf[rs] === 0x30 && buf[rs + 1] === 0x78) {
    // `0x4c`, `0x80000021` (flags after a hex reason are read with the name)
    const first = tokenEnd(buf, rs, re);
    if (prefixedHexAt(buf, rs, first) === first && num.hi === 0 && first === re) {
      r.n0 = REASON_HEX;
      r.n1 = num.lo;
    }
  } else if (is(buf, rs, tokenEnd(buf, rs, re), UNKNOWN)) {
    // libtraceevent: `UNKNOWN (76)`
    const s = skipBlanks(buf, rs + UNKNOWN.length, re);
    if (buf[s] === 0x28 && buf[re - 1] === 0x29) {
      const v = smallDecAt(buf, s + 1, re - 1);
      if (v >= 0 && num.end === re - 1) {
        r.n0 = REASON_UNKNOWN;
        r.n1 = v;
      }
    }
  }
  // key/value fields
  while (q < end) {
    const ks = q;
    const ke = tokenEnd(buf, q, end);
    const vs = skipBlanks(buf, ke, end);
    if (vs >= end) break; // a line cut after its last key
    const ve = tokenEnd(buf, vs, end);
    q = skipBlanks(buf, ve, end);
    switch (fieldKey(buf, ks, ke)) {
      case 0:
        if (!hexField(r, X_RIP, "rip", vs, ve)) return false;
        break;
      case 1: {
        // `info %llx %llx`: two bare hex words
        if (hexAt(buf, vs, ve) !== ve) return r.fail("info", vs, ve);
        r.put(X_INFO1, num.hi, num.lo);
        r.n2 |= OLD_INFO;
        if (q < end) {
          const we = tokenEnd(buf, q, end);
          if (hexAt(buf, q, we) !== we) return r.fail("info", q, we);
          r.put(X_INFO2, num.hi, num.lo);
          q = skipBlanks(buf, we, end);
        }
        break;
      }
      case 2:
        if (!hexField(r, X_INFO1, "info1", vs, ve)) return false;
        break;
      case 3:
        if (!hexField(r, X_INFO2, "info2", vs, ve)) return false;
        break;
      case 4:
        if (!hex32Field(r, X_INTR, "intr_info", vs, ve)) return false;
        break;
      case 5:
        if (!hex32Field(r, X_ERR, "error_code", vs, ve)) return false;
        break;
      case 6:
        if (!hexField(r, X_REQ, "requests", vs, ve)) return false;
        break;
      default:
        // a field of a newer kernel, or a blurb: its value is skipped
        break;
    }
  }
  return true;
}

const QUICK_REASON = /* @__PURE__ */ ascii("reason ");
const QUICK_RIP = /* @__PURE__ */ ascii(" rip 0x");
const QUICK_INFO = /* @__PURE__ */ ascii(" info ");
const QUICK_KEYS: readonly Uint8Array[] = /* @__PURE__ */ [
  " info1 0x",
  " info2 0x",
  " intr_info 0x",
  " error_code 0x",
  " requests 0x",
].map(ascii);
/** The slot of each quick key. */
const QUICK_SLOTS = [X_INFO1, X_INFO2, X_INTR, X_ERR, X_REQ];

/** Hex digits at `p` ending the word (a blank or `e` after them) into `num`; the end, or -1. */
function hexWord(b: Uint8Array, p: number, e: number): number {
  const v = hexAt(b, p, e);
  return v < 0 || (v < e && b[v] !== 0x20) ? -1 : v;
}

/** What `reasonHead` read: the vCPU (-1: not printed), and where the reason word starts and ends. */
const HEAD = new Float64Array(3);

/**
 * The start both quick readers share, `[vcpu N ]reason NAME rip `: the position of ` rip ` after
 * one reason word that is a name (hex and `UNKNOWN (n)` reasons take the general reader), with
 * the vCPU and the word's bounds in `HEAD`; -1 for any other text.
 */
function reasonHead(b: Uint8Array, s: number, e: number): number {
  let p = s;
  let vcpu = -1;
  if (b[s] === 0x76) {
    if (b[s + 1] !== 0x63 || b[s + 2] !== 0x70 || b[s + 3] !== 0x75 || b[s + 4] !== 0x20) return -1;
    p = s + 5;
    const d0 = p;
    vcpu = 0;
    while (p < e) {
      const d = (b[p] as number) - 0x30;
      if (d < 0 || d > 9) break;
      vcpu = vcpu * 10 + d;
      p++;
    }
    if (p === d0 || p - d0 > 10 || vcpu > 0xffff_ffff || b[p] !== 0x20) return -1;
    p++;
  }
  if (!startsWith(b, p, e, QUICK_REASON)) return -1;
  p += QUICK_REASON.length;
  const rs = p;
  while (p < e && b[p] !== 0x20 && b[p] !== 0x09) p++;
  const re = p;
  if (re === rs || (b[rs] === 0x30 && b[rs + 1] === 0x78) || is(b, rs, re, UNKNOWN)) return -1;
  if (fieldKey(b, rs, re) >= 0 || !startsWith(b, p, e, QUICK_RIP)) return -1;
  HEAD[0] = vcpu;
  HEAD[1] = rs;
  HEAD[2] = re;
  return p;
}

/** Records what `reasonHead` read: the vCPU and the reason word, a name. */
function recordReasonHead(r: LineRecord): void {
  r.vcpu = HEAD[0] as number;
  r.textStart = HEAD[1] as number;
  r.textEnd = HEAD[2] as number;
  r.n0 = REASON_NAME;
}

/**
 * The kernel's own spellings of an x86 `kvm_exit`, read in one pass: `[vcpu N ]reason NAME rip
 * 0x… ` then either `info1 0x… info2 0x… intr_info 0x… error_code 0x…[ requests 0x…]` (current)
 * or `info A B` (older kernels and libtraceevent's plugin), one blank between words and one
 * reason word. Reads into `r` what `scanX86Exit` reads from the same text; false (having recorded
 * nothing) for any other text, which `scanX86Exit` then reads.
 */
export function quickX86Exit(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  let p = reasonHead(b, s, e);
  if (p < 0) return false;
  p = hexWord(b, p + QUICK_RIP.length, e);
  if (p < 0) return false;
  const hi = r.hi;
  const lo = r.lo;
  hi[X_RIP] = num.hi;
  lo[X_RIP] = num.lo;
  let set = 1 << X_RIP;
  let old = 0;
  if (startsWith(b, p, e, QUICK_INFO)) {
    // `info A B`: two bare hex words
    p = hexWord(b, p + QUICK_INFO.length, e);
    if (p < 0 || b[p] !== 0x20) return false;
    hi[X_INFO1] = num.hi;
    lo[X_INFO1] = num.lo;
    p = hexWord(b, p + 1, e);
    if (p < 0) return false;
    hi[X_INFO2] = num.hi;
    lo[X_INFO2] = num.lo;
    set |= (1 << X_INFO1) | (1 << X_INFO2);
    old = OLD_INFO;
  } else {
    for (let k = 0; k < QUICK_KEYS.length; k++) {
      // `requests` is printed by kernels since 6.x only
      if (k === 4 && p === e) break;
      const key = QUICK_KEYS[k] as Uint8Array;
      if (!startsWith(b, p, e, key)) return false;
      p = hexWord(b, p + key.length, e);
      // intr_info and error_code are 32-bit
      if (p < 0 || ((k === 2 || k === 3) && num.hi !== 0)) return false;
      const slot = QUICK_SLOTS[k] as number;
      hi[slot] = num.hi;
      lo[slot] = num.lo;
      set |= 1 << slot;
    }
  }
  if (p !== e) return false;
  recordReasonHead(r);
  r.n2 = old;
  r.set = set;
  return true;
}

/**
 * Statistics by reason: only the `[vcpu N ]reason NAME rip 0x` start of the kernel's own
 * spellings (the vCPU and one reason word that is a name), the rest of the line unread. False
 * (having recorded nothing) for any other text, which the general readers then read.
 */
export function quickX86Reason(r: LineRecord, s: number, e: number): boolean {
  if (reasonHead(r.buf, s, e) < 0) return false;
  recordReasonHead(r);
  return true;
}
