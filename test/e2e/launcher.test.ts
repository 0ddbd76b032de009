// `npm start` for real: the launcher brings up Temporal (file-backed), the mail catcher, the worker and
// the API; Ctrl-C stops everything; a second start finds the running workflows and the rows again.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../platform/database';
import { projectRoot } from '../../platform/paths';
import { temporalCliPath } from '../../platform/temporal-binaries';
import { emettreJeton } from '../../api/auth';
import { DEV_JWT_SECRET } from '../../platform/config';
import { COLLEGE, inscription } from '../support/fixtures';
import { portLibre } from '../support/ports';

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface Launch {
  child: ChildProcess;
  output: () => string;
}

async function launch(env: NodeJS.ProcessEnv): Promise<Launch> {
  const child = spawn(path.join(projectRoot, 'node_modules/.bin/tsx'), ['runtime/dev.ts'], {
    cwd: projectRoot,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (out += chunk));
  const deadline = Date.now() + 90_000;
  while (!out.includes('Ctrl-C')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`launcher did not start:\n${out}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, output: () => out };
}

async function interrupt({ child, output }: Launch): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  const code = await exited;
  if (code !== 0) throw new Error(`launcher exited ${code}:\n${output()}`);
  return code;
}

describe('npm start (embedded defaults)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'passpro-launcher-'));
  const launched: Launch[] = [];
  afterAll(async () => {
    // A failed assertion must not leave a launcher (and its servers) behind.
    for (const { child } of launched) if (child.exitCode === null) child.kill('SIGINT');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs every part, stops cleanly on Ctrl-C, and keeps workflows and rows across a restart', async () => {
    const [temporalPort, uiPort, mailWeb, smtp, api, idp] = await Promise.all([portLibre(), portLibre(), portLibre(), portLibre(), portLibre(), portLibre()]);
    const env = {
      PASSPRO_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      TEMPORAL_UI_PORT: String(uiPort),
      MAIL_WEB_PORT: String(mailWeb),
      SMTP_PORT: String(smtp),
      API_PORT: String(api),
      OIDC_DEV_PORT: String(idp),
    };
    const base = `http://127.0.0.1:${api}`;
    // `npm start` signs with the development secret: the launcher's tokens are made with it.
    const authorization = `Bearer ${await emettreJeton(DEV_JWT_SECRET, { role: 'origine_chef', uai: COLLEGE, nom: 'Mme Principale' })}`;
    // `npm start` loads the shipped catalogue into its new database: a lycée of it that offers the fixtures' Métallerie vœux.
    const { acteur: _acteur, ...corps } = inscription({ uaiAccueil: '0942175D' });

    const first = await launch(env);
    launched.push(first);
    expect(first.output()).toContain(`Temporal UI    http://localhost:${uiPort}`);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);
    // The UI decodes the encrypted payloads at the API's codec endpoint, which answers its origin (CORS) and only
    // a signed-in SAIO.
    const reglagesUi = (await (await fetch(`http://127.0.0.1:${uiPort}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
    expect(reglagesUi.Codec?.Endpoint).toBe('http://localhost:3000/codec');
    const origineUi = `http://localhost:${uiPort}`;
    const preflight = await fetch(`${base}/codec/decode`, { method: 'OPTIONS', headers: { origin: origineUi, 'access-control-request-method': 'POST' } });
    expect([preflight.status, preflight.headers.get('access-control-allow-origin')]).toEqual([204, origineUi]);
    const anonyme = await fetch(`${base}/codec/decode`, { method: 'POST', headers: { origin: origineUi, 'content-type': 'application/json', 'x-namespace': 'default' }, body: '{"payloads":[]}' });
    expect(anonyme.status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${mailWeb}/`, { headers: { accept: 'text/html' } })).status).toBe(200);
    // The development identity provider starts beside the API, which discovers it at the first sign-in.
    expect(first.output()).toContain(`Identification http://127.0.0.1:${idp}`);
    let decouverte = 0;
    for (let attempt = 0; attempt < 100 && decouverte !== 200; attempt += 1) {
      decouverte = await fetch(`http://127.0.0.1:${idp}/.well-known/openid-configuration`).then((r) => r.status, () => 0);
      if (decouverte !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(decouverte).toBe(200);
    const created = await fetch(`${base}/candidatures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify(corps),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // The SAIO's view: the Temporal CLI finds it by custom search attribute (visibility is eventually consistent).
    let listed = '';
    for (let attempt = 0; attempt < 50 && !listed.includes(id); attempt += 1) {
      listed = execFileSync(temporalCliPath(), [
        'workflow', 'list', '--address', `127.0.0.1:${temporalPort}`,
        '--query', `WorkflowId = '${id}' AND PassproEtape = 'a_planifier'`,
      ], { encoding: 'utf8' });
      if (!listed.includes(id)) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(listed).toContain(id);
    await interrupt(first);
    for (const port of [temporalPort, uiPort, mailWeb, smtp, api, idp]) expect([port, await listening(port)]).toEqual([port, false]);

    const second = await launch(env);
    launched.push(second);
    expect((await fetch(`${base}/candidatures/${encodeURIComponent(id)}`)).status).toBe(401);
    const again = await fetch(`${base}/candidatures/${encodeURIComponent(id)}`, { headers: { authorization } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { etape: string }).etape).toBe('a_planifier');
    await interrupt(second);

    const db = openDatabase(`pglite:${path.join(dataDir, 'pglite')}`);
    try {
      expect(await db.prisma.candidature.count({ where: { id } })).toBe(1);
    } finally {
      await db.close();
    }
  }, 240_000);
});
