// The fiche récapitulative through the API, against the real dev server and database: HTML and PDF (read
// back by pdf.js through pdf-parse) for a candidature and for a pupil across his domaines; scoped as every
// read (another school's: 404); 409 until the lycée's compte rendu is in.
import pdfParse from 'pdf-parse';
import request from 'supertest';
import { bearer, corpsInscription, eventually, rendreFichePrete, startStack, type Stack } from './harness';

let stack: Stack;
const chemin = (id: string, suite = '') => `/candidatures/${encodeURIComponent(id)}${suite}`;
const COMPTE_RENDU = 'Élève curieuse, <b>a visité</b> les ateliers. Conseil : un mini-stage.';

/** Ids: Léa's Métallerie (fiche ready) and Électricité (not yet); Noah's only candidature (not yet). */
const ids = { metallerie: '', electricite: '', seule: '' };
let ine = '';
let ineSeule = '';

async function inscrire(overrides: Record<string, unknown> = {}): Promise<{ id: string; ine: string }> {
  const res = await request(stack.app).post('/candidatures').set('authorization', await bearer('origine_chef')).send(corpsInscription(overrides));
  expect(res.status).toBe(201);
  return { id: res.body.id as string, ine: res.body.eleve.ine as string };
}

beforeAll(async () => {
  stack = await startStack('fiches');
  const metallerie = await inscrire();
  ine = metallerie.ine;
  ids.metallerie = metallerie.id;
  const corps = corpsInscription();
  ids.electricite = (
    await inscrire({ eleve: { ...corps.eleve, ine }, domaine: { code: 'electricite', libelle: 'Électricité' }, voeux: [{ codeFormation: '40025510', libelle: 'CAP électricien' }] })
  ).id;
  ({ id: ids.seule, ine: ineSeule } = await inscrire());
  await rendreFichePrete(stack.app, ids.metallerie, COMPTE_RENDU);
  // The pupil's fiche finds his candidatures in the database, which follows the workflows within moments.
  await eventually(
    () => stack.db.prisma.candidature.count({ where: { ine: { in: [ine, ineSeule] } } }),
    (n) => n === 3,
  );
}, 180_000);
afterAll(async () => stack?.stop());

/** The body of any answer as bytes (in Node, superagent's parsers receive the response stream). */
const binaire = (res: request.Response, fin: (err: Error | null, body: Buffer) => void) => {
  const flux = res as unknown as NodeJS.ReadableStream;
  const morceaux: Buffer[] = [];
  flux.on('data', (morceau: Buffer) => morceaux.push(morceau));
  flux.on('end', () => fin(null, Buffer.concat(morceaux)));
};

async function textePdf(pdf: Buffer): Promise<string> {
  const { text } = await pdfParse(new Uint8Array(pdf) as Buffer);
  return text.replace(/\s+/g, ' ');
}

async function lire(chemin: string, role: Parameters<typeof bearer>[0], { autre = false, accept }: { autre?: boolean; accept?: string } = {}) {
  const req = request(stack.app).get(chemin).set('authorization', await bearer(role, { autre })).buffer(true).parse(binaire);
  return accept ? req.set('accept', accept) : req;
}

