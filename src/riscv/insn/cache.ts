// Decoded instructions, remembered by their bits. A record is a pure function of the bits, where
// they came from and XLEN, and it is frozen, so one record can be handed to every decode of the
// same bits: a guest's MMIO and CSR accesses repeat a few instruction words, and a hit costs a
// multiply and a few compares where decoding costs a table walk and a 17-field record. Each source
// (htinst, stval, snapshot.instruction) has its own table of two-way sets: a word hashes to a set,
// the set keeps the last two records that hashed to it, the newer first.
import type { RiscvXlen } from "../snapshot";
import type { RiscvInstruction } from "./instruction";

/** Slots per table (two per set): at most this many records are kept per source and XLEN. */
const SLOTS = 1024;
/** Fibonacci hashing: the top 9 bits of bits × 2^32/φ pick one of the 512 sets. */
const GOLDEN = 0x9e37_79b9;
const SHIFT = 32 - Math.log2(SLOTS / 2);

/** One table: the words and their records, slot by slot. */
interface Table {
  readonly words: Uint32Array;
  readonly records: (RiscvInstruction | undefined)[];
}

/** One source's tables, one per XLEN (a word decodes differently on RV32 and RV64). */
export interface InstructionCache {
  readonly rv32: Table;
  readonly rv64: Table;
}

/* @__NO_SIDE_EFFECTS__ */
function table(): Table {
  return {
    words: new Uint32Array(SLOTS),
    records: new Array<RiscvInstruction | undefined>(SLOTS).fill(undefined),
  };
}

/** An empty cache. */
/* @__NO_SIDE_EFFECTS__ */
export function instructionCache(): InstructionCache {
  return { rv32: table(), rv64: table() };
}

/** The first slot of the set of `word` (the other is the next one). */
function setOf(word: number): number {
  return (Math.imul(word, GOLDEN) >>> SHIFT) << 1;
}

/** The record of `word` (bits 31:0) at `xlen` if the cache holds it, else `undefined`. */
export function cachedInstruction(
  cache: InstructionCache,
  word: number,
  xlen: RiscvXlen,
): RiscvInstruction | undefined {
  const t = xlen === 64 ? cache.rv64 : cache.rv32;
  const slot = setOf(word);
  if (t.words[slot] === word) return t.records[slot];
  return t.words[slot + 1] === word ? t.records[slot + 1] : undefined;
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
  const { words, records } = xlen === 64 ? cache.rv64 : cache.rv32;
  const slot = setOf(word);
  words[slot + 1] = words[slot] as number;
  records[slot + 1] = records[slot];
  words[slot] = word;
  records[slot] = Object.freeze(record);
  return record;
}
