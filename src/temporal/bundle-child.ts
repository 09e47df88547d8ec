// Bundles the workflow code in a child process of the worker and hands the code back over IPC: webpack and its
// in-memory file system (about 120 MiB of RSS, measured) then leave with the child instead of staying in the worker
// for its whole life. Run by `bundleWorkflowsInChild` (workflow-bundle.ts); never on its own.
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from './workflow-bundle';

async function main(): Promise<void> {
  const keys = process.env.YINGSU_BUNDLE_ACTOR_KEYS
    ? (JSON.parse(process.env.YINGSU_BUNDLE_ACTOR_KEYS) as string[])
    : [];
  const { code } = await bundleWorkflowCode({
    ...workflowBundleOptions(keys.length ? { actorPublicKeys: keys } : {}),
    // The worker logs that the bundle is ready; webpack's own report is not wanted in its log.
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never,
  });
  await new Promise<void>((resolve, reject) =>
    process.send!({ code }, (err: Error | null) => (err ? reject(err) : resolve())),
  );
}

main().catch((err: Error) => {
  process.stderr.write(`workflow bundle failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
