/** The AArch64 explain API: ESR field trees and whole-snapshot trees. */
export { explainAarch64 } from "./explain-aarch64";
export { explainEsr } from "./explain-esr";
