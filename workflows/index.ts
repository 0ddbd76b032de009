export { candidatureWorkflow } from './candidature';
export { digestQuotidienWorkflow } from './digest';
