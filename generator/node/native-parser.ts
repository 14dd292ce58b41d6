// The native tree-sitter binding as a parser backend (Node only: a compiled addon).

import Parser from 'tree-sitter';
import C from 'tree-sitter-c';
import type { ParserBackend, SyntaxTree } from '../parse/syntax.js';

export function nativeParser(): ParserBackend {
  const parser = new Parser();
  parser.setLanguage(C as unknown as Parser.Language);
  return {
    name: 'native',
    parse(text: string): SyntaxTree {
      const tree = parser.parse(text, null, { bufferSize: Math.max(64 * 1024, text.length * 2 + 1024) });
      return { walk: () => tree.walk() };
    },
  };
}
