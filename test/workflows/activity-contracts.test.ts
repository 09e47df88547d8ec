import type { Activities } from '../../src/activities';
import type { CaseActivities } from '../../src/workflows/case/activities';
import type { NotificationActivities } from '../../src/workflows/notifications/activities';
import type { OversightActivities } from '../../src/workflows/oversight/activities';

// The workflows declare the activities they call as types of their own; tsc checks the worker's against them here.
type Declared = CaseActivities & NotificationActivities & OversightActivities;
const satisfiesDeclared = <T extends Declared>(): true => true;

test('the worker’s activities satisfy every activity the workflow families declare', () => {
  expect(satisfiesDeclared<Activities>()).toBe(true);
});
