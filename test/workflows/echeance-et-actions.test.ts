// Staff actions meeting a deadline, on the real time-skipping server with real activities. The deadline's
// write is a local activity of the main loop while the actions' writes are activities of their handlers:
// an action may arrive in the very workflow task the deadline wakes, or while its local activity runs.
// Each run's history is then replayed from its start, as a worker does for a run it evicted: an order of
// commands that replay would not reproduce fails there (a worker caching one run at a time would replay every
// task, but its sticky tasks then wait out their timeout: too slow for a suite).
import type { History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { escaladePlanification } from '../../domain/deadlines';
import type { CandidatureInput } from '../../domain/candidature';
import { desisterUpdate, saisirAvisOrigineUpdate } from '../../workflows/definitions';
import type { candidatureWorkflow } from '../../workflows/candidature';
import { avisOrigineInput, campagneEn, candidatureInput, chefOrigine } from '../support/fixtures';
import { convertisseurDeTest, uniqueTaskQueue } from '../support/temporal';
import { activitesReelles, avancerJusqua, contexteDeTests, idDe, inscrireAuDemarrage, jusqua, rappelsDe } from '../support/workflow-env';

const { EventType } = temporal.api.enums.v1;
/** The planning reminder and the escalation fall together (as in the académie benchmark). */
const creteil2018 = campagneEn('creteil-2018', 2027);
const campagne = { ...creteil2018, delais: { ...creteil2018.delais, rappelPlanificationJoursAvant: creteil2018.delais.escaladePlanificationJoursAvant } };
const echeance = escaladePlanification(campagne);

describe('staff actions at the moment a deadline falls', () => {
  const ctx = contexteDeTests();

  /**
   * Registers `n` candidatures, passes the deadline, and sends an action to each, each a little later than the
   * one before (`ecartMs`): some in the deadline's task, some while its write runs, some after. One in three désists, the others enter their avis d'origine (then désist, to end).
   * Returns each run's history once all have ended.
   */
  async function actionsAlEcheance(n: number, ecartMs: number, activities: Activities) {
    const taskQueue = uniqueTaskQueue('echeance');
    const worker = await Worker.create({ connection: ctx.env.nativeConnection, taskQueue, workflowBundle: ctx.bundle, activities, dataConverter: convertisseurDeTest });
    const inputs: CandidatureInput[] = Array.from({ length: n }, () => candidatureInput(campagne));
    const histoires = await worker.runUntil(async () => {
      const handles = await Promise.all(
        inputs.map(async (input) => {
          await inscrireAuDemarrage(ctx, taskQueue, input);
          return ctx.env.client.workflow.getHandle<typeof candidatureWorkflow>(idDe(input));
        }),
      );
      // The clock passes the deadline, then the actions come while the worker handles it. Not at the same time as
      // the clock moves: a client moving the test server's clock while others wait on updates can hang both.
      await avancerJusqua(ctx, new Date(echeance.getTime() + 1_000));
      await Promise.all(
        handles.map(async (handle, i) => {
          await new Promise((resolve) => setTimeout(resolve, i * ecartMs));
          await (i % 3 === 0
            ? handle.executeUpdate(desisterUpdate, { args: [{ motif: 'Entrée en apprentissage', acteur: chefOrigine }] })
            : handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(inputs[i].voeux, inputs[i].voeux.map(() => 'favorable'))] }));
        }),
      );
      for (const [i, handle] of handles.entries()) {
        if (i % 3 !== 0) await handle.executeUpdate(desisterUpdate, { args: [{ motif: 'Projet abandonné', acteur: chefOrigine }] });
      }
      // Waited on the wall clock, reading the histories: a client awaiting a result lets the test server skip
      // time, which it would do while a local activity is between two attempts (the server does not see it).
      const finies: History[] = [];
      for (const handle of handles) {
        await jusqua(async () => {
          const histoire = await handle.fetchHistory();
          if (histoire.events?.at(-1)?.eventType !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) return false;
          finies.push(histoire);
          return true;
        }, `fin de ${handle.workflowId}`, 60_000);
      }
      return finies;
    });
    return inputs.map((input, i) => ({ input, histoire: histoires[i] }));
  }

  /** No task failed, the history replays, and the deadline's consequences are there once each, or not at all. */
  async function verifier(runs: Awaited<ReturnType<typeof actionsAlEcheance>>): Promise<number> {
    let escaladees = 0;
    for (const { input, histoire } of runs) {
      const echecs = (histoire.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
      expect([idDe(input), echecs.map((e) => e.workflowTaskFailedEventAttributes?.failure?.message)]).toEqual([idDe(input), []]);
      await Worker.runReplayHistory({ workflowBundle: ctx.bundle, dataConverter: convertisseurDeTest }, histoire, idDe(input));
      const rappels = (await rappelsDe(ctx, idDe(input))).map((r) => `${r.type} → ${r.destinataire}`).sort();
      const lycee = `uai:${input.uaiAccueil}`;
      expect([[], ['escalade_planification → saio', `escalade_planification → ${lycee}`, `planification → ${lycee}`]]).toContainEqual(rappels);
      if (rappels.length > 0) escaladees += 1;
    }
    return escaladees;
  }

  it('actions arriving as the deadline falls: every run replays as it ran, each consequence recorded once', async () => {
    const runs = await actionsAlEcheance(10, 30, activitesReelles(ctx));
    expect(await verifier(runs)).toBeGreaterThan(0);
  }, 240_000);

  it("actions arriving while the deadline's write is retried (the database refusing it for 15 s): the same", async () => {
    const reelles = activitesReelles(ctx);
    const refus = new Map<string, number>();
    const activities: Activities = {
      ...reelles,
      async saveCandidature(state, rappels) {
        const n = refus.get(state.id) ?? 0;
        // Retried after 1, 2, 4 and 8 s: longer than a workflow task may last, so the task is extended meanwhile.
        if (rappels && rappels.length > 0 && n < 4) {
          refus.set(state.id, n + 1);
          throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        }
        await reelles.saveCandidature(state, rappels);
      },
    };
    const runs = await actionsAlEcheance(3, 5_000, activities);
    expect(await verifier(runs)).toBeGreaterThan(0);
    expect([...refus.values()].every((n) => n === 4)).toBe(true);
  }, 240_000);
});
