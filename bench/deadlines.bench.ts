// Throughput of the pure deadline computation (not a test): `npx tsx bench/deadlines.bench.ts`.
// Every rule over every trigger date of 2023–2027, both as Shanghai dates and as instants; the last line is JSON.
import { createDeadlineEngine, RULE_IDS, type DeadlineInput } from '../src/deadlines';
import { performance } from 'node:perf_hooks';

const DAY = 86_400_000;
const first = Date.UTC(2023, 0, 1);
const last = Date.UTC(2027, 11, 31);

const inputs: DeadlineInput[] = [];
for (let t = first; t <= last; t += DAY) {
  const date = new Date(t).toISOString().slice(0, 10);
  for (const rule of RULE_IDS) {
    inputs.push({
      rule,
      from: date,
      ...(rule === 'mediation-weekly-progress' ? { nth: 1 + (inputs.length % 8) } : {}),
    });
    // An instant late in the Shanghai evening: the engine must place it on the right day.
    inputs.push({ rule, from: `${date}T15:45:00Z` });
  }
}

const engine = createDeadlineEngine();
const loadStart = performance.now();
createDeadlineEngine();
const loadMs = performance.now() - loadStart;

// Warm up (and index every fallback year the inputs reach) before measuring.
for (const input of inputs) engine.compute(input);

const rounds = 5;
let sink = 0;
const start = performance.now();
for (let r = 0; r < rounds; r++) for (const input of inputs) sink += engine.compute(input).dueDate.length;
const seconds = (performance.now() - start) / 1000;
const computed = rounds * inputs.length;
const perSecond = Math.round(computed / seconds);

console.log(`engine load (validate + index calendar): ${loadMs.toFixed(1)} ms`);
console.log(
  `${computed} deadlines (${inputs.length} distinct inputs, triggers 2023-01-01..2027-12-31) in ${seconds.toFixed(3)} s`,
);
console.log(`${perSecond.toLocaleString('en-US')} deadlines/s on one core`);
console.log(
  JSON.stringify({
    benchmark: 'deadlines',
    deadlinesPerSecond: perSecond,
    computed,
    seconds: Number(seconds.toFixed(4)),
    loadMs: Number(loadMs.toFixed(2)),
    checksum: sink,
  }),
);
