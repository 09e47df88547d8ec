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

function tokensFile(name: string, tokens: { token: string; role: string }[]): string {
  const path = join(scratch.path, name);
  writeFileSync(path, JSON.stringify({ tokens: tokens.map((t) => ({ sha256: hashToken(t.token), role: t.role })) }));
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
  const config = loadConfig({ YINGSU_ENV: 'production', YINGSU_TOKENS_FILE: file });
  const auth = createAuthenticator({ directory, tokensFile: config.YINGSU_TOKENS_FILE, production: true });
  expect(auth.mode).toBe('configured');
  expect(auth.authenticate(token)).toEqual({ role: 'bureau' });
  expect(auth.authenticate('agency-token-for-natural-resources')).toEqual({
    role: 'agency',
    agencyId: 'natural-resources',
  });
  expect(readFileSync(file, 'utf8')).not.toContain(token);
});

test('a token not in the tokens file is refused, and so are the development tokens', () => {
  const file = tokensFile('one.json', [{ token: 'the-only-valid-token', role: 'operator' }]);
  const auth = createAuthenticator({ directory, tokensFile: file, production: true });
  expect(auth.authenticate('the-only-valid-token')).toEqual({ role: 'operator' });
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
