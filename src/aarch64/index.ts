/** Placeholder until the aarch64 module lands. */
export {};
