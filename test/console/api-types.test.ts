import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

test('the console’s committed API types are generated from the current OpenAPI document', () => {
  // The generator in --check mode: it renders the document the API serves and compares it with the committed file.
  const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['web/scripts/generate-api-types.ts', '--check'], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});
