/**
 * Runs a workflow's handlers and its timer loop's work one at a time, in the order they asked. 👉 Handlers await
 * local activities; two of them interleaved could each check a rule against state the other is about to change.
 *
 * The lock passes straight to the next in line: waiting on `condition(() => !busy)` would release every waiter whose
 * condition holds in the same pass, so two queued commands could run together.
 */
export class Exclusive {
  busy = false;
  /** Set after every exclusive run: the timer loop wakes and recomputes its next wake-up. */
  changed = false;
  private readonly waiting: (() => void)[] = [];

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.busy = true;
    try {
      return await fn();
    } finally {
      this.changed = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.busy = false;
    }
  }
}
