// The delivery worker: a loop in the worker process that drains the outbox. It claims due rows with a lease, sends
// them with bounded concurrency, records the proof, backs off per row, and alerts the bureau once per notice.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Directory } from '../directory';
import type { Logger } from '../log';
import type { ClaimedNotice, NoticeAlert, NoticeOutcome, RegistryStore } from '../registry';
import { ChannelError, describeTarget, type ChannelName, type Channels } from './channels';
import { contactOf, failureAlert, planOutboxRows } from './outbox';
import { backoffMs, policyMs, type DeliveryPolicy, type DeliveryPolicyMs } from './policy';

export interface DrainerDeps {
  store: RegistryStore;
  directory: Directory;
  channels: Channels;
  log: Logger;
  /** The deployment's policy (YINGSU_DELIVERY_*) over the defaults. */
  policy?: Partial<DeliveryPolicy>;
  /** The clock every due date, lease and horizon is read from (tests and the bench hand in their own). */
  now?: () => number;
  /** Who holds the leases this drainer takes; unique per process by default. */
  owner?: string;
  /** Rows claimed per statement. */
  batchSize?: number;
  /** Sends in flight at once. */
  concurrency?: number;
  /** How often an idle drainer looks for due rows (a nudge wakes it sooner). */
  pollMs?: number;
  /**
   * How long a nudge waits before it wakes the loop; nudges meanwhile join it (default 250 ms). The worker nudges
   * from inside a workflow task's local activity after every commit that wrote notices: the pass, synchronous
   * statements on SQLite, must neither hold up that task's reply nor land in the middle of the next command, as it
   * did with 20 ms (a command takes ~15 ms). A quarter of a second is nothing to a person waiting for a notice, and
   * the commits of a burst share one claim (README, Performance).
   */
  nudgeDelayMs?: number;
  /** How long a claim holds a row; longer than one attempt, so a live drainer never loses a row mid-send. */
  leaseMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface Drainer {
  readonly owner: string;
  /** Runs the loop until `stop()`. */
  start(): void;
  /** Wakes an idle loop shortly (a writer in this process has just enqueued rows). */
  nudge(): void;
  /** Finishes the sends in flight, gives back the rows claimed but not started, and ends the loop. */
  stop(): Promise<void>;
  /**
   * Sends every row due at the clock's current instant, and those that become due meanwhile (alerts), then returns
   * how many rows it handled. What the loop does on each wake-up; tests and the bench call it directly.
   */
  drainDue(): Promise<number>;
}

/** Why a row can never be sent as written: not retried, undeliverable, the bureau alerted. */
class Undeliverable extends Error {
  override name = 'Undeliverable';
  constructor(
    message: string,
    readonly answer: string | null = null,
  ) {
    super(message);
  }
}

/** A duration as people read it in an alert: 4 小时, 90 分钟. */
const spell = (ms: number): string =>
  ms % 3_600_000 === 0 ? ` ${ms / 3_600_000} 小时` : ` ${Math.max(1, Math.round(ms / 60_000))} 分钟`;

/** Time kept between the end of an attempt and the end of its lease before the fast path is taken. */
const LEASE_MARGIN_MS = 5_000;

const timeout = (ms: number) => {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChannelError(`no answer within ${ms} ms`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
};

export function createDrainer(deps: DrainerDeps): Drainer {
  const now = deps.now ?? Date.now;
  const owner = deps.owner ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  const policy: DeliveryPolicyMs = policyMs(deps.policy);
  const batchSize = deps.batchSize ?? 100;
  const concurrency = deps.concurrency ?? 32;
  const pollMs = deps.pollMs ?? 1000;
  const nudgeDelayMs = deps.nudgeDelayMs ?? 250;
  const leaseMs = deps.leaseMs ?? policy.attemptMs + 60_000;
  const { store, log } = deps;

  /** Rows this drainer holds (queued or sending): a lease renewed by a claim of our own is not a second copy. */
  const inHand = new Set<string>();
  const queue: ClaimedNotice[] = [];
  let exhausted = false;
  let refilling: Promise<void> | undefined;
  let stopping = false;
  let wakers: (() => void)[] = [];

  const wake = () => {
    exhausted = false;
    const w = wakers;
    wakers = [];
    for (const f of w) f();
  };
  const waitForWake = () => new Promise<void>((r) => wakers.push(r));
  let nudged: NodeJS.Timeout | undefined;
  const nudge = () => {
    nudged ??= setTimeout(() => {
      nudged = undefined;
      wake();
    }, nudgeDelayMs);
  };

  const refill = (): Promise<void> =>
    (refilling ??= (async () => {
      try {
        const t = now();
        const rows = await store.claimDueNotices(owner, new Date(t), new Date(t + leaseMs), batchSize);
        if (rows.length < batchSize) exhausted = true;
        for (const r of rows) {
          if (inHand.has(r.id)) continue;
          inHand.add(r.id);
          queue.push(r);
        }
      } catch (err) {
        // The registry is unreachable: wait for the next poll rather than spin.
        exhausted = true;
        log.error({ err: { name: (err as Error).name, message: (err as Error).message } }, 'outbox claim failed');
      } finally {
        refilling = undefined;
      }
    })());

  /** The bureau's alert about a row's notice, or undefined when none is due (an alert's row, or one alerted before). */
  function alertOf(row: ClaimedNotice, reason: string, at: Date): NoticeAlert | undefined {
    if (row.kind === 'delivery-failed' || row.alertedAt) return undefined;
    const req = failureAlert(row, reason, at.toISOString());
    return {
      noticeKey: row.key,
      alertKey: req.key,
      rows: planOutboxRows(req, deps.directory, deps.channels, log, deps.env),
      at,
    };
  }

  function alerted(row: ClaimedNotice, reason: string): void {
    log.error(
      { caseId: row.caseId, noticeKey: row.key, rowId: row.id, reason },
      'bureau alerted: notice not delivered',
    );
    // Its rows are due now: the next claim of this pass takes them.
    exhausted = false;
  }

  /** The bureau's alert about a row still being retried (it has failed for long), once per notice. */
  async function alert(row: ClaimedNotice, reason: string): Promise<void> {
    const req = alertOf(row, reason, new Date(now()));
    if (req && (await store.enqueueNoticeAlert(req))) alerted(row, reason);
  }

  /**
   * A row that will not be sent: closed with `outcome` (without one, it came closed: written undeliverable when
   * enqueued), the bureau alerted once per notice, and settled, in one transaction. The row is reported here, once:
   * when this call closed it, or when it came closed (the commit that wrote it runs inside a workflow task).
   */
  async function end(row: ClaimedNotice, reason: string, outcome?: NoticeOutcome): Promise<void> {
    const at = outcome?.at ?? new Date(now());
    const alert = alertOf(row, reason, at);
    const done = await store.endNotice(row.id, { ...(outcome ? { outcome } : {}), ...(alert ? { alert } : {}) });
    if (done.closed || !outcome)
      log.error(
        { caseId: row.caseId, noticeKey: row.key, rowId: row.id, recipient: row.recipient, error: reason },
        (outcome?.status ?? row.status) === 'failed' ? 'notice failed for good' : 'notice undeliverable',
      );
    if (done.alerted) alerted(row, reason);
  }

  function undeliverable(row: ClaimedNotice, reason: string, answer: string | null = null): Promise<void> {
    return end(row, reason, { status: 'undeliverable', error: reason, at: new Date(now()), answer });
  }

  /** What the row's channel and contact are now, or why it cannot be sent as written. */
  function route(row: ClaimedNotice) {
    const channel = deps.channels[row.channel as ChannelName];
    if (!channel || row.channel === 'log') throw new Undeliverable(`channel ${row.channel} is not configured`);
    const contact = contactOf(deps.directory, row);
    if (contact?.channel !== row.channel)
      throw new Undeliverable(`${row.recipient} has no ${row.channel} contact #${row.contactNo} any more`);
    // The row was written for one address: a directory edited since must not silently send it elsewhere.
    const target = describeTarget(contact);
    if (target !== row.target)
      throw new Undeliverable(
        `${row.recipient} 的联系方式已变更：通知写入时为 ${row.target}，现为 ${target}；未发送，请核实后重发`,
      );
    return { channel, contact };
  }

  /**
   * One row. The crash window: if the process dies after the channel accepted the notice and before the proof is
   * written, the row stays `sending` under a lease that expires; the drainer that takes it over sends it again with
   * the same row id (Idempotency-Key header, a Message-ID derived from it, the key in robot texts), so a receiver
   * that dedupes sees it once. Exactly-once across a crash is not possible without the receiver's help.
   */
  async function handle(row: ClaimedNotice): Promise<void> {
    if (row.status === 'failed' || row.status === 'undeliverable') {
      // Closed already (written undeliverable when enqueued): the report, the alert and the settling are left.
      return end(row, row.lastError ?? '没有可用的送达渠道');
    }
    let target: ReturnType<typeof route>;
    try {
      target = route(row);
    } catch (err) {
      if (err instanceof Undeliverable) return undeliverable(row, err.message);
      throw err;
    }
    const startedAt = now();
    // Fast path: the claim's lease outlasts this attempt, so no other drainer can take the row meanwhile and the
    // attempt is recorded with its outcome (one write a row). Otherwise the attempt is recorded first, under a
    // renewed lease, and refused if another drainer has taken the row over.
    const fast = row.leaseUntil !== null && startedAt + policy.attemptMs + LEASE_MARGIN_MS < Date.parse(row.leaseUntil);
    const attempt = fast
      ? { attempts: row.attempts + 1, firstAttemptAt: row.firstAttemptAt ?? new Date(startedAt).toISOString() }
      : await store.startNoticeAttempt(row.id, owner, new Date(startedAt), new Date(startedAt + leaseMs));
    if (!attempt) return;
    const sentAt = fast ? new Date(startedAt) : undefined;
    const limit = timeout(policy.attemptMs);
    try {
      const receipt = await Promise.race([
        target.channel.send(
          {
            rowId: row.id,
            key: row.key,
            kind: row.kind,
            caseId: row.caseId,
            dutyId: row.dutyId,
            recipient: row.recipient,
            subject: row.subject,
            body: row.body,
            requestedAt: row.requestedAt,
          },
          target.contact,
        ),
        limit.promise,
      ]);
      await store.markNoticeDelivered(row.id, receipt.answer, new Date(now()), sentAt);
      log.info(
        { caseId: row.caseId, noticeKey: row.key, recipient: row.recipient, channel: row.channel },
        'notice delivered',
      );
    } catch (err) {
      const e = err instanceof ChannelError ? err : new ChannelError((err as Error).message ?? String(err));
      if (sentAt) await store.countNoticeAttempt(row.id, sentAt);
      if (!e.retryable) return undeliverable(row, e.message, e.answer);
      await failed(row, attempt, e);
    } finally {
      limit.cancel();
    }
  }

  /** A refused attempt: back off, or fail the row past its horizon or attempt cap; alert once it has failed long. */
  async function failed(
    row: ClaimedNotice,
    attempt: { attempts: number; firstAttemptAt: string },
    e: ChannelError,
  ): Promise<void> {
    const t = now();
    const first = Date.parse(attempt.firstAttemptAt);
    const horizonEnd = first + policy.horizonMs;
    log.warn(
      { caseId: row.caseId, noticeKey: row.key, recipient: row.recipient, channel: row.channel, error: e.message },
      'notice attempt failed',
    );
    if (t >= horizonEnd || (policy.maximumAttempts !== undefined && attempt.attempts >= policy.maximumAttempts)) {
      const reason = `送达失败（${attempt.attempts} 次尝试，已到重试期限）：${e.message}`;
      return end(row, reason, { status: 'failed', error: reason, at: new Date(t), answer: e.answer });
    }
    // The last attempt falls on the horizon; until alerted, one falls on the alert instant too, so the alert is
    // not an hour late behind a long backoff.
    let next = Math.min(t + backoffMs(policy, attempt.attempts), horizonEnd);
    if (!row.alertedAt) {
      const alertAt = first + policy.alertMs;
      if (t >= alertAt) await alert(row, `已持续失败${spell(policy.alertMs)}，仍在重试：${e.message}`);
      else next = Math.min(next, alertAt);
    }
    await store.markNoticeAttemptFailed(row.id, e.message, e.answer, new Date(next));
  }

  /** One of `concurrency` senders: takes rows off the queue, refilling it when it runs low. */
  async function sender(forever: boolean): Promise<number> {
    let handled = 0;
    while (!stopping) {
      if (queue.length < concurrency && !exhausted) void refill();
      const row = queue.shift();
      if (row) {
        try {
          await handle(row);
        } catch (err) {
          // The registry failed under us: the lease runs out and the row is taken again later.
          log.error(
            { rowId: row.id, err: { name: (err as Error).name, message: (err as Error).message } },
            'outbox row not handled',
          );
        } finally {
          inHand.delete(row.id);
        }
        handled += 1;
        continue;
      }
      if (!exhausted) {
        await refill();
        continue;
      }
      if (!forever) break;
      await waitForWake();
    }
    return handled;
  }

  let loop: Promise<unknown> | undefined;
  let poller: NodeJS.Timeout | undefined;

  return {
    owner,
    start() {
      if (loop) return;
      stopping = false;
      exhausted = false;
      // A running loop keeps its process alive until stop(), like a Temporal worker's run().
      poller = setInterval(wake, pollMs);
      loop = Promise.all(Array.from({ length: concurrency }, () => sender(true)));
      log.info({ owner, concurrency, batchSize, pollMs }, 'outbox drainer started');
    },
    nudge,
    async stop() {
      stopping = true;
      if (poller) clearInterval(poller);
      if (nudged) clearTimeout(nudged);
      nudged = undefined;
      wake();
      await loop;
      await refilling;
      loop = undefined;
      const left = queue.splice(0);
      for (const r of left) inHand.delete(r.id);
      await store.releaseNotices(
        left.map((r) => r.id),
        owner,
      );
      log.info({ owner, released: left.length }, 'outbox drainer stopped');
    },
    async drainDue() {
      let total = 0;
      for (;;) {
        exhausted = false;
        const counts = await Promise.all(Array.from({ length: concurrency }, () => sender(false)));
        const n = counts.reduce((a, b) => a + b, 0);
        total += n;
        if (n === 0 || stopping) return total;
      }
    },
  };
}
