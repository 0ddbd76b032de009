// The collège's pages (origine): its candidatures, inscription, class list import, fiches.
import type { Router } from 'express';
import type { EspaceDeps } from '../espace';

export function routesCollege(_router: Router, _deps: EspaceDeps): void {}
