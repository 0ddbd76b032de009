// Everything a workflow test needs, real: the time-skipping server, the workflow bundle (built once per
// file), a migrated database and an SMTP receiver; a worker per test on its own task queue.
import { DEV_ID_KEY } from '../../platform/config';
import { candidatureWorkflowId } from '../../platform/identifiants-candidature';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { ParsedMail } from 'mailparser';
import { createActivities, type Activities } from '../../activities';
import { createSmtpMailer, type Mailer } from '../../platform/smtp';
import { addDays, endOfParisDay, parisInstant } from '../../domain/calendar';
import type { candidatureWorkflow } from '../../workflows/candidature';
import type { CandidatureInput, CandidatureState } from '../../domain/candidature';
import { type Accuse, candidatureStartPolicy, constaterEntretienUpdate, stateQuery, inscrireUpdate, planifierEntretienUpdate, saisirAvisOrigineUpdate } from '../../workflows/definitions';
import { testDatabase, type TestDatabase } from './db';
import { avisOrigineInput, chefOrigine, ENTRETIEN, personnelAccueil, planificationInput } from './fixtures';
import { startSmtpReceiver, type SmtpReceiver } from './smtp';
import { bundleWorkflows, convertisseurDeTest, timeSkippingEnv, uniqueTaskQueue } from './temporal';

export interface WorkflowTestContext {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundleWithSourceMap;
  db: TestDatabase;
  smtp: SmtpReceiver;
  mailer: Mailer;
}

async function setUpWorkflowTests(): Promise<WorkflowTestContext> {
  const [env, bundle, db, smtp] = await Promise.all([timeSkippingEnv(), bundleWorkflows(), testDatabase(), startSmtpReceiver()]);
  const mailer = createSmtpMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'passpro@ac-creteil.fr' });
  return { env, bundle, db, smtp, mailer };
}

/**
 * The context of a file's workflow tests: set up before its first test, torn down after its last, and (unless
 * `horlogeNeuve: false`) a new time-skipping server before each test (horlogeNeuve). Filled in by `beforeAll`:
 * read it inside tests and hooks only.
 */
export function contexteDeTests({ horlogeNeuve: neuve = true }: { horlogeNeuve?: boolean } = {}): WorkflowTestContext {
  const ctx = {} as WorkflowTestContext;
  beforeAll(async () => {
    Object.assign(ctx, await setUpWorkflowTests());
  }, 120_000);
  afterAll(() => tearDownWorkflowTests('env' in ctx ? ctx : undefined));
  if (neuve) beforeEach(() => horlogeNeuve(ctx));
  return ctx;
}

async function tearDownWorkflowTests(ctx: WorkflowTestContext | undefined): Promise<void> {
  if (!ctx) return;
  ctx.mailer.close();
  await ctx.smtp.stop();
  await ctx.db.close();
  await ctx.env.teardown();
}

/** The real activities on the context's database and SMTP receiver (through `mailer`, which a test may wrap). */
export function activitesReelles(ctx: WorkflowTestContext, mailer: Mailer = ctx.mailer): Activities {
  return createActivities({ db: ctx.db, mailer, publicUrl: 'http://passpro.test', saioEmail: 'saio@ac-creteil.fr' });
}

/** A worker on its own task queue, with the real activities unless a test wraps them. */
export async function withWorker<T>(ctx: WorkflowTestContext, fn: (taskQueue: string) => Promise<T>, activities = activitesReelles(ctx)): Promise<T> {
  const taskQueue = uniqueTaskQueue('wf');
  const worker = await Worker.create({ connection: ctx.env.nativeConnection, taskQueue, workflowBundle: ctx.bundle, activities, dataConverter: convertisseurDeTest });
  return worker.runUntil(async () => {
    const result = await fn(taskQueue);
    await auRepos(worker);
    return result;
  });
}

/**
 * Mails leave after the action that causes them has been answered (workflows/candidature.ts): a test that checks
 * them keeps its worker until nothing is in flight for a few polls in a row.
 */
