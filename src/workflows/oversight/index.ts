export { quarterlyReportWorkflow, quarterlyReportScheduleWorkflow } from './quarterly';
export { reminderLetterWorkflow } from './letter';
