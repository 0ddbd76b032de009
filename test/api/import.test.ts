// Bulk inscription from a CSV class list, against the real dev server and database: a good file starts every
// candidature and says so line by line; a file with one bad line is refused whole (422, the line and the
// column named) and starts nothing; malformed files, oversize bodies, wrong roles and other schools' pupils
// are 4xx; no input gives a 500.
import { DEV_ID_KEY } from '../../platform/config';
import { candidatureWorkflowId } from '../../platform/identifiants-candidature';
import request from 'supertest';
import { colonnesImport } from '../../api/import';
import { stateQuery } from '../../workflows/definitions';
import { eleve } from '../support/fixtures';
import { AUTRE_COLLEGE, bearer, COLLEGE, corpsInscription, LYCEE, startStack, type Stack } from './harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('import');
}, 120_000);
afterAll(async () => stack?.stop());

const CAMPAGNE = 'creteil-2027';
type Eleve = ReturnType<typeof eleve>;

/** One line per vœu, in the columns' documented order. */
function ligne(e: Eleve, voeu: { code: string; libelle: string }, domaine = { code: 'metallerie', libelle: 'Métallerie' }): Record<string, string> {
  return {
    ine: e.ine,
    nom: e.nom,
    prenom: e.prenom,
    niveau: e.niveau,
    uai_origine: e.uaiOrigine,
    referent_nom: e.referentNom,
    referent_email: e.referentEmail,
    domaine: domaine.code,
    domaine_libelle: domaine.libelle,
    modalite: 'individuel',
    uai_accueil: LYCEE,
    code_formation: voeu.code,
    formation_libelle: voeu.libelle,
  };
}

const champCsv = (v: string, sep: string) => (v.includes(sep) || v.includes('"') || v.includes('\n') ? `"${v.replace(/"/g, '""')}"` : v);
function csv(lignes: Record<string, string>[], sep = ';'): string {
  const noms = colonnesImport.map((c) => c.nom);
  return [noms.join(sep), ...lignes.map((l) => noms.map((n) => champCsv(l[n], sep)).join(sep))].join('\r\n') + '\r\n';
}

const STRUCTURES = { code: '24025401', libelle: '2nde pro métiers des structures métalliques' };
const SERRURIER = { code: '50025415', libelle: 'CAP serrurier; métallier "option A"' };
const ELECTRICIEN = { code: '40025510', libelle: 'CAP électricien' };
const ELECTRICITE = { code: 'electricite', libelle: 'Électricité' };

async function importer(corps: string, { role = 'origine_chef' as Parameters<typeof bearer>[0], autre = false, query = `?campagne=${CAMPAGNE}`, type = 'text/csv' } = {}) {
  return request(stack.app)
    .post(`/candidatures/import${query}`)
    .set('authorization', await bearer(role, { autre }))
    .set('content-type', type)
    .send(corps);
}

/** Nothing of these pupils exists: no workflow, no row. */
async function rienPour(eleves: Eleve[], domaines = ['metallerie', 'electricite']): Promise<void> {
  for (const e of eleves) {
    for (const d of domaines) await expect(stack.env.client.workflow.getHandle(candidatureWorkflowId(DEV_ID_KEY, CAMPAGNE, e.ine, d)).describe()).rejects.toThrow();
  }
  expect(await stack.db.prisma.candidature.count({ where: { ine: { in: eleves.map((e) => e.ine) } } })).toBe(0);
}

