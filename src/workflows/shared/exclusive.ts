/**
 * Runs a workflow's handlers and its timer loop's work one at a time, in the order they asked. 👉 Handlers await
 * local activities; two of them interleaved could each check a rule against state the other is about to change.
 *
 * The lock passes straight to the next in line: waiting on `condition(() => !busy)` would release every waiter whose
 * condition holds in the same pass, so two queued commands could run together.
 *
 * 👉 No `async` here: the SDK records a stack trace for every promise created in workflow code (for Temporal UI's
 * stack-trace view), so a command's path through the lock is one `then`, not an async function and its awaits.
 */
export class Exclusive {
  busy = false;
  /** Set after every exclusive run: a loop waiting on `condition` wakes and recomputes its next wake-up (a letter's). */
  changed = false;
  /** Called after every exclusive run, once the next in line holds the lock: a loop's own wake-up (a case's). */
  onChange: (() => void) | undefined;
  private readonly waiting: (() => void)[] = [];

  run<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.busy) {
      this.busy = true;
      return this.runNow(fn);
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve)).then(() => this.runNow(fn));
  }

  private runNow<T>(fn: () => Promise<T>): Promise<T> {
    let work: Promise<T>;
    try {
      work = fn();
    } catch (err) {
      this.release();
      return Promise.reject(err);
    }
    return work.then(
      (value) => {
        this.release();
        return value;
      },
      (err: unknown) => {
        this.release();
        throw err;
      },
    );
  }

  private release(): void {
    this.changed = true;
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
    this.onChange?.();
  }
}
