// The SAIO's pages: the campaign's dashboard, every candidature, the exports.
import type { Router } from 'express';
import type { EspaceDeps } from '../espace';

export function routesSaio(_router: Router, _deps: EspaceDeps): void {}
