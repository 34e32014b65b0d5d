// Decoded instructions, remembered by their bits. A record is a pure function of the bits, where
// they came from and XLEN, and it is frozen, so one record can be handed to every decode of the
// same bits: a guest's MMIO and CSR accesses repeat a few instruction words, and a hit costs a
// multiply and a few compares where decoding costs a table walk and a 17-field record. Each source
// (htinst, stval, snapshot.instruction) has its own table of two-way sets: a word hashes to a set,
// the set keeps the last two records that hashed to it, the newer first.
import type { RiscvXlen } from "../snapshot";
import type { RiscvInstruction } from "./instruction";

/** Slots per table (two per set): at most this many records are kept per source. */
const SLOTS = 1024;
/** Fibonacci hashing: the top 9 bits of bits × 2^32/φ pick one of the 512 sets. */
const GOLDEN = 0x9e37_79b9;
const SHIFT = 32 - Math.log2(SLOTS / 2);

/** One source's table: the words, their XLENs and their records, slot by slot. */
export interface InstructionCache {
  readonly words: Uint32Array;
  readonly xlens: Uint8Array;
  readonly records: (RiscvInstruction | undefined)[];
}

/** An empty table. */
/* @__NO_SIDE_EFFECTS__ */
export function instructionCache(): InstructionCache {
  return {
    words: new Uint32Array(SLOTS),
    xlens: new Uint8Array(SLOTS),
    records: new Array<RiscvInstruction | undefined>(SLOTS).fill(undefined),
  };
}

/** The first slot of the set of `word` (the other is the next one). */
function setOf(word: number): number {
  return (Math.imul(word, GOLDEN) >>> SHIFT) << 1;
}

/** True when `slot` holds the record of `word` at `xlen`. */
function holds(cache: InstructionCache, slot: number, word: number, xlen: RiscvXlen): boolean {
  return cache.words[slot] === word && cache.xlens[slot] === xlen;
}

/** The record of `word` at `xlen` if the table holds it, else `undefined`. */
export function cachedInstruction(
  cache: InstructionCache,
  word: number,
  xlen: RiscvXlen,
): RiscvInstruction | undefined {
  const slot = setOf(word);
  if (holds(cache, slot, word, xlen)) return cache.records[slot];
  return holds(cache, slot + 1, word, xlen) ? cache.records[slot + 1] : undefined;
}

/**
 * Freezes `record`, the decoding of `word` at `xlen`, and keeps it first in its set (the set's
 * newer record moves second, its older one is dropped); returns it.
 */
export function rememberInstruction(
  cache: InstructionCache,
  word: number,
  xlen: RiscvXlen,
  record: RiscvInstruction,
): RiscvInstruction {
  const slot = setOf(word);
  const { words, xlens, records } = cache;
  words[slot + 1] = words[slot] as number;
  xlens[slot + 1] = xlens[slot] as number;
  records[slot + 1] = records[slot];
  words[slot] = word;
  xlens[slot] = xlen;
  records[slot] = Object.freeze(record);
  return record;
}
