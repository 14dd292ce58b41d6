// The header editor: CodeMirror 6 (C highlighting from @codemirror/lang-cpp, line numbers, undo, search, bracket
// matching from its basic set-up; Tab indents) with the diagnostics shown in the text and the gutter.

import { cpp } from '@codemirror/lang-cpp';
import { indentWithTab } from '@codemirror/commands';
import { setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { EditorSelection, EditorState, Transaction } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';

export interface Mark {
  readonly line: number;
  readonly col: number;
  readonly severity: 'error' | 'warning' | 'note';
  readonly message: string;
}

export interface HeaderEditor {
  readonly view: EditorView;
  text(): string;
  /** Replaces the text; with `userEvent` ('input.paste', ...) it counts as an edit (the change callback runs). */
  setText(t: string, userEvent?: string): void;
  /** Puts the caret at a 1-based line and column and scrolls it into view. */
  moveCaret(line: number, col: number): void;
  /** The caret's offset in the text. */
  caret(): number;
  /** The diagnostics of the last run, marked in the text. */
  mark(marks: readonly Mark[]): void;
}

export function createEditor(parent: HTMLElement, onEdit: () => void): HeaderEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: '',
      extensions: [
        basicSetup,
        cpp(),
        keymap.of([indentWithTab]),
        EditorView.contentAttributes.of({ 'aria-label': 'C header', spellcheck: 'false' }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && u.transactions.some((tr) => tr.annotation(Transaction.userEvent) !== undefined)) onEdit();
        }),
      ],
    }),
  });
  const offsetOf = (line: number, col: number): number => {
    const doc = view.state.doc;
    const l = doc.line(Math.max(1, Math.min(line, doc.lines)));
    return l.from + Math.max(0, Math.min(col - 1, l.length));
  };
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(t, userEvent) {
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: t },
        selection: EditorSelection.cursor(0),
        ...(userEvent ? { userEvent } : {}),
      });
    },
    moveCaret(line, col) {
      const at = offsetOf(line, col);
      view.dispatch({ selection: EditorSelection.cursor(at), effects: EditorView.scrollIntoView(at, { y: 'center' }) });
      view.focus();
    },
    caret: () => view.state.selection.main.head,
    mark(marks) {
      const doc = view.state.doc;
      const ds: CmDiagnostic[] = marks.map((m) => {
        const from = offsetOf(m.line, m.col);
        const rest = doc.sliceString(from, doc.lineAt(from).to);
        const word = /^\w+/.exec(rest)?.[0].length ?? (rest.length ? 1 : 0);
        return { from, to: from + word, severity: m.severity === 'note' ? 'info' : m.severity, message: m.message };
      });
      view.dispatch(setDiagnostics(view.state, ds));
    },
  };
}
