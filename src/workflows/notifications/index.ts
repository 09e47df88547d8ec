export { deliverNoticeWorkflow } from './deliver';