describe('POST /candidatures/import', () => {
  it('inscribes every pupil × domaine of a good file, vœux in file order, and reports each line; the same file again changes nothing', async () => {
    const [lea, noah] = [eleve(), { ...eleve(), nom: 'Diallo', prenom: 'Noah' }];
    const fichier = '\uFEFF' + csv([ligne(lea, STRUCTURES), ligne(noah, ELECTRICIEN, ELECTRICITE), ligne(lea, SERRURIER), ligne(lea, ELECTRICIEN, ELECTRICITE)]);
    const res = await importer(fichier);
    expect(res.status).toBe(201);
    const ids = {
      leaMetal: candidatureWorkflowId(DEV_ID_KEY, CAMPAGNE, lea.ine, 'metallerie'),
      leaElec: candidatureWorkflowId(DEV_ID_KEY, CAMPAGNE, lea.ine, 'electricite'),
      noahElec: candidatureWorkflowId(DEV_ID_KEY, CAMPAGNE, noah.ine, 'electricite'),
    };
    expect(res.body).toEqual({
      campagne: CAMPAGNE,
      encodage: 'utf-8-bom',
      candidatures: 3,
      inscrites: 3,
      lignesEnErreur: 0,
      lignes: [
        { ligne: 2, ine: lea.ine, domaine: 'metallerie', codeFormation: STRUCTURES.code, resultat: 'inscrite', candidature: ids.leaMetal },
        { ligne: 3, ine: noah.ine, domaine: 'electricite', codeFormation: ELECTRICIEN.code, resultat: 'inscrite', candidature: ids.noahElec },
        { ligne: 4, ine: lea.ine, domaine: 'metallerie', codeFormation: SERRURIER.code, resultat: 'inscrite', candidature: ids.leaMetal },
        { ligne: 5, ine: lea.ine, domaine: 'electricite', codeFormation: ELECTRICIEN.code, resultat: 'inscrite', candidature: ids.leaElec },
      ],
    });
    const metal = await stack.env.client.workflow.getHandle(ids.leaMetal).query(stateQuery);
    expect(metal).toMatchObject({ etape: 'a_planifier', eleve: { ine: lea.ine, uaiOrigine: COLLEGE }, uaiAccueil: LYCEE });
    expect(metal.voeux.map((v) => [v.rang, v.codeFormation, v.libelle])).toEqual([
      [1, STRUCTURES.code, STRUCTURES.libelle],
      [2, SERRURIER.code, SERRURIER.libelle],
    ]);
    // Inscribed as `POST /candidatures` does: by the token's person, recensement then inscription.
    expect(metal.historique.map((h) => [h.type, h.acteur.nom])).toEqual([
      ['recensement', 'Test origine_chef'],
      ['inscription', 'Test origine_chef'],
    ]);
    expect((await stack.env.client.workflow.getHandle(ids.noahElec).query(stateQuery)).eleve).toMatchObject({ nom: 'Diallo', prenom: 'Noah' });

    const encore = await importer(fichier);
    expect(encore.status).toBe(200);
    expect(encore.body).toMatchObject({ candidatures: 3, inscrites: 0, lignesEnErreur: 0 });
    expect(encore.body.lignes.map((l: { resultat: string }) => l.resultat)).toEqual(['deja_inscrite', 'deja_inscrite', 'deja_inscrite', 'deja_inscrite']);
    expect((await stack.env.client.workflow.getHandle(ids.leaMetal).query(stateQuery)).version).toBe(metal.version);
  });

  it('reads a comma-separated file, and adds a new vœu to a candidature the collège already has', async () => {
    const corps = corpsInscription();
    expect((await request(stack.app).post('/candidatures').set('authorization', await bearer('origine_personnel')).send(corps)).status).toBe(201);
    const e = corps.eleve;
    const res = await importer(csv([ligne(e, STRUCTURES), ligne(e, { code: '50025416', libelle: 'CAP métallier' })], ','), { role: 'origine_personnel' });
    expect(res.status).toBe(201);
    expect(res.body.lignes.map((l: { resultat: string }) => l.resultat)).toEqual(['inscrite', 'inscrite']);
    const etat = await stack.env.client.workflow.getHandle(candidatureWorkflowId(DEV_ID_KEY, CAMPAGNE, e.ine, 'metallerie')).query(stateQuery);
    expect(etat.voeux.map((v) => v.codeFormation)).toEqual(['24025401', '50025415', '50025416']);
  });

  it('refuses the whole file when one line is bad: 422, the line and the column named, nothing started', async () => {
    const eleves = [eleve(), eleve(), eleve()];
    const lignes = [ligne(eleves[0], STRUCTURES), ligne(eleves[1], STRUCTURES), { ...ligne(eleves[2], STRUCTURES), ine: '12345' }, ligne(eleves[0], SERRURIER)];
    const res = await importer(csv(lignes));
    expect(res.status).toBe(422);
    expect(res.body.erreur).toMatchObject({ code: 'import_refuse', message: expect.stringContaining('1 ligne en erreur sur 4') });
    expect(res.body.rapport).toMatchObject({ candidatures: 2, inscrites: 0, lignesEnErreur: 1 });
    expect(res.body.rapport.lignes.map((l: { ligne: number; resultat: string }) => [l.ligne, l.resultat])).toEqual([
      [2, 'valide'],
      [3, 'valide'],
      [4, 'erreur'],
      [5, 'valide'],
    ]);
    expect(res.body.rapport.lignes[2]).toMatchObject({ ine: '12345', erreurs: [{ code: 'requete_invalide', champ: 'ine', message: 'ine : INE invalide' }] });
    await rienPour(eleves);
  });

  it('names every kind of bad line: schema, eligibility, school, coherence, duplicates, field count', async () => {
    const [a, b, c, d] = [eleve(), eleve(), eleve(), eleve()];
    const lignes = [
      ligne(a, STRUCTURES),
      { ...ligne(a, SERRURIER), nom: 'Autre' }, // the same pupil under another name
      ligne(a, STRUCTURES), // the same vœu twice
      { ...ligne(b, STRUCTURES), niveau: '2nde_gt' },
      { ...ligne(c, STRUCTURES), uai_origine: AUTRE_COLLEGE },
      { ...ligne(d, STRUCTURES), referent_email: 'durand', uai_accueil: '0940134A', modalite: 'groupe' },
      { ...ligne(a, { code: '50025416', libelle: 'CAP métallier' }), uai_accueil: '0941999M' }, // another lycée for the same candidature
    ];
    const fichier = csv(lignes) + `${d.ine};trop;court\r\n`;
    const res = await importer(fichier);
    expect(res.status).toBe(422);
    const erreurs = Object.fromEntries(
      (res.body.rapport.lignes as { ligne: number; erreurs?: { code: string; champ?: string }[] }[]).map((l) => [l.ligne, (l.erreurs ?? []).map((e) => `${e.code}:${e.champ ?? ''}`)]),
    );
    expect(erreurs).toEqual({
      2: [],
      3: ['ligne_incoherente:nom'],
      4: ['voeu_en_double:code_formation'],
      5: ['eleve_non_eligible:niveau'],
      6: ['acces_refuse:uai_origine'],
      7: ['requete_invalide:referent_email', 'requete_invalide:modalite', 'requete_invalide:uai_accueil'],
      8: ['ligne_incoherente:uai_accueil'],
      9: ['ligne_mal_formee:'],
    });
    expect(res.body.rapport.lignes[2].erreurs[0].message).toContain('ligne 2');
    expect(res.body.rapport.lignes[3].erreurs[0].message).toMatch(/2nde GT/);
    await rienPour([a, b, c, d]);
  });

  it("refuses another collège's pupils, and a pupil another collège already registered in the domaine", async () => {
    const autre = { ...eleve(), uaiOrigine: AUTRE_COLLEGE };
    const res = await importer(csv([ligne(autre, STRUCTURES)]));
    expect(res.status).toBe(422);
    expect(res.body.rapport.lignes[0].erreurs).toEqual([expect.objectContaining({ code: 'acces_refuse', champ: 'uai_origine' })]);
    await rienPour([autre]);

    const corps = corpsInscription();
    const chezAutrui = { ...corps, eleve: { ...corps.eleve, uaiOrigine: AUTRE_COLLEGE } };
    expect((await request(stack.app).post('/candidatures').set('authorization', await bearer('origine_chef', { autre: true })).send(chezAutrui)).status).toBe(201);
    const nouveau = eleve();
    const conflit = await importer(csv([ligne(nouveau, STRUCTURES), ligne({ ...corps.eleve, uaiOrigine: COLLEGE }, STRUCTURES)]));
    expect(conflit.status).toBe(422);
    expect(conflit.body.rapport.lignes[1].erreurs).toEqual([expect.objectContaining({ code: 'eleve_d_un_autre_etablissement', champ: 'ine' })]);
    expect(JSON.stringify(conflit.body)).not.toContain(AUTRE_COLLEGE);
    await rienPour([nouveau]);
  });

  it.each([
    ['an empty body', '', /fichier vide/],
    ['blank lines only', '\r\n\r\n', /fichier vide/],
    ['a header alone', `${colonnesImport.map((c) => c.nom).join(';')}\r\n`, /aucune ligne après l'en-tête/],
    ['a missing and an unknown column', 'ine;nom;prenom;classe\r\n123456789AB;Martin;Léa;3eB\r\n', /colonne manquante : niveau.*colonne inconnue : « classe »/],
    ['a repeated column', `${colonnesImport.map((c) => c.nom).join(';')};ine\r\n`, /colonne en double : ine/],
    ['an unclosed quote', `${colonnesImport.map((c) => c.nom).join(';')}\r\n"123456789AB;Martin\r\n`, /guillemet n'est jamais fermé/],
    ['a quote inside a field', `${colonnesImport.map((c) => c.nom).join(';')}\r\n123"456;Martin\r\n`, /guillemet au milieu d'un champ \(ligne 2\)/],
    ['binary garbage without a NUL byte', '\u0001\u0002PK\u0003\u0004', /colonne/],
  ])('answers 400 csv_invalide to %s, with a French message', async (_cas, corps, message) => {
    const res = await importer(corps);
    expect([res.status, res.body.erreur.code]).toEqual([400, 'csv_invalide']);
    expect(res.body.erreur.message).toMatch(message);
  });

  it('answers 413 in the JSON error shape to a file over the limit, before reading it', async () => {
    const e = eleve();
    const une = csv([ligne(e, STRUCTURES)]).split('\r\n')[1];
    const res = await importer(csv([]) + `${une}\r\n`.repeat(Math.ceil(600_000 / une.length)));
    expect(res.status).toBe(413);
    expect(res.body.erreur).toMatchObject({ code: 'entity_too_large', message: expect.any(String) });
    await rienPour([e], ['metallerie']);
  });

  it.each(['accueil_personnel', 'accueil_chef', 'saio'] as const)('is for the collège only: 403 for %s, nothing started', async (role) => {
    const e = eleve();
    const res = await importer(csv([ligne(e, STRUCTURES)]), { role });
    expect([res.status, res.body.erreur.code]).toEqual([403, 'acces_refuse']);
    await rienPour([e], ['metallerie']);
  });

  it('answers 401 without a token, 415 to another content type, 400 without a campaign, 409 after the inscriptions closed', async () => {
    const e = eleve();
    const fichier = csv([ligne(e, STRUCTURES)]);
    const anonyme = await request(stack.app).post(`/candidatures/import?campagne=${CAMPAGNE}`).set('content-type', 'text/csv').send(fichier);
    expect([anonyme.status, anonyme.body.erreur.code]).toEqual([401, 'non_authentifie']);
    const json = await importer(JSON.stringify({ lignes: [] }), { type: 'application/json' });
    expect([json.status, json.body.erreur.code]).toEqual([415, 'type_non_supporte']);
    const texte = await importer(fichier, { type: 'text/plain' });
    expect(texte.status).toBe(415);
    for (const [query, champ] of [['', 'query.campagne'], ['?campagne=lyon-2027', 'query.campagne'], [`?campagne=${CAMPAGNE}&x=1`, 'query.x']]) {
      const res = await importer(fichier, { query });
      expect([res.status, res.body.erreur.champ]).toEqual([400, champ]);
    }
    const close = await importer(fichier, { query: '?campagne=creteil-2018' });
    expect([close.status, close.body.erreur.code]).toEqual([409, 'inscriptions_closes']);
    await rienPour([e], ['metallerie']);
  });

  it('never answers 500, whatever the file', async () => {
    const e = eleve();
    const entete = colonnesImport.map((c) => c.nom).join(';');
    const bonne = csv([ligne(e, STRUCTURES)]).split('\r\n')[1];
    const corps = [
      `${entete}\r\n;;;;;;;;;;;;\r\n`,
      `${entete}\r\n${';'.repeat(40)}x\r\n`,
      `${entete}\n${bonne.replace(e.ine, '__proto__')}\n`,
      `${entete}\n${bonne.replace('3e', 'toString')}\n`,
      `${entete}\n${bonne.replace(LYCEE, 'x'.repeat(5000))}\n`,
      `${entete}\n${bonne}\n${bonne.replace('24025401', '"24025401')}\n`,
      entete.toUpperCase() + `\n${bonne.replace(e.ine, '')}\n`,
      '\uFEFF\uFEFF' + entete,
      '"',
      ';',
      Array.from({ length: 22 }, (_, i) => bonne.replace('24025401', String(24025400 + i * 10).padStart(8, '0'))).join('\n').replace(/^/, `${entete}\n`),
    ];
    for (const corpsCsv of corps) {
      const res = await importer(corpsCsv);
      expect([corpsCsv.slice(0, 60), res.status >= 400 && res.status < 500]).toEqual([corpsCsv.slice(0, 60), true]);
      expect(res.body.erreur).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
    await rienPour([e], ['metallerie']);
  });
});
