import { condition } from '@temporalio/workflow';

/**
 * Runs a workflow's handlers and its timer loop's work one at a time. 👉 Handlers await activities; two of them
 * interleaved could each check a rule against state the other is about to change.
 */
export class Exclusive {
  busy = false;
  /** Set after every exclusive run: the timer loop wakes and recomputes its next wake-up. */
  changed = false;

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await condition(() => !this.busy);
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
      this.changed = true;
    }
  }
}
