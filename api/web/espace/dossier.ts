// A candidature's page, for everyone in scope, and the forms of the actions its reader may take.
import type { Router } from 'express';
import type { EspaceDeps } from '../espace';

export function routesDossier(_router: Router, _deps: EspaceDeps): void {}
