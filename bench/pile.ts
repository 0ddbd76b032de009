// The stack of the benchmarks that measure the product as docker-compose runs it, each part its own process
// so that its CPU and memory can be read and the load generator shares no event loop with what it measures:
// the Temporal dev server (SQLite file, the pragmas and search attributes of `npm start`), the worker and the
// API (`runtime/main.ts`, PASSPRO_ROLE=worker and api) on PostgreSQL — DATABASE_URL=postgresql://…, or a
// throwaway server of its own (scripts/postgres-test-server.sh on a free port) —, in a fresh database dropped
// at the end, and an SMTP receiver in this process (accepting mails, not parsing them).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { projectRoot } from '../platform/paths';
import { stopChild } from '../platform/processus';
import { argumentsServeurDev, connecterTemporal } from '../platform/serveur-temporal';
import { temporalCliPath } from '../platform/temporal-binaries';
import { argumentsNodeWorker } from '../worker';
import { preparerServeurPostgres } from './serveur-postgres';
import { convertisseurDonnees } from '../platform/codec';
import { loadConfig } from '../platform/config';
import { requeteAdmin } from '../test/support/db';
import { portLibre } from '../test/support/ports';
import { startSmtpReceiver, type SmtpReceiver } from '../test/support/smtp';

export const FILE = 'passpro';
/** The worker and the API run as in production (PASSPRO_ROLE): a secret of their own, tokens signed with it. */
export const SECRET_PILE = randomBytes(48).toString('base64');
/** Their codec's key (PASSPRO_CODEC_KEYS), and the data converter of a client that reads what they write. */
export const CLES_CODEC_PILE = `bench:${randomBytes(32).toString('base64')}`;
/** Their key of the workflow ids (PASSPRO_ID_KEY): a client that starts candidatures gives them the same ids. */
export const CLE_ID_PILE = randomBytes(48).toString('base64');
export const convertisseurPile = convertisseurDonnees(loadConfig({ PASSPRO_CODEC_KEYS: CLES_CODEC_PILE }).CODEC);

export interface Pile {
  /** Logs of the servers, and the Temporal SQLite file. */
  dossier: string;
  serveur: ChildProcess;
  worker: ChildProcess;
  api: ChildProcess;
  adresseTemporal: string;
  urlApi: string;
  /** The benchmark's own database. */
  urlBase: string;
  connection: Connection;
  smtp: SmtpReceiver;
  /** Stops everything and drops the database; the logs stay for a failed run. */
  arreter(reussi: boolean): Promise<void>;
}

