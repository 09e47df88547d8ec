// docker-compose.yml cannot run here (no Docker engine), so it is checked statically: every service, port,
// dependency and variable the app reads is wired, nothing secret is committed, and Debian's docker-compose accepts it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { configSchema, loadConfig } from '../../src/config';
import { loadDirectory } from '../../src/directory';
import { createAuthenticator } from '../../src/http/auth';
import { caseSearchAttributeKeys } from '../../src/workflows/case/search-attributes';
import { tempDir } from '../support/dev-server';
import { repoRoot } from './processes';

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string } | string;
  depends_on?: Record<string, { condition: string }> | string[];
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
  volumes?: string[];
  secrets?: string[];
  healthcheck?: { test: string[] };
  restart?: string;
  entrypoint?: string[];
  command?: string[];
}

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const composeText = read('docker-compose.yml');
const compose = YAML.parse(composeText, { merge: true }) as {
  services: Record<string, Service>;
  secrets?: Record<string, { file: string }>;
};
const services = compose.services;
const app = { worker: services.worker!, api: services.api!, delivery: services.delivery! };
const envExample = new Map(
  read('.env.example')
    .split('\n')
    .filter((l) => /^[A-Z0-9_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
);

/** What compose would pass for a value, with .env.example's placeholders (`${A:-d}`, `${A:?msg}`, `${A}`). */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
    const v = envExample.get(name);
    if (v !== undefined && v !== '') return v;
    return op === '-' ? (arg ?? '') : (v ?? '');
  });
}

function dependencies(s: Service): Record<string, string> {
  if (!s.depends_on) return {};
  if (Array.isArray(s.depends_on)) return Object.fromEntries(s.depends_on.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(s.depends_on).map(([d, v]) => [d, v.condition]));
}

/** `[ip:]published:target` → { ip, published, target }. */
function ports(s: Service) {
  return (s.ports ?? []).map((p) => {
    const parts = interpolate(String(p)).split(':');
    const target = Number(parts.pop());
    const published = Number(parts.pop());
    return { ip: parts[0] ?? '0.0.0.0', published, target };
  });
}

