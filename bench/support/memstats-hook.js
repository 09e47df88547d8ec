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
  let seq = 0;
  process.on('SIGUSR2', () => {
    const ask = ++seq;
    const threads = [];
    channel.onmessage = ({ data }) => {
      if (data && data.reply === ask) threads.push(data.heap);
    };
    channel.postMessage({ ask });
    // Threads answer between workflow activations; an idle worker answers in milliseconds.
    setTimeout(() => {
      const main = liveHeap();
      const line = { memstats: ask, rss: process.memoryUsage().rss, main, threads };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }, 1500);
  });
} else {
  channel.onmessage = ({ data }) => {
    if (data && data.ask) channel.postMessage({ reply: data.ask, heap: liveHeap() });
  };
}
