export { candidatureWorkflow } from './candidature';
export { digestQuotidienWorkflow } from './digest';
export { purgeCampagneWorkflow, purgesWorkflow } from './purge';
