import { checkArg } from "./check-arg";

/** One field of a raw register: name, bit range, value, meaning and sub-fields. */
export interface ExplainNode {
  /** The architecture's name of the field (EC, ISS, DFSC, funct3, …). */
  readonly name: string;
  /** Bit range `[hi, lo]` inside the register. */
  readonly bits: readonly [hi: number, lo: number];
  /** The field's value. */
  readonly value: bigint;
  /** What the value means, when it means something. */
  readonly meaning?: string;
  /** Sub-fields, when the field has a layout of its own. */
  readonly children?: readonly ExplainNode[];
}

/** Builds an `ExplainNode`, leaving out `meaning` and `children` when absent or empty. */
export function explainNode(
  name: string,
  hi: number,
  lo: number,
  value: bigint | number,
  meaning?: string,
  children?: readonly ExplainNode[],
): ExplainNode {
  const node: { -readonly [K in keyof ExplainNode]: ExplainNode[K] } = {
    name,
    bits: [hi, lo],
    value: typeof value === "bigint" ? value : BigInt(value),
  };
  if (meaning !== undefined && meaning !== "") node.meaning = meaning;
  if (children !== undefined && children.length > 0) node.children = children;
  return node;
}

/**
 * Renders a field tree as indented text, one line per field:
 * `EC [31:26] = 0x24  Data Abort from a lower EL`, sub-fields two spaces deeper. A value that is
 * not an `ExplainNode[]` is a `VmExitError("invalid-argument")`.
 * @example console.log(formatExplain(explainEsr(0x93810047)));
 */
export function formatExplain(nodes: readonly ExplainNode[], indent = ""): string {
  checkArg(nodes, "explainNodes", "nodes");
  checkArg(indent, "string", "indent");
  return formatNodes(nodes, indent);
}

function formatNodes(nodes: readonly ExplainNode[], indent: string): string {
  const lines: string[] = [];
  for (const node of nodes) {
    const [hi, lo] = node.bits;
    const range = hi === lo ? `[${hi}]` : `[${hi}:${lo}]`;
    const head = `${indent}${node.name} ${range} = 0x${node.value.toString(16)}`;
    lines.push(node.meaning === undefined ? head : `${head}  ${node.meaning}`);
    if (node.children !== undefined) lines.push(formatNodes(node.children, `${indent}  `));
  }
  return lines.join("\n");
}
