import { checkDeliveryReadiness, enabledChannels } from '../../src/notifications/readiness';
import { loadDirectory } from '../../src/directory';
import { directoryWith } from './fixtures/directory';

const hook = { channel: 'webhook' as const, url: 'https://hooks.example/x' };

/** The sample county with a webhook for every party: reachable in any deployment. */
function reachable() {
  const d = structuredClone(directoryWith({ bureau: [hook] }));
  for (const p of [d.court, d.principalLeader, d.countyGovernment, ...d.leaders, ...d.agencies]) p.contacts = [hook];
  return d;
}

test('production refuses the embedded sample county, saying why', () => {
  expect(() =>
    checkDeliveryReadiness({
      production: true,
      directoryFile: undefined,
      directory: loadDirectory(),
      enabled: enabledChannels({}),
    }),
  ).toThrow(/embedded sample county/);
});

test('production refuses a party without a usable contact and names it; development only reports it', () => {
  const d = reachable();
  d.agencies.find((a) => a.id === 'natural-resources')!.contacts = [{ channel: 'email', address: 'nr@x.example' }];
  const opts = { directoryFile: '/etc/yingsu/directory.json', directory: d, enabled: enabledChannels({}) };
  expect(() => checkDeliveryReadiness({ ...opts, production: true })).toThrow(
    /agency:natural-resources \(县自然资源局\) has no usable contact: email is not configured/,
  );
  expect(checkDeliveryReadiness({ ...opts, production: false })).toHaveLength(1);
  // With SMTP configured the same directory is fine.
  expect(checkDeliveryReadiness({ ...opts, production: true, enabled: enabledChannels({ SMTP_HOST: 'mx' }) })).toEqual(
    [],
  );
});
