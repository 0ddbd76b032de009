export { candidatureWorkflow } from './candidature';
