// Start-up configuration and the tokens that guard the API.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { loadDirectory } from '../../src/directory';
import { createAuthenticator, hashToken } from '../../src/http/auth';
import { tempDir } from '../support/dev-server';

const directory = loadDirectory();
const scratch = tempDir('config');

afterAll(() => scratch.remove());

function tokensFile(
  name: string,
  tokens: { token: string; role: string; name?: string; id?: string; expiresAt?: string }[],
): string {
  const path = join(scratch.path, name);
  writeFileSync(
    path,
    JSON.stringify({
      tokens: tokens.map(({ token, ...t }) => ({ sha256: hashToken(token), name: `持有人 ${t.role}`, ...t })),
    }),
  );
  return path;
}

test('an invalid variable is a ConfigError that names the variable', () => {
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  expect(() => loadConfig({ LOG_LEVEL: 'loud', TEMPORAL_CONNECT_TIMEOUT_MS: '-5' })).toThrow(
    /LOG_LEVEL[\s\S]*TEMPORAL_CONNECT_TIMEOUT_MS|TEMPORAL_CONNECT_TIMEOUT_MS[\s\S]*LOG_LEVEL/,
  );
});

test('production without YINGSU_TOKENS_FILE is refused', () => {
  expect(() => loadConfig({ YINGSU_ENV: 'production' })).toThrow(ConfigError);
  expect(() => loadConfig({ YINGSU_ENV: 'production' })).toThrow(/YINGSU_TOKENS_FILE/);
  expect(() => createAuthenticator({ directory, production: true })).toThrow(/tokens file/);
});

test('an empty variable counts as unset, as docker-compose passes an unset ${VAR:-}', () => {
  const config = loadConfig({ YINGSU_DIRECTORY_FILE: '', PORT: '', DATABASE_URL: '' });
  expect(config.YINGSU_DIRECTORY_FILE).toBeUndefined();
  expect(config.PORT).toBe(3000);
  expect(config.DATABASE_URL).toBe('sqlite:./data/yingsu.db');
});

test('the defaults describe a development machine', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    YINGSU_ENV: 'development',
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    TEMPORAL_NAMESPACE: 'default',
    PORT: 3000,
  });
});

test('a token in the tokens file authenticates with its role, and the file holds only its hash', () => {
  const token = 'a3f1c9e27b6d48a0b5e4c3d2f1a0b9c8';
  const file = tokensFile('tokens.json', [
    { token, role: 'bureau' },
    { token: 'agency-token-for-natural-resources', role: 'agency:natural-resources' },
  ]);
  const config = loadConfig({
    YINGSU_ENV: 'production',
    YINGSU_TOKENS_FILE: file,
    YINGSU_CODEC_KEYS_FILE: '/run/keys',
  });
  const auth = createAuthenticator({ directory, tokensFile: config.YINGSU_TOKENS_FILE, production: true });
  expect(auth.mode).toBe('configured');
  expect(auth.authenticate(token)).toMatchObject({ role: 'bureau' });
  expect(auth.authenticate('agency-token-for-natural-resources')).toMatchObject({
    role: 'agency',
    agencyId: 'natural-resources',
  });
  expect(readFileSync(file, 'utf8')).not.toContain(token);
});

test('a token not in the tokens file is refused, and so are the development tokens', () => {
  const file = tokensFile('one.json', [{ token: 'the-only-valid-token', role: 'operator' }]);
  const auth = createAuthenticator({ directory, tokensFile: file, production: true });
  expect(auth.authenticate('the-only-valid-token')).toMatchObject({ role: 'operator' });
  expect(auth.authenticate('the-only-valid-token ')).toBeUndefined();
  expect(auth.authenticate('another-token')).toBeUndefined();
  for (const dev of ['dev-bureau', 'dev-operator', 'dev-agency-natural-resources', 'dev-leader-vice-head-li']) {
    expect(auth.authenticate(dev)).toBeUndefined();
  }
});

test('a tokens file that stores a token in clear is rejected at start-up', () => {
  const path = join(scratch.path, 'clear.json');
  writeFileSync(path, JSON.stringify({ tokens: [{ sha256: 'my-secret-token', role: 'bureau' }] }));
  expect(() => createAuthenticator({ directory, tokensFile: path, production: true })).toThrow();
});

test('production without payload codec keys is refused: parties must not reach Temporal in clear', () => {
  expect(() => loadConfig({ YINGSU_ENV: 'production', YINGSU_TOKENS_FILE: '/run/tokens.json' })).toThrow(
    /YINGSU_CODEC_KEYS_FILE/,
  );
});

test('the delivery horizon and alert delay are durations, 7 days and 4 hours by default', () => {
  expect(loadConfig({})).toMatchObject({ YINGSU_DELIVERY_HORIZON: '7 days', YINGSU_DELIVERY_ALERT_AFTER: '4 hours' });
  expect(() => loadConfig({ YINGSU_DELIVERY_HORIZON: 'soon' })).toThrow(/YINGSU_DELIVERY_HORIZON/);
});

test('a token names its person, who is on every principal; an expired token is refused', () => {
  const file = tokensFile('people.json', [
    { token: 'wang-token', role: 'bureau', name: '王科长', id: 'sfj-017' },
    { token: 'old-token', role: 'bureau', name: '李科员', expiresAt: '2026-01-01T00:00:00+08:00' },
  ]);
  let now = Date.parse('2025-12-31T15:59:00Z');
  const auth = createAuthenticator({ directory, tokensFile: file, production: true, now: () => now });
  expect(auth.authenticate('wang-token')).toEqual({ role: 'bureau', person: { id: 'sfj-017', name: '王科长' } });
  expect(auth.authenticate('old-token')).toMatchObject({ person: { name: '李科员' } });
  now = Date.parse('2025-12-31T16:00:00Z');
  expect(auth.authenticate('old-token')).toBeUndefined();
  expect(auth.authenticate('wang-token')).toBeDefined();
});

test('a token without a person is refused at start-up', () => {
  const path = join(scratch.path, 'nameless.json');
  writeFileSync(path, JSON.stringify({ tokens: [{ sha256: hashToken('x'), role: 'bureau' }] }));
  expect(() => createAuthenticator({ directory, tokensFile: path, production: true })).toThrow(/names its person/);
});

test('the tokens file is reloaded without a restart; a broken edit keeps the previous tokens', () => {
  const file = tokensFile('reload.json', [{ token: 'first', role: 'operator' }]);
  const auth = createAuthenticator({ directory, tokensFile: file, production: true });
  expect(auth.authenticate('first')).toBeDefined();
  tokensFile('reload.json', [{ token: 'second', role: 'operator', name: '新同事' }]);
  auth.reload();
  expect(auth.authenticate('first')).toBeUndefined();
  expect(auth.authenticate('second')).toMatchObject({ person: { name: '新同事' } });
  writeFileSync(file, '{ broken');
  auth.reload();
  expect(auth.authenticate('second')).toBeDefined();
});

test('a watched tokens file is picked up when it changes, within seconds', async () => {
  const file = tokensFile('watched.json', [{ token: 'before', role: 'operator' }]);
  const auth = createAuthenticator({ directory, tokensFile: file, production: true, watch: true });
  try {
    await new Promise((r) => setTimeout(r, 1100));
    tokensFile('watched.json', [{ token: 'after', role: 'operator' }]);
    const deadline = Date.now() + 10_000;
    while (!auth.authenticate('after') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(auth.authenticate('after')).toBeDefined();
    expect(auth.authenticate('before')).toBeUndefined();
  } finally {
    auth.close();
  }
});
