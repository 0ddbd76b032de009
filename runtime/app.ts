// Starts Passpro in one process: database (migrated), Temporal client, and the worker and/or the API
// according to PASSPRO_ROLE. Returns a stop function that lets in-flight work finish.
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { createSmtpMailer } from '../platform/smtp';
import { buildApp, createLogger, type HealthCheck } from '../api/app';
import { connexionOptions } from '../api/web/connexion';
import type { Config } from '../platform/config';
import { convertisseurDonnees } from '../platform/codec';
import { optionsConnexionTemporal } from '../platform/connexion-temporal';
import { openMigratedDatabase, type Database } from '../platform/database';
import { descriptionErreur } from '../platform/masquage';
import { createWorker } from '../worker';
import { planifierPurges } from '../worker/planification';
import { seedSiVide } from './seed';
import { DIGEST_WORKFLOW_ID, digestQuotidienWorkflow } from '../workflows/digest';

export interface Running {
  db: Database;
  client: Client;
  worker?: Worker;
  server?: Server;
  url?: string;
  stop(): Promise<void>;
}

type Log = (message: string) => void;

export function healthChecks(client: Client, db: Database, config: Config): HealthCheck[] {
  return [
    { name: 'temporal', check: async () => void (await client.workflowService.getSystemInfo({})) },
    { name: 'base', check: async () => void (await db.prisma.$queryRaw`SELECT 1`) },
    {
      name: 'worker',
      check: async () => {
        const { pollers } = await client.workflowService.describeTaskQueue({
          namespace: config.TEMPORAL_NAMESPACE,
          taskQueue: { name: config.TEMPORAL_TASK_QUEUE, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        });
        // The server keeps a poller in this list for a few minutes after it last polled.
        if (!pollers || pollers.length === 0) throw new Error(`aucun worker sur la file ${config.TEMPORAL_TASK_QUEUE}`);
      },
    },
  ];
}

export async function startPasspro(config: Config, log: Log): Promise<Running> {
  const db = await openMigratedDatabase(config.DATABASE_URL);
  // Prisma readies its query compiler on the first model query (a few hundred milliseconds): before anyone waits.
  await db.prisma.candidature.findFirst({ select: { id: true } });
  const temporalOptions = optionsConnexionTemporal(config);
  const connection = await Connection.connect(temporalOptions);
  const dataConverter = convertisseurDonnees(config.CODEC);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const mailer = createSmtpMailer({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    user: config.SMTP_USER,
    password: config.SMTP_PASSWORD,
    from: config.MAIL_FROM,
  });

  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  let nativeConnection: NativeConnection | undefined;
  if (config.PASSPRO_ROLE !== 'api') {
    nativeConnection = await NativeConnection.connect(temporalOptions);
    worker = await createWorker({
      connection: nativeConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      dataConverter,
      maxCachedWorkflows: config.WORKER_CACHE,
      deps: { db, mailer, publicUrl: config.PUBLIC_URL, saioEmail: config.SAIO_EMAIL, operateursEmail: config.OPERATEURS_EMAIL },
    });
    workerRun = worker.run();
    log(`worker: file ${config.TEMPORAL_TASK_QUEUE} sur ${config.TEMPORAL_ADDRESS}`);
    // One digest workflow per namespace: starting it again finds the running one.
    await client.workflow.start(digestQuotidienWorkflow, {
      workflowId: DIGEST_WORKFLOW_ID,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ heure: config.DIGEST_HEURE }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    await planifierPurges(client, config.TEMPORAL_TASK_QUEUE);
  }

  let server: Server | undefined;
  let url: string | undefined;
  if (config.PASSPRO_ROLE !== 'worker') {
    const charge = await seedSiVide(db.prisma);
    if (charge) log(`catalogue chargé depuis les fichiers : ${charge.offres} offres, ${charge.campagnes} campagnes`);
    const app = buildApp({
      client,
      db,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      jwtSecret: config.JWT_SECRET,
      cleIdentifiants: config.PASSPRO_ID_KEY,
      health: healthChecks(client, db, config),
      logError: (error) => log(`erreur: ${descriptionErreur(error)}`),
      logger: createLogger(config.LOG_LEVEL),
      connexion: connexionOptions(config),
      temporalUiUrl: config.TEMPORAL_UI_URL,
      codec: { codec: dataConverter.payloadCodecs![0], namespace: config.TEMPORAL_NAMESPACE, origines: [new URL(config.TEMPORAL_UI_URL).origin] },
      limites: {
        requetesParIp: config.LIMITE_REQUETES_IP,
        requetesParPersonne: config.LIMITE_REQUETES_PERSONNE,
        importsParHeure: config.LIMITE_IMPORTS_HEURE,
        proxies: config.API_PROXIES,
      },
    });
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.API_PORT, config.API_HOST, () => resolve(s)).on('error', reject);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.API_PORT;
    url = `http://${config.API_HOST}:${port}`;
    log(`API: ${url}`);
  }

  return {
    db,
    client,
    worker,
    server,
    url,
    async stop() {
      if (server) {
        const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeIdleConnections();
        await closing;
      }
      if (worker && workerRun) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await workerRun;
      }
      await nativeConnection?.close();
      await connection.close();
      mailer.close();
      await db.close();
    },
  };
}
