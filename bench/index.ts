import { cpus } from "node:os";
import { suites as aarch64 } from "./aarch64";
import { suites as complete } from "./complete";
import { suites as core } from "./core";
import { runSuite } from "./harness";
import { suites as riscv } from "./riscv";
import { suites as svm } from "./svm";
import { compareWithShell, suites as trace } from "./trace";
import { suites as x86 } from "./x86";

const all = [...core, ...x86, ...svm, ...aarch64, ...riscv, ...trace, ...complete];
const only = process.argv[2];

console.log(
  `vmexit bench — node ${process.version}, ${cpus()[0]?.model ?? "unknown cpu"} × ${cpus().length}`,
);
for (const suite of all) {
  if (only === undefined || suite.name.toLowerCase().includes(only.toLowerCase())) {
    await runSuite(suite);
  }
}
if (only === undefined || "shell trace".includes(only.toLowerCase())) compareWithShell();
