// Before the suit (一(一)): the agency feeds back how an oral notice of suit is being mediated.
import { clip } from '../names';
import { AGENCY_OR_BUREAU, on } from './types';

export const presuitHandlers = {
  'presuit-feedback': on<'presuit-feedback'>()({
    who: AGENCY_OR_BUREAU,
    ready: (c) => (c.awaited('presuit-feedback') ? undefined : 'no pre-suit feedback is awaited on this case'),
    check: (c) => {
      const duty = c.awaited('presuit-feedback');
      return duty ? { duty } : 'no pre-suit feedback is awaited on this case';
    },
    async apply({ m, event, ctx: { duty }, actor }) {
      m.complete(duty, actor, event.summary);
      m.log(actor, event.type, `反馈诉前协调化解情况：${clip(event.summary)}`);
      await m.notify('report', ['bureau'], { dutyTitle: duty.title, detail: clip(event.summary, 500) });
    },
  }),
};
