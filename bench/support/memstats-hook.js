/* eslint-disable @typescript-eslint/no-require-imports */
// Preloaded by the memory benchmark into a worker process (NODE_OPTIONS=--require): never part of src/. A `--require`
// preload runs in every thread, and the SDK runs workflows in a worker thread with a V8 isolate of its own, so on
// SIGUSR2 each isolate collects its garbage and reports its live heap; the main thread prints one JSON line.
'use strict';
const v8 = require('v8');
const vm = require('vm');
const { BroadcastChannel, isMainThread, threadId } = require('worker_threads');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const channel = new BroadcastChannel('yingsu-bench-memstats');
channel.unref();

/** Live heap of this isolate after two full collections (the second frees what weak callbacks released). */
function liveHeap() {
  gc();
  gc();
  const m = process.memoryUsage();
  return { threadId, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
}

if (isMainThread) {
  // Every thread says hello when it loads, so the main thread knows whose heap to wait for.
  const known = new Set();
  let pending;
  channel.onmessage = ({ data }) => {
    if (data && data.hello) known.add(data.hello);
    if (data && data.bye) known.delete(data.bye);
    if (data && pending && data.reply === pending.ask) {
      pending.threads.push(data.heap);
      if (pending.threads.length >= known.size) pending.done();
    }
  };
  let seq = 0;
  process.on('SIGUSR2', () => {
    if (pending) return;
    const ask = ++seq;
    const threads = [];
    let timer;
    const done = () => {
      clearTimeout(timer);
      pending = undefined;
      const main = liveHeap();
      const line = { memstats: ask, rss: process.memoryUsage().rss, main, threads, expected: known.size };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    };
    pending = { ask, threads, done };
    // A collection of a heap of gigabytes takes seconds; a thread that never answers is left out after a minute.
    timer = setTimeout(done, 60_000);
    channel.postMessage({ ask });
    if (known.size === 0) done();
  });
} else {
  channel.postMessage({ hello: threadId });
  process.on('exit', () => channel.postMessage({ bye: threadId }));
  channel.onmessage = ({ data }) => {
    if (data && data.ask) channel.postMessage({ reply: data.ask, heap: liveHeap() });
  };
}
