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

/** Node types whose children are never needed. */
const OPAQUE = new Set(['compound_statement']);

export function buildTree(cursor: SyntaxCursor, source: string): SNode {
  const make = (): SNode => {
    const p = cursor.startPosition;
    const type = cursor.nodeType;
    const missing = cursor.nodeIsMissing;
    const n = new SNode(type, cursor.nodeIsNamed, missing, cursor.currentFieldName ?? null, p.row, p.column,
      cursor.startIndex, cursor.endIndex, source);
    if (missing || type === 'ERROR') n.hasError = true;
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