async function auRepos(worker: Worker, limiteMs = 20_000): Promise<void> {
  const limite = Date.now() + limiteMs;
  for (let calme = 0; calme < 4 && Date.now() < limite; ) {
    const { numInFlightActivities, numInFlightWorkflowActivations } = worker.getStatus();
    calme = numInFlightActivities === 0 && numInFlightWorkflowActivations === 0 ? calme + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function startCandidature(ctx: WorkflowTestContext, taskQueue: string, input: CandidatureInput) {
  return ctx.env.client.workflow.start('candidatureWorkflow', {
    taskQueue,
    workflowId: candidatureWorkflowId(DEV_ID_KEY, input.campagne.id, input.eleve.ine, input.domaine.code),
    ...candidatureStartPolicy,
    args: [input],
  });
}

/** Registers the pupil as the API does: the inscription sent with the start (update-with-start). Answers the state. */
export async function inscrireAuDemarrage(ctx: WorkflowTestContext, taskQueue: string, input: CandidatureInput, voeux = input.voeux): Promise<CandidatureState> {
  await ctx.env.client.workflow.executeUpdateWithStart(inscrireUpdate, {
    args: [{ voeux, acteur: chefOrigine }],
    startWorkflowOperation: new WithStartWorkflowOperation<typeof candidatureWorkflow>('candidatureWorkflow', {
      workflowId: idDe(input),
      taskQueue,
      ...candidatureStartPolicy,
      args: [input],
    }),
  });
  return ctx.env.client.workflow.getHandle(idDe(input)).query(stateQuery);
}

/** Moves the test server's clock to `instant` (the workflow's timers fire on the way). */
export async function avancerJusqua(ctx: WorkflowTestContext, instant: Date): Promise<void> {
  const now = await ctx.env.currentTimeMs();
  if (instant.getTime() > now) await ctx.env.sleep(instant.getTime() - now);
}

export type CandidatureHandle = Awaited<ReturnType<typeof startCandidature>>;

/**
 * A new time-skipping server for the context (the old one is torn down): its clock starts today again, and no
 * run left by an earlier test shares it. Use it in `beforeEach` when tests move the clock: a file's tests would
 * otherwise share one clock that only goes forward, and a run left open by an earlier test (its worker gone)
 * holds time skipping when its next timer fires.
 */
export async function horlogeNeuve(ctx: WorkflowTestContext): Promise<void> {
  const ancien = ctx.env;
  ctx.env = await timeSkippingEnv();
  await ancien.teardown();
}

/** The workflow id of a candidature input. */
export function idDe(input: CandidatureInput): string {
  return candidatureWorkflowId(DEV_ID_KEY, input.campagne.id, input.eleve.ine, input.domaine.code);
}

/** Polls until `condition` holds (real time: the database and the SMTP receiver are real). */
export async function jusqua(condition: () => Promise<boolean> | boolean, quoi = 'condition', timeoutMs = 20_000): Promise<void> {
  const limite = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > limite) throw new Error(`${quoi} : pas atteinte en ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The reason a validator gave for refusing an update (the caller's WorkflowUpdateFailedError, whose cause
 * carries the validator's message). Throws if the update was accepted, or failed in another way.
 */
export async function refus(update: Promise<unknown>): Promise<string> {
  try {
    await update;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof Error) return error.cause.message;
    throw error;
  }
  throw new Error('mise à jour acceptée, un refus était attendu');
}

/** The mails about one candidature (its link is in every body), digests aside. */
export function mailsDe(ctx: WorkflowTestContext, id: string): ParsedMail[] {
  return ctx.smtp.mails.filter((m) => m.text?.includes(encodeURIComponent(id)) === true && !(m.subject ?? '').includes('votre attention'));
}

/** The kind of a per-pupil mail, from its subject (templates/<gabarit>/subject.hbs). */
export function genreDe(mail: ParsedMail): string {
  const sujet = mail.subject ?? '';
  if (sujet.includes('convocation modifiée')) return 'convocation_modifiee';
  if (sujet.includes('convocation')) return 'convocation';
  if (sujet.includes('entretien annulé')) return 'annulation';
  if (sujet.includes('désistement')) return 'desistement';
  if (sujet.includes('fiche récapitulative prête')) return 'fiche_prete';
  return sujet;
}

export interface Traces {
  /** Reminder rows as `<type> → <destinataire>`, sorted. */
  rappels: string[];
  /** Outbox rows (Courriel) as their key without the candidature id, in creation order. */
  courriels: string[];
  /** Mails received by the SMTP receiver, by kind, in arrival order. */
  mails: string[];
}

/**
 * What one candidature left in the world: reminders, outbox rows, mails received. Read after a short wait so
 * that a duplicate would have had time to arrive: each event must be there exactly once.
 */
export async function traces(ctx: WorkflowTestContext, id: string): Promise<Traces> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  const rappels = await ctx.db.prisma.rappel.findMany({ where: { candidatureId: id }, orderBy: { id: 'asc' } });
  for (const r of rappels) expect(r.cle).toBe(`${id}/${r.type}/${r.destinataire}`);
  const courriels = await ctx.db.prisma.courriel.findMany({ where: { candidatureId: id }, orderBy: { id: 'asc' } });
  for (const c of courriels) expect(c.envoyeLe).not.toBeNull();
  return {
    rappels: rappels.map((r) => `${r.type} → ${r.destinataire}`).sort(),
    courriels: courriels.map((c) => c.cle.slice(id.length + 1)),
    mails: mailsDe(ctx, id).map(genreDe),
  };
}

/** The reminder rows of one candidature, in the order they were recorded. */
export function rappelsDe(ctx: WorkflowTestContext, id: string) {
  return ctx.db.prisma.rappel.findMany({ where: { candidatureId: id }, orderBy: { id: 'asc' } });
}

/** A reminder fell due at `instant` (on the workflow's clock, to the minute). */
export function expectCreeA(creeLe: Date, instant: Date): void {
  expect(creeLe.getTime()).toBeGreaterThanOrEqual(instant.getTime());
  expect(creeLe.getTime()).toBeLessThan(instant.getTime() + 60_000);
}

/**
 * Registered, avis d'origine entered (`avisOrigine[i]` for the i-th vœu), interview planned on ENTRETIEN and held
 * (constat at 15:00 that day): the compte rendu is due within 3 days.
 */
export async function entretienTenu(ctx: WorkflowTestContext, handle: CandidatureHandle, input: CandidatureInput, avisOrigine: string[]): Promise<CandidatureState> {
  await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
  await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(input.voeux, avisOrigine)] });
  await handle.executeUpdate(planifierEntretienUpdate, { args: [planificationInput(ENTRETIEN.date, ENTRETIEN.heure)] });
  await avancerJusqua(ctx, parisInstant(ENTRETIEN.date, '15:00'));
  const state = await agirPuisLire(handle, constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] });
  expect(state.etape).toBe('compte_rendu_attendu');
  expect(state.echeances.compteRendu).toBe(endOfParisDay(addDays(ENTRETIEN.date, input.campagne.delais.compteRenduJours)).toISOString());
  return state;
}

/** An update as the API sends it, then the state it left (the update answers only that it is taken, and its version). */
export async function agirPuisLire<T>(handle: WorkflowHandle, update: UpdateDefinition<Accuse, [T]>, options: { args: [T] }): Promise<CandidatureState> {
  await handle.executeUpdate(update, options);
  return handle.query(stateQuery);
}
