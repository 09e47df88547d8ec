// The actor of a command is the API's word, not the caller's: the API signs each command's claim with its Ed25519
// key, and the workflow checks the signature against public keys bundled into the workflow code when the worker
// starts, which no caller of Temporal can hand in. Pure JavaScript (noble), deterministic: safe in workflow code.
import { ed25519 } from '@noble/curves/ed25519';
import { bytesToNumberLE } from '@noble/curves/utils';
import { sha256, sha512 } from '@noble/hashes/sha2';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';

/** What the API vouches for: who acts (and in person), on which case, on exactly which command, and when. */
export interface ActorClaim {
  v: 1;
  actor: string;
  person?: { id: string; name: string };
  caseId: string;
  /** sha256 (hex) of the command's JSON as sent: the claim cannot be moved to another command. */
  digest: string;
  /** When the API signed it (ISO): a claim is good for CLAIM_TTL_MS, not for replaying later. */
  iat: string;
}

export interface SignedClaim {
  claim: ActorClaim;
  /** Ed25519 signature (hex) of claimBytes(claim). */
  sig: string;
}

/** A signed claim lives this long: long enough for a queued command, too short to replay a captured one later. */
export const CLAIM_TTL_MS = 15 * 60_000;

export const claimDigest = (payload: unknown): string =>
  bytesToHex(sha256(utf8ToBytes(JSON.stringify(payload ?? null))));

/** The signed bytes: a fixed field order, whatever order the claim's keys arrive in. */
export const claimBytes = (c: ActorClaim): Uint8Array =>
  utf8ToBytes(
    JSON.stringify([
      'yingsu-actor-claim',
      c.v,
      c.actor,
      c.person?.id ?? '',
      c.person?.name ?? '',
      c.caseId,
      c.digest,
      c.iat,
    ]),
  );

declare const __YINGSU_ACTOR_KEYS__: string[] | undefined;

/**
 * The public keys (hex) bundled into this workflow code by the worker (webpack DefinePlugin), or undefined when the
 * worker runs without them (development and tests without signing: commands are then taken at their word).
 */
export function bundledActorKeys(): string[] | undefined {
  return typeof __YINGSU_ACTOR_KEYS__ === 'undefined' ? undefined : __YINGSU_ACTOR_KEYS__;
}

/**
 * Why a command's claim does not hold, or undefined when it does: signed by one of `keys`, for this actor, person,
 * case and command, and issued within CLAIM_TTL_MS of `nowMs` (the workflow's clock).
 */
export function claimProblem(
  signed: SignedClaim | undefined,
  expected: { actor: string; person?: { id: string; name: string }; caseId: string; payload: unknown },
  keys: string[],
  nowMs: number,
): string | undefined {
  if (!signed || typeof signed !== 'object' || !signed.claim || typeof signed.sig !== 'string') return 'no claim';
  const c = signed.claim;
  if (c.v !== 1) return 'unknown claim version';
  if (c.actor !== expected.actor) return 'claim for another actor';
  if ((c.person?.id ?? '') !== (expected.person?.id ?? '') || (c.person?.name ?? '') !== (expected.person?.name ?? ''))
    return 'claim for another person';
  if (c.caseId !== expected.caseId) return 'claim for another case';
  if (c.digest !== claimDigest(expected.payload)) return 'claim for another command';
  const iat = Date.parse(c.iat);
  if (!Number.isFinite(iat) || Math.abs(nowMs - iat) > CLAIM_TTL_MS) return 'claim expired';
  let sig: Uint8Array;
  try {
    sig = hexToBytes(signed.sig);
  } catch {
    return 'malformed signature';
  }
  const msg = claimBytes(c);
  for (const k of keys) if (verifiedBy(sig, msg, k)) return undefined;
  return 'bad signature';
}

type EdPoint = InstanceType<typeof ed25519.Point>;

/**
 * Each bundled key decoded once, with a table of its multiples (window 8: 4,096 points, 0.8 MiB a key, built in ~25 ms
 * on first use; half the additions of window 4 on every claim, 0.28 instead of 0.37 ms). A cache and nothing else: the
 * answer for a key is the same whether it was filled by this workflow or another (the module is preloaded and shared,
 * src/temporal/workflow-bundle.ts).
 */
const decodedKeys = new Map<string, { point: EdPoint; bytes: Uint8Array } | null>();

function decodedKey(hex: string): { point: EdPoint; bytes: Uint8Array } | null {
  let key = decodedKeys.get(hex);
  if (key === undefined) {
    try {
      const point = ed25519.Point.fromBytes(hexToBytes(hex), true);
      key = point.isSmallOrder() ? null : { point: point.precompute(8, false), bytes: point.toBytes() };
    } catch {
      key = null;
    }
    decodedKeys.set(hex, key);
  }
  return key;
}

/**
 * Ed25519 verification as @noble/curves' `ed25519.verify` does it (ZIP-215 decoding, the cofactored equation
 * [8][S]B = [8]R + [8][k]A), with the public key decoded and tabled once instead of on every command: about 0.3 ms
 * instead of 1.2–1.9 ms per claim. test/platform/actor-signing.test.ts holds it to noble's answers.
 */
export function verifiedBy(sig: Uint8Array, msg: Uint8Array, keyHex: string): boolean {
  const key = decodedKey(keyHex);
  if (!key || sig.length !== 64) return false;
  try {
    const R = ed25519.Point.fromBytes(sig.subarray(0, 32), true);
    const SB = ed25519.Point.BASE.multiplyUnsafe(bytesToNumberLE(sig.subarray(32, 64)));
    const k = ed25519.Point.Fn.create(bytesToNumberLE(sha512(concatBytes(R.toBytes(), key.bytes, msg))));
    return R.add(key.point.multiplyUnsafe(k)).subtract(SB).clearCofactor().is0();
  } catch {
    // A malformed R, or S not below the group order: no signature (a malformed key or signature verifies nothing).
    return false;
  }
}

/** A case command's claim problem; undefined when it holds, or when this worker bundles no keys (unsigned mode). */
export function commandClaimProblem(
  cmd: {
    event: unknown;
    actor: string;
    person?: { id: string; name: string };
    resolved?: unknown;
    claim?: SignedClaim;
  },
  caseId: string,
): string | undefined {
  const keys = bundledActorKeys();
  if (!keys) return undefined;
  return claimProblem(
    cmd.claim,
    { actor: cmd.actor, person: cmd.person, caseId, payload: commandPayload(cmd) },
    keys,
    Date.now(),
  );
}

/** What a command's claim covers: its event, and what the service resolved for it (an amended agency's leader). */
export const commandPayload = (cmd: { event: unknown; resolved?: unknown }): unknown =>
  cmd.resolved === undefined ? cmd.event : { event: cmd.event, resolved: cmd.resolved };
