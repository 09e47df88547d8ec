import { createHash, randomBytes } from 'node:crypto';
import ical, { ICalCalendarMethod } from 'ical-generator';
import type { Kysely } from 'kysely';
import { registryScope, type Principal } from '../access';
import { findAgency, type Directory } from '../directory';
import { NotFoundError } from '../errors';
import type { RegistryStore } from '../registry';
import type { ConsoleDatabase } from '../registry/console-migrations';
import { formatShanghai } from '../time/shanghai';

// Personal calendar feeds: every due date and hearing a person is responsible for or oversees, as iCalendar, read from
// the registry at each request (so a subscribed calendar follows the cases). The feed's URL carries a random secret,
// which is its only credential; the registry keeps its sha256, and a revoked feed answers 404 like an unknown one.

export interface FeedView {
  id: string;
  label: string | null;
  createdAt: string;
  lastFetchedAt: string | null;
}

export interface CreatedFeed extends FeedView {
  /** The subscription URL; shown once, since only its hash is stored. */
  url: string;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
export const FEED_SECRET = /^[A-Za-z0-9_-]{43}$/;

/** A feed's owner: a signed-in person as the sign-in layer names one (src/http/session.ts's `Person` is one). */
export interface FeedOwner {
  name: string;
  /** The stable role code (`agency:hrss`, `leader:vice-head-li`, `bureau`). */
  role: string;
  principal: Principal;
}

/** Names a feed's owner again from what the feed stored (src/http/session.ts's `People` does). */
export interface FeedOwners {
  fromRole(role: string, name: string): FeedOwner | undefined;
}

/** How long a hearing occupies the calendar when the court gave only its start. */
const HEARING_MS = 2 * 3_600_000;

export class CalendarFeeds {
  private readonly db: Kysely<ConsoleDatabase>;

  constructor(
    store: RegistryStore,
    private readonly people: FeedOwners,
    private readonly directory: Directory,
    private readonly publicUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.db = store.db as unknown as Kysely<ConsoleDatabase>;
  }

  async create(person: FeedOwner, label: string | undefined): Promise<CreatedFeed> {
    const secret = randomBytes(32).toString('base64url');
    const row = {
      id: randomBytes(9).toString('base64url'),
      secret_hash: sha256(secret),
      owner_role: person.role,
      owner_name: person.name,
      label: label ?? null,
      created_at: this.now().toISOString(),
      revoked_at: null,
      last_fetched_at: null,
    };
    await this.db.insertInto('calendar_feeds').values(row).execute();
    return { ...view(row), url: `${this.publicUrl}/api/calendar/${secret}.ics` };
  }

  /** The caller's own live feeds (the person: role and name). */
  async list(person: FeedOwner): Promise<FeedView[]> {
    const rows = await this.db
      .selectFrom('calendar_feeds')
      .selectAll()
      .where('owner_role', '=', person.role)
      .where('owner_name', '=', person.name)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(view);
  }

  /** Revokes one of the caller's feeds; someone else's feed answers exactly like a missing one. */
  async revoke(person: FeedOwner, id: string): Promise<void> {
    const r = await this.db
      .updateTable('calendar_feeds')
      .set({ revoked_at: this.now().toISOString() })
      .where('id', '=', id)
      .where('owner_role', '=', person.role)
      .where('owner_name', '=', person.name)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new NotFoundError('未找到该日历订阅');
  }

