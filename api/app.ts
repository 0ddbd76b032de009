// The staff API: builds the Express app (tests import it; runtime/main.ts listens). Every call but /health,
// /openapi.json and /docs is authenticated (api/auth.ts) and scoped to the caller's school; calls are
// limited per IP address and per person (api/limites.ts).
import express, { type Request, type Response } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { Client } from '@temporalio/client';
import type { Database } from '../platform/database';
import { actions } from './actions';
import { autorisations } from '../domain/autorisations';
import { appelant, authentifier, exigerRoles } from './auth';
import { routesCalendriers } from './calendriers';
import { createCandidatures } from './candidatures';
import { createCreneaux, routesCreneaux } from './creneaux';
import { routesCodec, type CodecDeps } from './codec';
import { routesCatalogue } from './catalogue';
import { limiteur, parIp, parPersonne, type Limites } from './limites';
import { revocationsEnBase, routesJetons } from './jetons';
import { errorHandler, notFound } from './errors';
import { routesExports } from './exports';
import { routesFiches } from './fiches';
import { routesImport } from './import';
import { routesJournal } from './journal';
import { createPurges, routesPurges } from './purges';
import type { Inscription } from './inscription';
import { createLogger, httpLogger, type Logger } from './logging';
import { buildOpenApi } from './openapi';
import { politiqueContenuDocs, politiqueContenuPages, routesPages } from './pages';
import { listerCandidatures, statistiques } from './reads';
import { candidatureIdParam, inscriptionSchema, listeQuery, statistiquesQuery } from './schemas';
import { body, parse } from './validation';
import { creerConnexionWeb, type ConnexionOptions } from './web/connexion';
import { routesEspace } from './web/espace';

export { createLogger };

export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

export interface AppDeps {
  client: Client;
  /** The query side: lists and counts. */
  db: Database;
  taskQueue: string;
  /** HS256 key of the callers' tokens (config JWT_SECRET). */
  jwtSecret: string;
  /** The key of the candidatures' pseudonymous workflow ids (config PASSPRO_ID_KEY). */
  cleIdentifiants: string;
  health: HealthCheck[];
  logError: (error: unknown) => void;
  /** Request logs (pino); none when absent. */
  logger?: Logger;
  /** The staff's sign-in to the pages (OpenID Connect, api/web/connexion.ts); no pages when absent. */
  connexion?: ConnexionOptions;
  /** Rate limits (config LIMITE_*); none when absent, as in the tests that do not test them. */
  limites?: Limites;
  /** The SAIO's Temporal UI (config TEMPORAL_UI_URL), which the dashboard links to. */
  temporalUiUrl?: string;
  /** The codec endpoint for the SAIO's Temporal UI (api/codec.ts); none when absent. */
  codec?: CodecDeps;
}

