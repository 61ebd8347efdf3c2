/**
 * The light structural model every YAML and JSON rule reads: keys and sequence items with their line
 * and their inline scalar, nothing else. No anchors, tags, merges or scalar types: the rules compare
 * text, and a reader that builds only this runs an order of magnitude faster than a full YAML parse.
 */
export interface Node {
  /** The mapping key; undefined for a sequence item and for a document. */
  key: string | undefined;
  /** The inline scalar, unquoted ('' when the value is a collection or absent). */
  value: string;
  /** 1-based line of the key or item. */
  line: number;
  children: Node[];
  parent: Node | undefined;
}

export function addNode(parent: Node | undefined, key: string | undefined, value: string, line: number): Node {
  const node: Node = { key, value, line, children: [], parent };
  parent?.children.push(node);
  return node;
}

export function child(node: Node | undefined, key: string): Node | undefined {
  return node?.children.find((c) => c.key === key);
}

/** Every node under the roots, depth first, without recursion (a deep file cannot overflow the stack). */
export function* allNodes(roots: readonly Node[]): Generator<Node> {
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}

/** Whether a key holds something: children, or a scalar other than YAML's empty forms. */
export function hasContent(node: Node | undefined): boolean {
  if (!node) return false;
  if (node.children.length > 0) return true;
  const v = node.value.trim();
  return v !== '' && v !== '{}' && v !== '[]' && v !== 'null' && v !== '~' && v !== '""' && v !== "''";
}

/** A template expression ({{ }} of Helm or Go, ${{ }} of workflows) stands for a value we cannot see. */
export const isTemplated = (value: string): boolean => value.includes('{{');
