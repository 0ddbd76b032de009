// The logs of the API and of the worker while staff touch a pupil: every line read back, none holds the
// pupil's INE, names or the referent's e-mail; every request line names its caller.
import { Writable } from 'node:stream';
import { Runtime } from '@temporalio/worker';
import request from 'supertest';
import { createLogger } from '../../api/logging';
import { descriptionErreur } from '../../platform/masquage';
import { colonnesImport } from '../../api/import';
import { journalWorker } from '../../worker';
import { eleve } from '../support/fixtures';
import { bearer, COLLEGE, corpsInscription, LYCEE, startStack, type Stack } from './harness';

const lignes: string[] = [];
const flux = new Writable({
  write(morceau: Buffer, _encodage, fini) {
    lignes.push(...morceau.toString('utf8').split('\n').filter(Boolean));
    fini();
  },
});

let stack: Stack;
const consoles: jest.SpyInstance[] = [];
beforeAll(async () => {
  // The worker's log as a Passpro process installs it (runtime/process.ts).
  Runtime.install({ logger: journalWorker });
  // What the worker and the SDK print goes to the console or straight to the standard streams: read too.
  for (const sortie of [process.stdout, process.stderr]) {
    const ecrire = sortie.write.bind(sortie) as (...args: unknown[]) => boolean;
    consoles.push(jest.spyOn(sortie, 'write').mockImplementation(((morceau: unknown, ...reste: unknown[]) => {
      lignes.push(String(morceau));
      return ecrire(morceau, ...reste);
    }) as typeof sortie.write));
  }
  for (const niveau of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[niveau].bind(console);
    consoles.push(jest.spyOn(console, niveau).mockImplementation((...args: unknown[]) => {
      lignes.push(args.map((a) => (a instanceof Error ? `${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      original(...args);
    }));
  }
  stack = await startStack('journaux', { logger: createLogger('debug', flux), logError: (error) => lignes.push(`erreur: ${descriptionErreur(error)}`) });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  for (const spy of consoles) spy.mockRestore();
});

const pupil = { ...eleve(), nom: 'Zorglubienne', prenom: 'Héloïse', referentNom: 'Mme Referentissime', referentEmail: 'referent.unique@ac-creteil.fr' };
const autre = { ...eleve(), nom: 'Quetzalcoatlia', prenom: 'Anatolie', referentNom: 'M. Tuteurissime', referentEmail: 'tuteur.unique@ac-creteil.fr' };
const personnel = [pupil, autre].flatMap((e) => [e.ine, e.ine.toLowerCase(), e.nom, e.prenom, e.referentNom, e.referentEmail]);

it('holds no INE, name or e-mail of a pupil in any line, and names the caller of every request', async () => {
  const chef = await bearer('origine_chef');
  const lycee = await bearer('accueil_chef');
  const created = await request(stack.app).post('/candidatures').set('authorization', chef).send(corpsInscription({ eleve: pupil }));
  expect(created.status).toBe(201);
  const id = encodeURIComponent(created.body.id as string);
  expect((await request(stack.app).get(`/candidatures/${id}`).set('authorization', lycee)).status).toBe(200);
  expect((await request(stack.app).get(`/candidatures/${created.body.id as string}/fiche`).set('authorization', lycee)).status).toBe(409);
  expect((await request(stack.app).get(`/eleves/${pupil.ine}/fiche?campagne=creteil-2027`).set('authorization', chef)).status).toBe(409);
  expect((await request(stack.app).get(`/eleves/${pupil.ine.toLowerCase()}/fiche`).set('authorization', chef)).status).toBe(400);
  // Refusals whose bodies name the pupil.
  expect((await request(stack.app).post('/candidatures').set('authorization', lycee).send(corpsInscription({ eleve: pupil }))).status).toBe(403);
  expect((await request(stack.app).post('/candidatures').set('authorization', chef).send(corpsInscription({ eleve: { ...pupil, referentEmail: 'pas un courriel' } }))).status).toBe(400);
  expect((await request(stack.app).post(`/candidatures/${id}/avis-origine`).set('authorization', chef).send({ avis: [{ codeFormation: 'x' }], commentaire: pupil.nom })).status).toBe(400);
  // An import of another pupil, then the same again.
  const ligne = [autre.ine, autre.nom, autre.prenom, '3e', COLLEGE, autre.referentNom, autre.referentEmail, 'metallerie', 'Métallerie', 'individuel', LYCEE, '24025401', '2nde pro'];
  const csv = `${colonnesImport.map((c) => c.nom).join(';')}\n${ligne.join(';')}\n`;
  for (const attendu of [201, 200]) {
    const res = await request(stack.app).post('/candidatures/import?campagne=creteil-2027').set('authorization', chef).type('text/csv').send(csv);
    expect(res.status).toBe(attendu);
  }
  // The worker's mails and writes happen moments after the answers.
  await new Promise((resolve) => setTimeout(resolve, 2_000));

  expect(lignes.some((l) => l.includes('Worker state changed'))).toBe(true);
  const requetes = lignes.filter((l) => l.startsWith('{') && l.includes('"req"')).map((l) => JSON.parse(l) as { req: { url: string }; appelant?: { sub: string; role: string; uai: string | null } });
  expect(requetes.length).toBeGreaterThanOrEqual(10);
  expect(requetes.map((r) => r.appelant)).toEqual(requetes.map(() => ({ sub: expect.stringMatching(/^Test /), role: expect.any(String), uai: expect.stringMatching(/^\d{7}[A-Z]$/) })));
  expect(requetes.some((r) => r.req.url.includes('/eleves/***/fiche'))).toBe(true);
  const fuites = lignes.filter((l) => personnel.some((valeur) => l.includes(valeur)));
  expect(fuites).toEqual([]);
}, 60_000);
