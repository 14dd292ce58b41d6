// The syntax tree as plain objects, built from a TreeCursor in one iterative pass (no recursion, so nesting
// depth never reaches the JavaScript stack). Function bodies are not entered: nothing in them changes a layout.

import type { SyntaxCursor } from './syntax.js';

export class SNode {
  readonly children: SNode[] = [];
  /** The subtree holds an ERROR or MISSING node. */
  hasError = false;
  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    readonly field: string | null,
    readonly row: number,
    readonly column: number,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly source: string,
  ) {}

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }

  get namedChildren(): SNode[] {
    return this.children.filter((c) => c.isNamed);
  }

  childForFieldName(name: string): SNode | null {
    for (const c of this.children) if (c.field === name) return c;
    return null;
  }
}

/** Node types whose children are never needed: function bodies (nothing in them changes a layout) and parameter
 * lists (a function type keeps its parameters as text; whether they hold a syntax error is asked of the node). */
const OPAQUE = new Set(['compound_statement', 'parameter_list']);

/** Whether a node type is named: a property of the type, so read once per type (a cursor call per node is not free). */
const namedTypes = new Map<string, boolean>();

export function buildTree(cursor: SyntaxCursor, source: string): SNode {
  // rows and columns from offsets: nodes come in pre-order, so their starts never decrease
  const lineStarts: number[] = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  let row = 0;
  const make = (): SNode => {
    const type = cursor.nodeType;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    let named = namedTypes.get(type);
    if (named === undefined) { named = cursor.nodeIsNamed; namedTypes.set(type, named); }
    while (row + 1 < lineStarts.length && lineStarts[row + 1]! <= start) row++;
    const missing = start === end && cursor.nodeIsMissing;
    const n = new SNode(type, named, missing, cursor.currentFieldName ?? null, row, start - lineStarts[row]!, start, end, source);
    if (missing || type === 'ERROR') n.hasError = true;
    else if (type === 'parameter_list' && cursor.currentNode?.hasError) n.hasError = true;
    return n;
  };
  const root = make();
  if (OPAQUE.has(root.type) || !cursor.gotoFirstChild()) return root;
  const stack: SNode[] = [root];
  for (;;) {
    const top = stack[stack.length - 1]!;
    const n = make();
    top.children.push(n);
    if (!OPAQUE.has(n.type) && cursor.gotoFirstChild()) {
      stack.push(n);
      continue;
    }
    if (n.hasError) top.hasError = true;
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      const done = stack.pop()!;
      if (stack.length === 0) return done;
      if (done.hasError) stack[stack.length - 1]!.hasError = true;
    }
  }
}
