// The staff's application for browser tests, real from end to end: the API's test stack (Temporal dev server,
// worker, PGlite, SMTP receiver) served on a port of its own, with the development identity provider (its own
// process) for the sign-in, and a browser page per person, signed in through the provider's own page.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../api/app';
import { connexionOptions } from '../../api/web/connexion';
import { DEV_ID_KEY, loadConfig } from '../../platform/config';
import { projectRoot } from '../../platform/paths';
import { stopChild } from '../../platform/processus';
import { healthChecks } from '../../runtime/app';
import { SECRET, startStack, type Stack } from '../api/harness';
import { openPage } from './browser';
import { portLibre } from './ports';

export interface Espace {
  stack: Stack;
  /** Where the application answers, e.g. http://127.0.0.1:41234 */
  url: string;
  stop(): Promise<void>;
}

/** The development identity provider on `port`, once it says it is ready: its issuer. */
async function demarrerFournisseur(env: Record<string, string>): Promise<{ fournisseur: ChildProcess; issuer: string }> {
  const fournisseur = spawn(path.join(projectRoot, 'node_modules', '.bin', 'tsx'), ['runtime/identity-provider.ts'], {
    cwd: projectRoot,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let sortie = '';
  const issuer = await new Promise<string>((resolve, reject) => {
    const lire = (morceau: Buffer) => {
      sortie += morceau.toString('utf8');
      const pret = /prêt : (http:\/\/\S+)/.exec(sortie);
      if (pret) resolve(pret[1]);
    };
    fournisseur.stdout!.on('data', lire);
    fournisseur.stderr!.on('data', lire);
    fournisseur.once('exit', (code) => reject(new Error(`fournisseur arrêté (${code}) :\n${sortie}`)));
  });
  return { fournisseur, issuer };
}

export async function startEspace(prefix: string): Promise<Espace> {
  // The application's port is held from the start (its address is in the sign-in's redirect URI).
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const portFournisseur = await portLibre();
  const env = { PUBLIC_URL: url, OIDC_DEV_PORT: String(portFournisseur) };
  // One after the other: the Temporal server picks a free port of its own, which could be the provider's before it listens.
  const { fournisseur } = await demarrerFournisseur(env);
  const stack = await startStack(prefix);
  const config = loadConfig({ ...env, TEMPORAL_TASK_QUEUE: stack.taskQueue, DATABASE_URL: stack.db.url });
  const app = buildApp({
    client: stack.env.client,
    db: stack.db,
    taskQueue: stack.taskQueue,
    jwtSecret: SECRET, cleIdentifiants: DEV_ID_KEY,
    health: healthChecks(stack.env.client, stack.db, config),
    logError: console.error,
    connexion: connexionOptions(config),
    temporalUiUrl: 'http://127.0.0.1:8233',
  });
  server.on('request', app);
  return {
    stack,
    url,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await stopChild(fournisseur);
      await stack.stop();
    },
  };
}

/**
 * A browser page of its own (cookies included) signed in as the provider's account `compte` (`chef-0940134k`,
 * `personnel-0931234l`, `chef-0941918z` for the SAIO…), landing on `retour`.
 */
export async function seConnecter(browser: Browser, espace: Espace, compte: string, retour = '/espace'): Promise<Page> {
  const { page } = await openPage(browser);
  await page.goto(`${espace.url}/connexion?retour=${encodeURIComponent(retour)}`);
  await page.getByRole('button', { name: /se connecter/i }).first().click();
  await page.locator(`button[name="compte"][value="${compte}"]`).click();
  await page.waitForURL((u) => u.origin === espace.url && !u.pathname.startsWith('/connexion'));
  return page;
}
