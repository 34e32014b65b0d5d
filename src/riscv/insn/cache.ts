// Decoded instructions, remembered by their bits. A record is a pure function of the bits, where
// they came from and XLEN, and it is frozen, so one record can be handed to every decode of the
// same bits: a guest's MMIO and CSR accesses repeat a few instruction words, and a hit costs a
// multiply and two compares where decoding costs a table walk and a 17-field record. Each source
// (htinst, stval, snapshot.instruction) has its own direct-mapped table; a slot holds the last
// record that hashed to it.
import type { RiscvXlen } from "../snapshot";
import type { RiscvInstruction } from "./instruction";

/** Slots per table (a power of two): 16 kB of keys and references per table. */
const SLOTS = 1024;
/** Fibonacci hashing: the top 10 bits of bits × 2^32/φ spread nearby words over the table. */
const GOLDEN = 0x9e37_79b9;
const SHIFT = 32 - Math.log2(SLOTS);

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

/** The slot of `word` in a table. */
function slotOf(word: number): number {
  return Math.imul(word, GOLDEN) >>> SHIFT;
}

/** The record of `word` at `xlen` if the table holds it, else `undefined`. */
export function cachedInstruction(
  cache: InstructionCache,
  word: number,
  xlen: RiscvXlen,
): RiscvInstruction | undefined {
  const slot = slotOf(word);
  const record = cache.records[slot];
  return record !== undefined && cache.words[slot] === word && cache.xlens[slot] === xlen
    ? record
    : undefined;
}

/** Freezes `record`, the decoding of `word` at `xlen`, and keeps it in its slot; returns it. */
export function rememberInstruction(
  cache: InstructionCache,
  word: number,
  xlen: RiscvXlen,
  record: RiscvInstruction,
): RiscvInstruction {
  const slot = slotOf(word);
  cache.records[slot] = Object.freeze(record);
  cache.words[slot] = word;
  cache.xlens[slot] = xlen;
  return record;
}