describe('GET /candidatures/:id/fiche', () => {
  it('gives the collège the fiche as an HTML page: the pupil, the interview, the compte rendu escaped, every avis', async () => {
    const res = await lire(chemin(ids.metallerie, '/fiche'), 'origine_personnel');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const html = (res.body as Buffer).toString('utf8');
    expect(html).toContain('<title>Fiche récapitulative Passpro — Léa Martin</title>');
    expect(html).toContain(ine);
    expect(html).toContain('Métallerie');
    expect(html).toContain('&lt;b&gt;a visité&lt;/b&gt;');
    expect(html).not.toContain('<b>a visité</b>');
    expect(html).toContain('Élève motivée, stage réussi.');
    expect(html).not.toContain('Électricité'); // one candidature, one domaine
  });

  it.each([
    ['?format=pdf', undefined],
    ['', 'application/pdf'],
  ])('gives it as a PDF (%s, Accept %s) whose text a PDF reader finds', async (query, accept) => {
    const res = await lire(chemin(ids.metallerie, `/fiche${query}`), 'origine_chef', { accept });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename="fiche-${ine}-metallerie.pdf"`);
    const texte = await textePdf(res.body as Buffer);
    expect(texte).toContain('Fiche récapitulative');
    expect(texte).toContain('Léa Martin');
    expect(texte).toContain(ine);
    expect(texte).toContain('Domaine : Métallerie');
    expect(texte).toContain('<b>a visité</b>');
    expect(texte).toMatch(/Avis final : [A-Za-zé ]+/);
  });

  it.each([
    ['accueil_personnel', false, 200],
    ['accueil_chef', false, 200],
    ['saio', false, 200],
    ['origine_chef', true, 404],
    ['origine_personnel', true, 404],
    ['accueil_chef', true, 404],
  ] as const)('is scoped: %s (another school: %s) → %i', async (role, autre, attendu) => {
    const res = await lire(chemin(ids.metallerie, '/fiche?format=pdf'), role, { autre });
    expect(res.status).toBe(attendu);
    if (attendu === 404) expect(JSON.parse((res.body as Buffer).toString())).toEqual({ erreur: { code: 'candidature_introuvable', message: 'candidature introuvable' } });
  });

  it('answers 409 fiche_non_prete until the compte rendu is in, in both formats', async () => {
    for (const query of ['', '?format=pdf']) {
      const res = await request(stack.app).get(chemin(ids.electricite, `/fiche${query}`)).set('authorization', await bearer('origine_chef'));
      expect([res.status, res.body.erreur.code]).toEqual([409, 'fiche_non_prete']);
      expect(res.body.erreur.message).toMatch(/compte rendu/);
    }
  });

  it('answers 4xx to a bad format, an unacceptable Accept, an unknown or malformed id, no token', async () => {
    const chef = await bearer('origine_chef');
    const cas: [string, Record<string, string>, number, string][] = [
      [chemin(ids.metallerie, '/fiche?format=docx'), {}, 400, 'requete_invalide'],
      [chemin(ids.metallerie, '/fiche?format=pdf&format=html'), {}, 400, 'requete_invalide'],
      [chemin(ids.metallerie, '/fiche?taille=2'), {}, 400, 'requete_invalide'],
      [chemin(ids.metallerie, '/fiche'), { accept: 'application/json' }, 406, 'format_non_disponible'],
      [chemin('passpro:creteil-2027:000000001AB:metallerie', '/fiche'), {}, 404, 'candidature_introuvable'],
      [chemin('pas-une-candidature', '/fiche'), {}, 404, 'candidature_introuvable'],
      [chemin('x'.repeat(201), '/fiche'), {}, 400, 'requete_invalide'],
    ];
    for (const [url, entetes, status, code] of cas) {
      const res = await request(stack.app).get(url).set('authorization', chef).set(entetes);
      expect([url, res.status, res.body.erreur?.code]).toEqual([url, status, code]);
    }
    const anonyme = await request(stack.app).get(chemin(ids.metallerie, '/fiche'));
    expect([anonyme.status, anonyme.body.erreur.code]).toEqual([401, 'non_authentifie']);
  });
});

describe('GET /eleves/:ine/fiche', () => {
  it('gives the pupil’s fiche across his domaines, the one still waiting for its compte rendu said so', async () => {
    const res = await lire(`/eleves/${ine}/fiche`, 'origine_chef');
    expect(res.status).toBe(200);
    const html = (res.body as Buffer).toString('utf8');
    expect(html).toContain('Métallerie');
    expect(html).toContain('Électricité');
    expect(html).toContain("cette fiche sera complétée dès leur saisie");

    const pdf = await lire(`/eleves/${ine}/fiche?format=pdf&campagne=creteil-2027`, 'origine_chef');
    expect([pdf.status, pdf.headers['content-type'], pdf.headers['content-disposition']]).toEqual([200, 'application/pdf', `inline; filename="fiche-${ine}-creteil-2027.pdf"`]);
    const texte = await textePdf(pdf.body as Buffer);
    expect(texte).toContain('Domaine : Métallerie');
    expect(texte).toContain('Domaine : Électricité');
  });

  it.each([
    ['origine_personnel', false, 200],
    ['accueil_chef', false, 200],
    ['saio', false, 200],
    ['origine_chef', true, 404],
    ['accueil_personnel', true, 404],
  ] as const)('is scoped: %s (another school: %s) → %i', async (role, autre, attendu) => {
    const res = await lire(`/eleves/${ine}/fiche`, role, { autre });
    expect(res.status).toBe(attendu);
    if (attendu === 404) expect(JSON.parse((res.body as Buffer).toString())).toEqual({ erreur: { code: 'eleve_introuvable', message: 'élève introuvable' } });
  });

  it('answers 409 while none of his domaines is ready, 404 for an unknown pupil or campaign, 400 for a bad INE', async () => {
    const chef = await bearer('origine_chef');
    const cas: [string, number, string][] = [
      [`/eleves/${ineSeule}/fiche`, 409, 'fiche_non_prete'],
      ['/eleves/000000001AB/fiche', 404, 'eleve_introuvable'],
      [`/eleves/${ine}/fiche?campagne=creteil-2018`, 404, 'eleve_introuvable'],
      ['/eleves/12345/fiche', 400, 'requete_invalide'],
      [`/eleves/${ine}/fiche?campagne=lyon-2027`, 400, 'requete_invalide'],
      [`/eleves/${ine}/fiche?format=txt`, 400, 'requete_invalide'],
    ];
    for (const [url, status, code] of cas) {
      const res = await request(stack.app).get(url).set('authorization', chef);
      expect([url, res.status, res.body.erreur?.code]).toEqual([url, status, code]);
    }
    const autre = await request(stack.app).get(`/eleves/${ine}/fiche`).set('authorization', await bearer('origine_chef', { autre: true }));
    const inconnu = await request(stack.app).get('/eleves/000000001AB/fiche').set('authorization', chef);
    expect([autre.status, autre.body]).toEqual([inconnu.status, inconnu.body]);
    expect((await request(stack.app).get(`/eleves/${ine}/fiche`)).status).toBe(401);
  });
});
