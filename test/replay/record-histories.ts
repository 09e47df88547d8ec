// Regenerates test/replay/histories/*.json from the main paths (`npx tsx test/replay/record-histories.ts`).
// Commit the result only when a workflow change is meant to be incompatible with running cases (then version it).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { caseWorkflowId } from '../../src/workflows/case/messages';
import { startCaseEnv } from '../cases/case-env';
import { scenarios } from './scenarios';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const [name, run] of Object.entries(scenarios)) {
    if (only.length && !only.includes(name)) continue;
    // A fresh test server per scenario: one server driven through many long scenarios stops skipping time.
    const t = await startCaseEnv();
    try {
      const caseId = `replay-${name}`;
      await run({ env: t.env, cases: t.cases }, caseId);
      const history = await t.env.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
      // Proto-to-object with string enums and base64 bytes: readable in review, exact on reload (History.fromObject).
      const json = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), {
        longs: String,
        enums: String,
        bytes: String,
      });
      writeFileSync(join(__dirname, 'histories', `${name}.json`), `${JSON.stringify(json, null, 1)}\n`);
      console.log(`${name}: ${history.events?.length} events`);
    } finally {
      await t.teardown();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
