// A guard against running out of memory: JavaScript cannot catch V8's heap exhaustion (the process aborts), so
// the stages that grow with the input (the preprocessor's lines and probes, the parser's declarations) ask here now
// and then, and stop with an error at the place they reached while there is room to report it. The environment
// sets the guard (Node: node/env.ts, from V8's heap statistics); without one nothing is checked.

/** Null while there is room; else what to say (how much is used of how much). */
export type MemoryGuard = () => string | null;

let guard: MemoryGuard | null = null;

export function setMemoryGuard(g: MemoryGuard | null): void {
  guard = g;
}

/** Calls between two looks at the heap: a look costs a few microseconds. */
const EVERY = 4096;
let calls = 0;

/** Null while there is room (looked at every few thousand calls); else the message of the error to report. */
export function memoryShort(): string | null {
  if (guard === null || ++calls < EVERY) return null;
  calls = 0;
  return guard();
}
