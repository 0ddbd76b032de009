// The worker's memory per cached candidature: `npm run bench:cache [-- --candidatures 1500]`.
//
// The workflows run in this process's own V8 heap (the SDK's debug mode keeps its reused V8 context on the
// main thread), so that the heap can be read after a full collection: the cost of a cached candidature is the
// heap with N of them cached less the heap once the worker has stopped (its cache emptied), divided by N. It
// is measured for the worker's bundle as it is (`optionsBundle`: the domain's modules loaded once for every
// workflow) and for the same bundle with nothing preloaded, in the same run; it prints both, their ratio, and
// how many fit in half of the worker's 1 GiB heap.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../activities';
import { candidatureWorkflowId } from '../platform/identifiants-candidature';
import { DEV_ID_KEY } from '../platform/config';
import { campagneDemo } from '../scripts/demo/campagne';
import { testDatabase } from '../test/support/db';
import { startSmtpReceiver } from '../test/support/smtp';
import { createSmtpMailer } from '../platform/smtp';
import { convertisseurDeTest, devServerEnv } from '../test/support/temporal';
import { optionsBundle, reglagesWorker, workflowsPath } from '../worker';
import { candidatureStartPolicy, inscrireUpdate } from '../workflows/definitions';
import type { candidatureWorkflow } from '../workflows/candidature';
import { chefOrigine, eleve, LYCEE, voeuxMetallerie } from '../test/support/fixtures';
import type { CandidatureInput } from '../domain/candidature';

const usage = 'usage : npm run bench:cache -- [--candidatures 1500]';
const { values } = parseArgs({ args: process.argv.slice(2), options: { candidatures: { type: 'string', default: '1500' } }, strict: true });
const N = Number(values.candidatures);
if (!Number.isInteger(N) || N < 10 || N > 20_000) throw new Error(`--candidatures : un entier de 10 à 20000 est attendu\n${usage}`);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const tas = () => {
  for (let i = 0; i < 3; i += 1) gc();
  return process.memoryUsage().heapUsed;
};
const mo = (octets: number) => `${(octets / 2 ** 20).toFixed(1)} Mo`;
const ko = (octets: number) => `${(octets / 1024).toFixed(0)} Kio`;

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const [env, db, smtp] = await Promise.all([devServerEnv(), testDatabase(), startSmtpReceiver({ analyser: false })]);
  const mailer = createSmtpMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'passpro@ac-creteil.fr' });
  const client: Client = env.client;
  const silencieux = new DefaultLogger('WARN');
  const bundles: [string, WorkflowBundleWithSourceMap][] = [
    ['rien de préchargé', await bundleWorkflowCode({ workflowsPath, logger: silencieux })],
    ['le domaine préchargé (optionsBundle)', await bundleWorkflowCode({ workflowsPath, logger: silencieux, ...optionsBundle })],
  ];
  const resultats: { nom: string; parCandidature: number }[] = [];
  try {
    for (const [tour, [nom, workflowBundle]] of bundles.entries()) {
      const taskQueue = `bench-cache-${tour}-${Date.now()}`;
      const campagne = campagneDemo(`cache-${String(tour).padStart(4, "0")}`, new Date());
      const connection = await NativeConnection.connect({ address: env.address });
      const worker = await Worker.create({
        connection,
        namespace: env.namespace ?? 'default',
        taskQueue,
        dataConverter: convertisseurDeTest,
        ...reglagesWorker,
        maxCachedWorkflows: N + 100,
        debugMode: true,
        reuseV8Context: true,
        workflowBundle,
        activities: createActivities({ db, mailer, publicUrl: 'http://passpro.test', saioEmail: 'saio@ac-creteil.fr' }),
      });
      const running = worker.run();
      const avant = tas();
      let suivante = 0;
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (suivante < N) {
            const i = suivante++;
            const demande: CandidatureInput = {
              campagne,
              eleve: { ...eleve(), ine: `${String(200_000_000 + i)}BN` },
              domaine: { code: 'metallerie', libelle: 'Métallerie' },
              modalite: 'individuel',
              uaiAccueil: LYCEE,
              voeux: voeuxMetallerie,
              acteur: chefOrigine,
            };
            await client.workflow.executeUpdateWithStart(inscrireUpdate, {
              args: [{ voeux: demande.voeux, acteur: demande.acteur }],
              startWorkflowOperation: new WithStartWorkflowOperation<typeof candidatureWorkflow>('candidatureWorkflow', {
                workflowId: candidatureWorkflowId(DEV_ID_KEY, campagne.id, demande.eleve.ine, demande.domaine.code),
                taskQueue,
                ...candidatureStartPolicy,
                args: [demande],
              }),
            });
          }
        }),
      );
      const plein = tas();
      const enCache = worker.getStatus().numCachedWorkflows;
      worker.shutdown();
      await running;
      await connection.close();
      const vide = tas();
      const parCandidature = (plein - vide) / enCache;
      resultats.push({ nom, parCandidature });
      console.log(`${nom} : ${enCache} candidatures en cache ; tas ${mo(avant)} au départ, ${mo(plein)} plein, ${mo(vide)} vidé ; ${ko(parCandidature)} par candidature`);
    }
  } finally {
    mailer.close();
    await smtp.stop();
    await db.close();
    await env.teardown();
  }
  const [sans, avec] = resultats;
  const moitie = 512 * 2 ** 20;
  console.log(`\n| bundle | par candidature en cache | dans 512 Mio (la moitié du tas de 1 Gio) |`);
  console.log('| --- | --- | --- |');
  for (const r of resultats) console.log(`| ${r.nom} | ${ko(r.parCandidature)} | ${Math.floor(moitie / r.parCandidature)} |`);
  console.log(`ratio préchargé ÷ rien : ${(avec.parCandidature / sans.parCandidature).toFixed(2)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
