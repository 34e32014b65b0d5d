import { cpus } from "node:os";
import { suites as core } from "./core";
import { runSuite } from "./harness";

const all = [...core];
const only = process.argv[2];

console.log(
  `vmexit bench — node ${process.version}, ${cpus()[0]?.model ?? "unknown cpu"} × ${cpus().length}`,
);
for (const suite of all) {
  if (only === undefined || suite.name.toLowerCase().includes(only.toLowerCase()))
    await runSuite(suite);
}