test('every service runs a pinned image tag or is built from the Dockerfile', () => {
  expect(Object.keys(services).sort()).toEqual([
    'api',
    'caddy',
    'certs',
    'delivery',
    'postgresql',
    'temporal',
    'temporal-namespace',
    'temporal-schema',
    'temporal-ui',
    'worker',
  ]);
  for (const [name, s] of Object.entries(services)) {
    if (s.build) {
      const build = typeof s.build === 'string' ? { context: s.build } : s.build;
      expect(existsSync(join(repoRoot, build.context, build.dockerfile ?? 'Dockerfile'))).toBe(true);
      continue;
    }
    expect({ name, image: s.image }).toEqual({ name, image: expect.stringMatching(/^[a-z0-9./-]+:\d[\w.-]*$/) });
  }
  expect(services.temporal!.image).toBe('temporalio/server:1.29.1');
  expect(services['temporal-ui']!.image).toBe('temporalio/ui:2.42.1');
  // The Dockerfile's base images are pinned too.
  const froms = [...read('Dockerfile').matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
  expect(froms.length).toBeGreaterThanOrEqual(2);
  for (const from of froms) expect(from).toMatch(/^node:20\.\d+\.\d+-bookworm-slim$/);
});

test('the image builds the 工作台 console and ships it where the API serves it from', () => {
  const dockerfile = read('Dockerfile');
  expect(dockerfile).toMatch(/^COPY web \.\/web$/m);
  expect(dockerfile).toMatch(/npm run console:build/);
  expect(dockerfile).toMatch(/^COPY --from=build \/app\/web\/dist \.\/web\/dist$/m);
});

test('every depends_on names a service, and waits on a healthcheck or a finished one-shot', () => {
  for (const [name, s] of Object.entries(services)) {
    for (const [dep, condition] of Object.entries(dependencies(s))) {
      expect({ name, dep, exists: dep in services }).toEqual({ name, dep, exists: true });
      expect(['service_healthy', 'service_completed_successfully']).toContain(condition);
      if (condition === 'service_healthy')
        expect({ dep, healthcheck: Boolean(services[dep]!.healthcheck) }).toEqual({ dep, healthcheck: true });
      if (condition === 'service_completed_successfully') expect(services[dep]!.restart).toBe('no');
    }
  }
  expect(dependencies(services.temporal!)).toEqual({
    postgresql: 'service_healthy',
    'temporal-schema': 'service_completed_successfully',
    certs: 'service_completed_successfully',
  });
  for (const s of [app.worker, app.api]) {
    expect(dependencies(s)).toMatchObject({
      temporal: 'service_healthy',
      'temporal-namespace': 'service_completed_successfully',
      postgresql: 'service_healthy',
      certs: 'service_completed_successfully',
    });
  }
});

test('long-running services restart on their own, one-shots do not', () => {
  for (const name of ['postgresql', 'temporal', 'temporal-ui', 'worker', 'delivery', 'api', 'caddy'])
    expect(services[name]!.restart).toBe('unless-stopped');
  for (const name of ['temporal-schema', 'temporal-namespace', 'certs']) expect(services[name]!.restart).toBe('no');
});

test('HTTPS only: the proxy publishes 443 (API), 8443 (Temporal UI) and 80 (a redirect); nothing else is published', () => {
  expect(ports(services.caddy!)).toEqual([
    { ip: '0.0.0.0', published: 80, target: 80 },
    { ip: '0.0.0.0', published: 443, target: 443 },
    { ip: '0.0.0.0', published: 8443, target: 8443 },
  ]);
  for (const name of Object.keys(services).filter((n) => n !== 'caddy'))
    expect({ name, ports: services[name]!.ports }).toEqual({ name, ports: undefined });
  const caddyfile = read('deploy/caddy/Caddyfile');
  const code = caddyfile
    .split('\n')
    .filter((l) => !l.trim().startsWith('#'))
    .join('\n');
  // Port 80 answers with a redirect to HTTPS and nothing else; every site has TLS (own CA unless configured).
  expect(code).toMatch(/http:\/\/ \{\s*redir https:\/\/\{host\}\{uri\} permanent\s*\}/);
  expect(code).toContain('auto_https disable_redirects');
  expect(code.match(/tls \{\$YINGSU_TLS:internal\}/g)).toHaveLength(2);
  expect(code).toMatch(/:443 \{[\s\S]*reverse_proxy api:3000/);
  // The UI's site is behind the proxy's login, and only its codec path reaches the API.
  const ui = code.slice(code.indexOf(':8443 {'));
  expect(ui).toMatch(/basic_auth \{\s*\{\$YINGSU_UI_USER:operator\} \{\$YINGSU_UI_PASSWORD_HASH\}/);
  expect(ui.indexOf('basic_auth')).toBeLessThan(ui.indexOf('reverse_proxy'));
  expect(ui).toContain('reverse_proxy temporal-ui:8080');
  // Temporal UI: read-only, mTLS to Temporal, and its codec endpoint on its own origin.
  const uiEnv = services['temporal-ui']!.environment!;
  expect(uiEnv.TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
  expect(uiEnv).toMatchObject({ TEMPORAL_TLS_CERT: '/certs/ui.pem', TEMPORAL_TLS_ENABLE_HOST_VERIFICATION: 'true' });
  expect(interpolate(String(uiEnv.TEMPORAL_CODEC_ENDPOINT))).toBe('https://localhost:8443/codec');
});

test('the worker, the API, the UI and the admin tools reach Temporal over mTLS with certificates from a one-shot', () => {
  const t = services.temporal!.environment!;
  expect(t).toMatchObject({
    TEMPORAL_TLS_REQUIRE_CLIENT_AUTH: 'true',
    TEMPORAL_TLS_FRONTEND_CERT: '/certs/temporal.pem',
    TEMPORAL_TLS_CLIENT1_CA_CERT: '/certs/ca.pem',
  });
  expect(services.temporal!.healthcheck!.test).toEqual(expect.arrayContaining(['--tls-cert-path', '/certs/admin.pem']));
  expect(services['temporal-namespace']!.environment).toMatchObject({ TEMPORAL_TLS_CERT: '/certs/admin.pem' });
  expect(app.worker.environment).toMatchObject({
    TEMPORAL_TLS_CERT_FILE: '/certs/worker.pem',
    TEMPORAL_TLS_CA_FILE: '/certs/ca.pem',
  });
  expect(app.api.environment).toMatchObject({
    TEMPORAL_TLS_CERT_FILE: '/certs/api.pem',
    TEMPORAL_TLS_KEY_FILE: '/certs/api.key',
  });
  expect(services.certs!.restart).toBe('no');
  expect(services.certs!.entrypoint).toEqual(['/bin/sh', '/deploy/make-certs.sh']);
  const script = read('deploy/temporal/make-certs.sh');
  // Made on first start only: existing certificates are kept.
  expect(script).toContain('if [ ! -f "$dir/ca.pem" ]');
  for (const name of ['temporal', 'worker', 'api', 'ui', 'admin']) expect(script).toContain(name);
  for (const cfg of Object.values(app))
    expect(
      loadConfig(Object.fromEntries(Object.entries(cfg.environment!).map(([k, v]) => [k, interpolate(String(v))])))
        .TEMPORAL_TLS_SERVER_NAME,
    ).toBe('temporal');
});

test('the API listens on every interface inside the compose network only', () => {
  expect(app.api.environment!.YINGSU_BIND).toBe('0.0.0.0');
  expect(app.api.environment!.PORT).toBe('3000');
});

test('wires every variable the app reads into the worker, the delivery service and the API', () => {
  const keys = Object.keys(configSchema.shape);
  expect(keys).toContain('DATABASE_URL');
  for (const [name, s] of Object.entries(app)) {
    const missing = keys.filter((k) => !(k in (s.environment ?? {})));
    expect({ service: name, missing }).toEqual({ service: name, missing: [] });
  }
});

test('the worker, the delivery service and the API get a valid production configuration: tokens, PostgreSQL and the Temporal service', () => {
  for (const s of Object.values(app)) {
    const env = Object.fromEntries(Object.entries(s.environment!).map(([k, v]) => [k, interpolate(String(v))]));
    const config = loadConfig(env);
    expect(config.YINGSU_ENV).toBe('production');
    expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(config.DATABASE_URL).toMatch(/^postgres:\/\/yingsu:[^@]+@postgresql:5432\/yingsu$/);
    // The tokens file is the compose secret that the service mounts.
    expect(config.YINGSU_TOKENS_FILE).toMatch(/^\/run\/secrets\//);
    const secret = config.YINGSU_TOKENS_FILE!.replace('/run/secrets/', '');
    expect(s.secrets).toContain(secret);
    expect(compose.secrets?.[secret]?.file).toMatch(/^\$\{YINGSU_TOKENS_PATH:\?/);
    expect(s.command?.[0]).toBe('node');
    expect(
      existsSync(
        join(
          repoRoot,
          String(s.command?.[1])
            .replace(/^dist\//, 'src/')
            .replace(/\.js$/, '.ts'),
        ),
      ),
    ).toBe(true);
  }
  expect(app.worker.command).toEqual(['node', 'dist/worker.js']);
  expect(app.api.command).toEqual(['node', 'dist/api.js']);
  expect(app.delivery.command).toEqual(['node', 'dist/delivery.js']);
});

test('the delivery service sends the notices and the worker only writes them; it needs the registry, not Temporal', () => {
  const env = (s: Service) =>
    Object.fromEntries(Object.entries(s.environment!).map(([k, v]) => [k, interpolate(String(v))]));
  expect(loadConfig(env(app.worker)).YINGSU_DELIVERY).toBe('separate');
  expect(dependencies(app.delivery)).toEqual({ postgresql: 'service_healthy' });
  expect(app.delivery.environment!.YINGSU_SERVICE).toBe('yingsu-delivery');
});

test('.env.example lists every variable docker-compose.yml reads, and nothing else', () => {
  const referenced = new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]!));
  expect([...referenced].filter((v) => !envExample.has(v))).toEqual([]);
  expect([...envExample.keys()].filter((v) => !referenced.has(v))).toEqual([]);
});

test('no secret is committed: passwords come from .env, which git and the image ignore', () => {
  const secretName = /PASSWORD|PWD|SECRET|TOKEN(?!S_FILE)|API_KEY/;
  for (const [name, s] of Object.entries(services)) {
    for (const [key, value] of Object.entries(s.environment ?? {})) {
      if (secretName.test(key))
        expect({ name, key, value }).toEqual({
          name,
          key,
          value: expect.stringMatching(/^\$\{[A-Z0-9_]+(:[-?][^}]*)?\}$/),
        });
    }
  }
  // Credentials inside URLs are variables too.
  for (const m of composeText.matchAll(/[a-z]+:\/\/[^/\s:@]+:([^@\n]+)@/g)) expect(m[1]).toMatch(/^\$\{[A-Z0-9_]+/);
  for (const [key, value] of envExample)
    if (/PASSWORD/.test(key) && value !== '') expect({ key, value }).toEqual({ key, value: 'CHANGE_ME' });
  expect(read('.gitignore').split('\n')).toContain('.env');
  expect(read('.dockerignore').split('\n')).toContain('.env');
  // The example tokens file is for reading, never for mounting.
  expect(composeText).not.toContain('tokens.example.json');
  expect(envExample.get('YINGSU_TOKENS_PATH')).not.toContain('example');
});

test('the example tokens file is valid, and marked as an example', () => {
  const path = join(repoRoot, 'deploy', 'tokens.example.json');
  const auth = createAuthenticator({ directory: loadDirectory(), tokensFile: path, production: true });
  expect(auth.authenticate('example-bureau-token-do-not-deploy')).toMatchObject({
    role: 'bureau',
    person: { name: expect.stringContaining('EXAMPLE') },
  });
  expect(auth.authenticate('dev-bureau')).toBeUndefined();
  expect(readFileSync(path, 'utf8')).toMatch(/EXAMPLE ONLY/);
});

test('the namespace set-up registers exactly the search attributes the workflows use', () => {
  const script = read('deploy/temporal/setup-namespace.sh');
  const registered = [...script.matchAll(/--name (\w+) --type (\w+)/g)].map((m) => `${m[1]}:${m[2]}`).sort();
  const cliType: Record<string, string> = {
    KEYWORD: 'Keyword',
    DATETIME: 'Datetime',
    INT: 'Int',
    BOOL: 'Bool',
    TEXT: 'Text',
    DOUBLE: 'Double',
    KEYWORD_LIST: 'KeywordList',
  };
  expect(registered).toEqual(caseSearchAttributeKeys.map((k) => `${k.name}:${cliType[k.type]}`).sort());
});

test("compose's Temporal server runs one partition per task queue, as measured on the dev server", () => {
  const dynamic = YAML.parse(read('deploy/temporal/dynamicconfig.yaml')) as Record<string, { value: unknown }[]>;
  expect(dynamic['matching.numTaskqueueReadPartitions']).toEqual([{ value: 1 }]);
  expect(dynamic['matching.numTaskqueueWritePartitions']).toEqual([{ value: 1 }]);
  expect(dynamic['frontend.enableServerVersionCheck']).toEqual([{ value: false }]);
});

test('every file that compose mounts or runs exists in the repository', () => {
  for (const [name, s] of Object.entries(services)) {
    for (const volume of s.volumes ?? []) {
      const source = interpolate(volume.split(':')[0]!);
      if (!source.startsWith('.')) continue; // a named volume
      expect({ name, source, exists: existsSync(join(repoRoot, source)) }).toEqual({ name, source, exists: true });
    }
    const script = s.entrypoint?.find((a) => a.startsWith('/deploy/'));
    if (script) expect(existsSync(join(repoRoot, 'deploy', 'temporal', script.replace('/deploy/', '')))).toBe(true);
  }
  expect(existsSync(join(repoRoot, 'deploy/postgres/init/10-yingsu.sh'))).toBe(true);
});

// Debian's docker-compose is installed by the test set-up (scripts/toolchain.mjs ensureSystemPackages): never skipped.
test('docker-compose config accepts the file, and refuses to run without the passwords', () => {
  expect(spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status).toBe(0);
  {
    const dir = tempDir('compose');
    try {
      const envFile = join(dir.path, 'ok.env');
      writeFileSync(envFile, read('.env.example'));
      const env = { PATH: process.env.PATH, HOME: dir.path };
      const ok = spawnSync(
        'docker-compose',
        ['--env-file', envFile, '-f', join(repoRoot, 'docker-compose.yml'), 'config', '--quiet'],
        { encoding: 'utf8', env },
      );
      expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: '' });
      const services = spawnSync(
        'docker-compose',
        ['--env-file', envFile, '-f', join(repoRoot, 'docker-compose.yml'), 'config', '--services'],
        { encoding: 'utf8', env },
      );
      expect(services.stdout.trim().split('\n').sort()).toEqual(Object.keys(compose.services).sort());

      const partial = join(dir.path, 'partial.env');
      writeFileSync(partial, read('.env.example').replace(/^TEMPORAL_DB_PASSWORD=.*$/m, ''));
      const refused = spawnSync(
        'docker-compose',
        ['--env-file', partial, '-f', join(repoRoot, 'docker-compose.yml'), 'config', '--quiet'],
        { encoding: 'utf8', env },
      );
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain('TEMPORAL_DB_PASSWORD');
    } finally {
      dir.remove();
    }
  }
});