export function buildApp(deps: AppDeps): express.Express {
  // A place left behind by a failed release holds nothing (api/creneaux.ts): the désistement is answered anyway.
  const liberer = (id: string) => creneaux.liberer(id).catch(deps.logError);
  const candidatures = createCandidatures({ ...deps, liberer });
  const creneaux = createCreneaux({ db: deps.db, candidatures });
  const purges = createPurges(deps);
  const app = express();
  app.disable('x-powered-by');
  // States change with every action and are read once: no ETag (a hash of every answer) to revalidate them.
  app.set('etag', false);
  // The caller's IP is the socket's, or that of X-Forwarded-For past the deployment's own proxies.
  app.set('trust proxy', deps.limites?.proxies ?? 0);
  app.use(httpLogger(deps.logger ?? createLogger('silent')));
  // The Content Security Policy is the pages' own (api/pages.ts); /docs gets its own below. Sign-in and sign-out
  // forms end at the identity provider: its origin is a form target too.
  app.use(helmet({ contentSecurityPolicy: false }), politiqueContenuPages(deps.connexion ? [new URL(deps.connexion.issuer).origin] : []));
  if (deps.limites) app.use(limiteur(parIp(deps.limites.requetesParIp)));
  const web = deps.connexion ? creerConnexionWeb(deps.db.prisma, deps.connexion, deps.logError) : undefined;
  if (web) app.use(web.routes);
  const imports = { client: deps.client, prisma: deps.db.prisma, inscrire: candidatures.inscrire, idCandidature: candidatures.idCandidature, logError: deps.logError, importsParHeure: deps.limites?.importsParHeure };
  if (web) routesEspace(app, { web, candidatures, creneaux, purges, db: deps.db, imports, temporalUiUrl: deps.temporalUiUrl });
  // Who calls is known before any body is read: an anonymous caller gets 401, whatever it sends.
  const authentification = authentifier(deps.jwtSecret, revocationsEnBase(deps.db));
  if (deps.codec) routesCodec(app, { ...deps.codec, authentification, appelantDeSession: web?.appelantDeSession });
  const authentifiees = ['/candidatures', '/creneaux', '/calendriers/abonnement', '/statistiques', '/eleves', '/catalogue', '/exports', '/journal', '/purges', '/jetons', '/health/composants'];
  app.use(authentifiees, authentification.middleware);
  if (deps.limites) app.use(authentifiees, limiteur(parPersonne(deps.limites.requetesParPersonne)));
  app.use(express.json({ limit: '100kb' }));

  const handle = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: (e?: unknown) => void) => {
    fn(req, res).catch(next);
  };

  /** Every component's state: its detail names the parts of the deployment, so only the SAIO reads it. */
  async function composants(): Promise<{ ok: boolean; composants: Record<string, string> }> {
    const results = await Promise.all(
      deps.health.map(async ({ name, check }) => {
        try {
          await check();
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, (error as Error).message] as const;
        }
      }),
    );
    return { ok: results.every(([, status]) => status === 'ok'), composants: Object.fromEntries(results) };
  }
  const statut = (ok: boolean) => (ok ? 'ok' : 'indisponible');

  app.get(
    '/health',
    handle(async (_req, res) => {
      const { ok } = await composants();
      res.status(ok ? 200 : 503).json({ statut: statut(ok) });
    }),
  );

  app.get(
    '/health/composants',
    exigerRoles(['saio']),
    handle(async (_req, res) => {
      const etat = await composants();
      res.status(etat.ok ? 200 : 503).json({ statut: statut(etat.ok), composants: etat.composants });
    }),
  );

  const openapi = buildOpenApi();
  app.get('/openapi.json', (_req, res) => void res.json(openapi));
  app.use('/docs', politiqueContenuDocs, swaggerUi.serve, swaggerUi.setup(openapi, { customSiteTitle: 'Passpro — API' }));
  routesPages(app);

  app.get(
    '/candidatures',
    handle(async (req, res) => {
      const q = parse(listeQuery, req.query, 'query');
      res.json(await listerCandidatures(deps.db.prisma, appelant(req), q));
    }),
  );

  app.post(
    '/candidatures',
    exigerRoles(autorisations.inscription.roles),
    body(inscriptionSchema),
    handle(async (req, res) => {
      const state = await candidatures.inscrire(appelant(req), req.body as Inscription);
      res.status(201).location(`/candidatures/${encodeURIComponent(state.id)}`).json(state);
    }),
  );

  app.get(
    '/candidatures/:id',
    handle(async (req, res) => {
      const id = parse(candidatureIdParam, req.params.id, 'params.id');
      res.type('json').send(await candidatures.etatVisibleJson(id, appelant(req), 'candidature'));
    }),
  );

  // Each staff action: the role is checked first (403, nothing looked up), then the body (400), then the
  // candidature must be one the caller sees (404), the vœux it adds must be in the catalogue (422), and only
  // then is the workflow asked (its validators check role, school, step and dates again: a refusal is a 409
  // with its reason).
  for (const a of actions) {
    app.post(
      `/candidatures/:id/${a.path}`,
      exigerRoles(a.roles),
      body(a.schema),
      handle(async (req, res) => {
        const id = parse(candidatureIdParam, req.params.id, 'params.id');
        res.json(await candidatures.agir(appelant(req), id, a.path, req.body as never));
      }),
    );
  }

  routesCreneaux(app, creneaux);
  routesCalendriers(app, { prisma: deps.db.prisma });
  routesImport(app, imports);
  routesCatalogue(app, { prisma: deps.db.prisma });
  routesFiches(app, { prisma: deps.db.prisma, etatVisible: candidatures.etatVisible });

  app.get(
    '/statistiques',
    exigerRoles(['saio']),
    handle(async (req, res) => {
      const { campagne } = parse(statistiquesQuery, req.query, 'query');
      res.json(await statistiques(deps.db.prisma, campagne));
    }),
  );

  routesExports(app, { prisma: deps.db.prisma });
  routesJournal(app, { prisma: deps.db.prisma });
  routesPurges(app, purges);
  routesJetons(app, { db: deps.db, authentification });
  app.use(notFound);
  app.use(errorHandler(deps.logError));
  return app;
}
