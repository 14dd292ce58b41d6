// Deep recursion without the JavaScript stack: a recursive algorithm written as a generator yields the
// sub-computations it needs (`const v = yield sub(...)`) and `trampoline` runs them on a heap stack. Used by
// the walks over expressions and macro arguments, whose nesting the input decides.

/** A computation of a T that may yield sub-computations; each `yield` evaluates to the sub-computation's result. */
export type Rec<T> = Generator<Rec<unknown>, T, unknown>;

export function trampoline<T>(root: Rec<T>): T {
  const stack: Rec<unknown>[] = [root];
  let input: unknown = undefined;
  let error: unknown = null;
  let failed = false;
  for (;;) {
    const top = stack[stack.length - 1]!;
    let r: IteratorResult<Rec<unknown>, unknown>;
    try {
      r = failed ? top.throw(error) : top.next(input);
      failed = false;
    } catch (e) {
      stack.pop();
      if (stack.length === 0) throw e;
      error = e;
      failed = true;
      continue;
    }
    if (r.done) {
      stack.pop();
      if (stack.length === 0) return r.value as T;
      input = r.value;
    } else {
      stack.push(r.value);
      input = undefined;
    }
  }
}