/** A child whose output goes to `<dossier>/<nom>.log`; resolves once a line matches `pret` (without one, at once). */
export function lancer(nom: string, commande: string, args: string[], env: NodeJS.ProcessEnv, dossier: string, pret?: RegExp): Promise<ChildProcess> {
  const enfant = spawn(commande, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const journal = createWriteStream(path.join(dossier, `${nom}.log`));
  return new Promise((resolve, reject) => {
    if (!pret) resolve(enfant);
    let sortie: string | null = '';
    const lire = (morceau: Buffer) => {
      journal.write(morceau);
      if (sortie === null || !pret) return;
      sortie += morceau.toString();
      if (pret.test(sortie)) {
        sortie = null;
        resolve(enfant);
      }
    };
    enfant.stdout.on('data', lire);
    enfant.stderr.on('data', lire);
    enfant.once('exit', (code) => reject(new Error(`${nom} s'est arrêté (code ${code}) : voir ${path.join(dossier, `${nom}.log`)}`)));
  });
}

/** A worker lets its in-flight activities finish: half a minute before it is killed. */
export const arreterEnfant = (enfant: ChildProcess) => stopChild(enfant, 30_000);

/** VmRSS (now) and VmHWM (peak over the process's life), in bytes. */
export function memoire(pid: number): { rss: number; pic: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const champ = (nom: string) => Number(new RegExp(`^${nom}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: champ('VmRSS'), pic: champ('VmHWM') };
}

export interface OptionsPile {
  /** Added to the API's environment (LOG_LEVEL…), and to the worker's (WORKER_CACHE…). */
  envApi?: NodeJS.ProcessEnv;
  envWorker?: NodeJS.ProcessEnv;
  /** The Temporal server's dynamic configuration beyond Passpro's own (`--dynamic-config-value KEY=JSON`). */
  configurationTemporal?: Record<string, unknown>;
  /**
   * `dev`: the CLI's dev server on SQLite, as `npm start`; `postgres`: the full server on the benchmark's
   * PostgreSQL server, as docker-compose (bench/serveur-postgres.ts).
   */
  serveurTemporal?: 'dev' | 'postgres';
}

/** `nom` names the temporary folder and the database. */
export async function demarrerPile(nom: string, { envApi = {}, envWorker = {}, configurationTemporal = {}, serveurTemporal = 'dev' }: OptionsPile = {}): Promise<Pile> {
  const dossier = mkdtempSync(path.join(tmpdir(), `passpro-${nom}-`));
  // A server of its own unless one is named: the database tests' shared one may be stopped by another run.
  // The full Temporal server creates its databases under fixed names: on a server of its own too.
  const pgPropre = serveurTemporal === 'postgres' || process.env.DATABASE_URL?.startsWith('postgres') !== true;
  const envPg = { ...process.env, PASSPRO_TEST_PG_PORT: String(await portLibre()), PASSPRO_TEST_PG_DIR: path.join(tmpdir(), `passpro-${nom}-pg-${process.pid}`) };
  const scriptPg = path.join(projectRoot, 'scripts', 'postgres-test-server.sh');
  const enfants: ChildProcess[] = [];
  let pgEnMarche = pgPropre;
  const arreterPg = () => {
    if (!pgEnMarche) return;
    pgEnMarche = false;
    execFileSync('bash', [scriptPg, 'stop'], { env: envPg, stdio: 'ignore' });
    rmSync(envPg.PASSPRO_TEST_PG_DIR, { recursive: true, force: true });
  };
  // Should this process die without stopping the stack, the servers it started must not outlive it.
  process.once('exit', () => {
    enfants.forEach((enfant) => enfant.kill('SIGKILL'));
    arreterPg();
  });
  const serveurPg = pgPropre ? execFileSync('bash', [scriptPg, 'start'], { encoding: 'utf8', env: envPg }).trim().split('\n').pop()! : process.env.DATABASE_URL!;
  const nomBase = `passpro_${nom}_${Date.now()}`;
  const sql = (requete: string) => requeteAdmin(serveurPg, requete);
  await sql(`CREATE DATABASE ${nomBase}`);
  const urlBase = new URL(serveurPg);
  urlBase.pathname = `/${nomBase}`;

  const smtp = await startSmtpReceiver({ analyser: false });
  let connection: Connection | undefined;
  const arreter = async (reussi: boolean) => {
    for (const enfant of enfants.reverse()) await arreterEnfant(enfant);
    await connection?.close();
    await smtp.stop();
    await sql(`DROP DATABASE IF EXISTS ${nomBase} WITH (FORCE)`);
    arreterPg();
    if (reussi) rmSync(dossier, { recursive: true, force: true });
  };
  try {
    const [portTemporal, portApi] = [await portLibre(), await portLibre()];
    const adresseTemporal = `127.0.0.1:${portTemporal}`;
    console.log(`démarrage : serveur Temporal, worker et API (processus séparés), PostgreSQL ${nomBase} ; journaux dans ${dossier}`);
    let serveur: ChildProcess;
    if (serveurTemporal === 'postgres') {
      const complet = await preparerServeurPostgres({ urlPg: new URL(serveurPg), dossier, port: portTemporal, configuration: configurationTemporal });
      serveur = await lancer('temporal', complet.commande, complet.args, {}, dossier);
      enfants.push(serveur);
      connection = await connecterTemporal(adresseTemporal, 120_000);
      complet.initialiser();
    } else {
      const args = argumentsServeurDev({ fichier: path.join(dossier, 'temporal.sqlite'), ip: '127.0.0.1', port: portTemporal, configuration: configurationTemporal });
      serveur = await lancer('temporal', temporalCliPath(), args, {}, dossier, /Temporal Server/);
      enfants.push(serveur);
      connection = await connecterTemporal(adresseTemporal);
    }
    const env = {
      DATABASE_URL: urlBase.toString(),
      TEMPORAL_ADDRESS: adresseTemporal,
      TEMPORAL_TASK_QUEUE: FILE,
      SMTP_PORT: String(smtp.port),
      API_PORT: String(portApi),
      LOG_LEVEL: 'warn',
      JWT_SECRET: SECRET_PILE,
      PASSPRO_CODEC_KEYS: CLES_CODEC_PILE,
      PASSPRO_ID_KEY: CLE_ID_PILE,
      // Its API serves no page here: an issuer of its own that never answers (a reserved domain).
      OIDC_ISSUER: 'https://sso.passpro.invalid/',
      OIDC_CLIENT_SECRET: randomBytes(24).toString('base64'),
      // The benchmarks measure throughput from one address and one token: no rate limit.
      LIMITE_REQUETES_IP: '0',
      LIMITE_REQUETES_PERSONNE: '0',
    };
    // Node with tsx as a loader (not the tsx launcher, which would run it in a child): the pid is the process's.
    // BENCH_CPU_PROF=<folder>: the worker and the API write their CPU profiles there when they stop.
    const profil = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
    const entree = [...profil, '--import', 'tsx', path.join('runtime', 'main.ts')];
    const worker = await lancer('worker', process.execPath, [...argumentsNodeWorker, ...entree], { ...env, ...envWorker, PASSPRO_ROLE: 'worker' }, dossier, /worker: file/);
    enfants.push(worker);
    const api = await lancer('api', process.execPath, entree, { ...env, ...envApi, PASSPRO_ROLE: 'api' }, dossier, /API: /);
    enfants.push(api);
    return { dossier, serveur, worker, api, adresseTemporal, urlApi: `http://127.0.0.1:${portApi}`, urlBase: urlBase.toString(), connection, smtp, arreter };
  } catch (error) {
    await arreter(false);
    throw error;
  }
}
