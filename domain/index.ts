// The domain's public API: pure, deterministic rules shared by the workflows and the API.
export * from './identifiers';
export * from './etablissement';
export * from './eligibility';
export * from './calendar';
export * from './avis';
export * from './campaign';
export * from './campaigns';
export * from './catalogue';
export * from './catalogue/index';
export * from './deadlines';
