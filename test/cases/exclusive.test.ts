// A case's commands and its timer loop's work run one at a time, in the order they asked.
import { Exclusive } from '../../src/workflows/shared/exclusive';

const tick = () => new Promise<void>((r) => setImmediate(r));

test('three commands queued behind a running one run one after another, in the order they arrived', async () => {
  const lock = new Exclusive();
  let inside = 0;
  let most = 0;
  const order: string[] = [];
  const work = (name: string) =>
    lock.run(async () => {
      inside += 1;
      most = Math.max(most, inside);
      order.push(`${name}:start`);
      await tick();
      await tick();
      order.push(`${name}:end`);
      inside -= 1;
      return name;
    });
  const results = await Promise.all([work('a'), work('b'), work('c'), work('d')]);
  expect(results).toEqual(['a', 'b', 'c', 'd']);
  expect(most).toBe(1);
  expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end', 'd:start', 'd:end']);
  expect(lock.busy).toBe(false);
  expect(lock.changed).toBe(true);
});

test('a command that fails lets the next one in', async () => {
  const lock = new Exclusive();
  const failed = lock.run(() => Promise.reject(new Error('refused')));
  const next = lock.run(() => Promise.resolve('next'));
  await expect(failed).rejects.toThrow('refused');
  await expect(next).resolves.toBe('next');
  expect(lock.busy).toBe(false);
});

test('a command that throws before it starts lets the next one in and still wakes the timer loop', async () => {
  const lock = new Exclusive();
  const woken: number[] = [];
  lock.onChange = () => woken.push(woken.length + 1);
  const thrown = lock.run(() => {
    throw new Error('not found');
  });
  const next = lock.run(() => Promise.resolve('next'));
  await expect(thrown).rejects.toThrow('not found');
  await expect(next).resolves.toBe('next');
  expect(woken).toEqual([1, 2]);
  expect(lock.busy).toBe(false);
});

test('the timer loop is woken after each run, once the next in line holds the lock', async () => {
  const lock = new Exclusive();
  const seen: boolean[] = [];
  lock.onChange = () => seen.push(lock.busy);
  await Promise.all([lock.run(() => tick()), lock.run(() => tick())]);
  // After the first run the second already holds the lock; after the last the lock is free.
  expect(seen).toEqual([true, false]);
});
