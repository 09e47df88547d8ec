// The bureau's own acts (五): flagging a major case for the leader's supervision, and recomputing provisional due
// dates once a year's official holiday arrangement is loaded.
import { clip } from '../names';
import { BUREAU, on } from './types';

export const bureauHandlers = {
  'major-case': on<'major-case'>()({
    who: BUREAU,
    ready: (c) => (c.state.major ? '本案已列为重大案件' : undefined),
    apply({ m, event, actor }) {
      m.state.major = true;
      m.log(actor, event.type, `列为疑难复杂/重大影响案件：${clip(event.reason)}`);
      m.notify('major-case', [m.leader], { detail: clip(event.reason, 500) });
    },
  }),

  'recalculate-deadlines': on<'recalculate-deadlines'>()({
    who: BUREAU,
    apply({ m, actor }) {
      m.reprojectProvisional(actor);
    },
  }),
};
