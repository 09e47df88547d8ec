import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../cases/case-env';

const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

test('there are recorded histories of the main paths to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(4);
});

test.each(files)('the workflow code still replays the recorded history %s', async (file) => {
  const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  // 👉 A replay failure means running cases would break on deploy: version the change instead.
  await Worker.runReplayHistory(
    { workflowBundle: await workflowBundle() },
    history,
    `replay-${file.replace(/\.json$/, '')}`,
  );
});
