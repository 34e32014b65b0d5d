/** Placeholder until the x86 module lands. */
export {};