  /** The feed's iCalendar text, or 404 for an unknown or revoked secret. */
  async ics(secret: string): Promise<string> {
    const gone = () => new NotFoundError('日历订阅不存在或已撤销');
    if (!FEED_SECRET.test(secret)) throw gone();
    const feed = await this.db
      .selectFrom('calendar_feeds')
      .selectAll()
      .where('secret_hash', '=', sha256(secret))
      .executeTakeFirst();
    if (!feed || feed.revoked_at) throw gone();
    const person = this.people.fromRole(feed.owner_role, feed.owner_name);
    if (!person) throw gone();
    await this.db
      .updateTable('calendar_feeds')
      .set({ last_fetched_at: this.now().toISOString() })
      .where('id', '=', feed.id)
      .execute();

    const scope = registryScope(person.principal);
    // The same rows /api/duties shows this person: its agencies' cases, and the duties it owns itself (a leader's approvals).
    const owners = person.principal.role === 'leader' ? [person.role] : [];
    let duties = this.db
      .selectFrom('duties')
      .innerJoin('cases', 'cases.id', 'duties.case_id')
      .select([
        'duties.case_id',
        'duties.duty_id',
        'duties.title',
        'duties.owner',
        'duties.due_date',
        'duties.basis',
        'duties.status',
        'cases.title as case_title',
        'cases.agency_id',
      ])
      .where('duties.status', 'in', ['open', 'overdue']);
    let hearings = this.db
      .selectFrom('hearings')
      .innerJoin('cases', 'cases.id', 'hearings.case_id')
      .select([
        'hearings.case_id',
        'hearings.hearing_id',
        'hearings.scheduled_at',
        'hearings.head_appearance_required',
        'cases.title as case_title',
        'cases.agency_id',
        'cases.closed_at',
      ]);
    if (scope) {
      if (scope.agencyIds.length === 0 && owners.length === 0) return this.calendar(person, [], []);
      duties = duties.where((eb) =>
        eb.or([
          ...(scope.agencyIds.length ? [eb('cases.agency_id', 'in', scope.agencyIds)] : []),
          ...(owners.length ? [eb('duties.owner', 'in', owners)] : []),
        ]),
      );
      hearings = scope.agencyIds.length
        ? hearings.where('cases.agency_id', 'in', scope.agencyIds)
        : hearings.where('cases.id', '=', '');
    }
    const [d, h] = await Promise.all([
      duties.orderBy('duties.due_date').limit(2000).execute(),
      hearings.orderBy('hearings.scheduled_at').limit(2000).execute(),
    ]);
    return this.calendar(person, d, h);
  }

  private calendar(
    person: FeedOwner,
    duties: {
      case_id: string;
      duty_id: string;
      title: string;
      owner: string;
      due_date: string;
      basis: string;
      status: string;
      case_title: string;
      agency_id: string;
    }[],
    hearings: {
      case_id: string;
      hearing_id: string;
      scheduled_at: string;
      head_appearance_required: number;
      case_title: string;
      agency_id: string;
    }[],
  ): string {
    const cal = ical({
      name: `行政应诉期限 · ${person.name}`,
      description: '县司法局行政应诉平台：待办期限与庭审（只读订阅）',
      method: ICalCalendarMethod.PUBLISH,
      ttl: 3600,
      prodId: { company: 'yingsu', product: 'yingsu-calendar', language: 'ZH' },
    });
    const host = new URL(this.publicUrl).host;
    const agency = (id: string) => findAgency(this.directory, id)?.name ?? id;
    for (const d of duties) {
      const link = this.caseLink(d.case_id);
      cal.createEvent({
        id: `duty-${d.case_id}-${d.duty_id}@${host}`,
        // Midday UTC of the due date: an all-day event on that date whatever the reader's zone.
        start: new Date(`${d.due_date}T12:00:00Z`),
        allDay: true,
        summary: `${d.status === 'overdue' ? '【已逾期】' : '【截止】'}${d.title} · ${d.case_id}`,
        description: [
          `案件：${d.case_title}（${d.case_id}）`,
          `涉诉单位：${agency(d.agency_id)}`,
          `办理人：${d.owner}`,
          `截止日期：${d.due_date}（当日24时前）`,
          `依据：${d.basis}`,
          `案件页面：${link}`,
        ].join('\n'),
        url: link,
      });
    }
    for (const h of hearings) {
      const link = this.caseLink(h.case_id);
      const start = new Date(h.scheduled_at);
      cal.createEvent({
        id: `hearing-${h.case_id}-${h.hearing_id}@${host}`,
        start,
        end: new Date(start.getTime() + HEARING_MS),
        summary: `【开庭】${h.case_title} · ${h.case_id}`,
        description: [
          `案件：${h.case_title}（${h.case_id}）`,
          `涉诉单位：${agency(h.agency_id)}`,
          `开庭时间：${formatShanghai(h.scheduled_at)}`,
          h.head_appearance_required === 1
            ? '法院要求行政机关负责人出庭应诉；依据：武政办〔2023〕47号 三，负责人应当出庭应诉，既出庭又出声'
            : '负责人出庭：法院未要求',
          `案件页面：${link}`,
        ].join('\n'),
        url: link,
      });
    }
    // RFC 5545 ends every content line, the last one too, with CRLF; the generator leaves the last one bare.
    const out = cal.toString();
    return out.endsWith('\r\n') ? out : `${out}\r\n`;
  }

  private caseLink(caseId: string): string {
    return `${this.publicUrl}/cases/${encodeURIComponent(caseId)}`;
  }
}

const view = (r: {
  id: string;
  label: string | null;
  created_at: string;
  last_fetched_at: string | null;
}): FeedView => ({
  id: r.id,
  label: r.label,
  createdAt: r.created_at,
  lastFetchedAt: r.last_fetched_at,
});
