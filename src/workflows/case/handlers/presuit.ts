// Before the suit (一(一)): the agency feeds back how an oral notice of suit is being mediated; a dispute settled
// before any suit ends the case as 诉前化解.
import { isOutstanding } from '../../../duties';
import { clip } from '../names';
import { AGENCY_OR_BUREAU, isOpen, on } from './types';

const NOT_AWAITED = '本案没有待反馈的诉前协调化解情况';

export const presuitHandlers = {
  'presuit-feedback': on<'presuit-feedback'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.awaited('presuit-feedback') ? undefined : NOT_AWAITED),
    check: (c) => {
      const duty = c.awaited('presuit-feedback');
      return duty ? { duty } : NOT_AWAITED;
    },
    apply({ m, event, ctx: { duty }, actor, now }) {
      m.complete(duty, actor, event.summary);
      if (event.settled) {
        const s = m.state;
        s.presuitSettled = { at: event.occurredAt ?? now, summary: event.summary };
        for (const med of s.mediations.filter(isOpen)) med.overtakenAt = now;
        for (const d of s.duties) if (isOutstanding(d)) m.supersede(d.id, '争议已在诉前化解');
        m.log(actor, event.type, `争议已在诉前化解：${clip(event.summary)}`);
        m.notify('report', ['bureau', m.leader], {
          dutyTitle: duty.title,
          detail: `诉前化解：${clip(event.summary, 500)}`,
        });
        return;
      }
      m.log(actor, event.type, `反馈诉前协调化解情况：${clip(event.summary)}`);
      m.notify('report', ['bureau'], { dutyTitle: duty.title, detail: clip(event.summary, 500) });
    },
  }),
};
