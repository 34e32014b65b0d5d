/** Placeholder until the trace module lands. */
export {};
