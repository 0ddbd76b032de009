// The lycée's pages (accueil): its inbox by urgency and its candidatures.
import type { Router } from 'express';
import type { EspaceDeps } from '../espace';

export function routesLycee(_router: Router, _deps: EspaceDeps): void {}
