import { ed25519 } from '@noble/curves/ed25519';
import { bytesToHex } from '@noble/hashes/utils';
import { actorSigner } from '../../src/temporal/actor-signing';
import { claimBytes, claimProblem, verifiedBy } from '../../src/workflows/shared/actor-claims';

describe("the API's actor signature", () => {
  const priv = ed25519.utils.randomPrivateKey();
  const signer = actorSigner(bytesToHex(priv), () => new Date('2026-03-02T02:00:00Z'));
  const payload = { type: 'mediation-progress', summary: '已与原告沟通' };
  const signed = signer.sign({ actor: 'bureau', caseId: 'T-1', payload });
  const nowMs = Date.parse('2026-03-02T02:01:00Z');

  test("is the very signature the workflow's JavaScript Ed25519 would make, and the workflow's check accepts it", () => {
    expect(signed.sig).toBe(bytesToHex(ed25519.sign(claimBytes(signed.claim), priv)));
    expect(
      claimProblem(signed, { actor: 'bureau', caseId: 'T-1', payload }, [signer.publicKey], nowMs),
    ).toBeUndefined();
  });

  test('does not carry over to another command or to a key the workflow does not hold', () => {
    const other = bytesToHex(ed25519.getPublicKey(ed25519.utils.randomPrivateKey()));
    expect(
      claimProblem(
        signed,
        { actor: 'bureau', caseId: 'T-1', payload: { ...payload, summary: '改' } },
        [signer.publicKey],
        nowMs,
      ),
    ).toBe('claim for another command');
    expect(claimProblem(signed, { actor: 'bureau', caseId: 'T-1', payload }, [other], nowMs)).toBeDefined();
  });
});

describe("the workflow's Ed25519 check", () => {
  const priv = ed25519.utils.randomPrivateKey();
  const pub = ed25519.getPublicKey(priv);
  const msg = new TextEncoder().encode('["yingsu-actor-claim",1,"bureau","","","T-1","ab","2026-03-02T02:00:00.000Z"]');
  const sig = ed25519.sign(msg, priv);
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  const withS = (s: bigint) => {
    const out = Uint8Array.from(sig);
    for (let i = 0; i < 32; i++) out[32 + i] = Number((s >> BigInt(8 * i)) & 0xffn);
    return out;
  };
  const sOf = (b: Uint8Array) => b.subarray(32).reduceRight((acc, x) => (acc << 8n) + BigInt(x), 0n);
  const flip = (b: Uint8Array, i: number) => {
    const out = Uint8Array.from(b);
    out[i] ^= 1;
    return out;
  };
  const otherKey = ed25519.getPublicKey(ed25519.utils.randomPrivateKey());
  const cases: [string, Uint8Array, Uint8Array, Uint8Array][] = [
    ['a good signature', sig, msg, pub],
    ['another message', sig, flip(msg, 5), pub],
    ['R altered', flip(sig, 3), msg, pub],
    ['S altered', flip(sig, 40), msg, pub],
    ['S not reduced (S + L)', withS(sOf(sig) + L), msg, pub],
    ['another key', sig, msg, otherKey],
    ['a truncated signature', sig.subarray(0, 63), msg, pub],
  ];

  /** noble's answer; a throw (a malformed input) verifies nothing, as claimProblem always took it. */
  const nobleSays = (s: Uint8Array, m: Uint8Array, k: Uint8Array) => {
    try {
      return ed25519.verify(s, m, k);
    } catch {
      return false;
    }
  };

  test.each(cases)('answers as @noble/curves does for %s', (_name, s, m, k) => {
    expect(verifiedBy(s, m, bytesToHex(k))).toBe(nobleSays(s, m, k));
  });

  test('accepts the good signature and nothing altered, twice over the same key', () => {
    expect(cases.map(([, s, m, k]) => verifiedBy(s, m, bytesToHex(k)))).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(verifiedBy(sig, msg, bytesToHex(pub))).toBe(true);
  });
});
