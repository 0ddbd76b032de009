// Integrity of what schools enter (issue 17), through the API on the real stack: text fields refuse what the
// database or a reader cannot take and are NFC-normalised; unknown keys are refused at every depth; a vœu is a
// formation of the catalogue (the database's, which the SAIO edits), offered by that lycée, in that domaine,
// with that modality, in the campaign's académie; class lists are read in UTF-8 or Windows-1252; the referent's
// address is in the académie's domains. Every refusal is a 4xx naming the field, and starts nothing.
import { DEV_ID_KEY } from '../../platform/config';
import { candidatureWorkflowId } from '../../platform/identifiants-candidature';
import request from 'supertest';
import { colonnesImport } from '../../api/import';
import { emettreJeton } from '../../api/auth';
import { uaiCheckLetter } from '../../domain/identifiers';
import { stateQuery } from '../../workflows/definitions';
import { eleve } from '../support/fixtures';
import { AUTRE_COLLEGE, bearer, COLLEGE, corpsInscription, LYCEE, SECRET, startStack, type Stack } from './harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('integrite');
}, 120_000);
afterAll(async () => stack?.stop());

const CAMPAGNE = 'creteil-2027';
const uaiDe = (septChiffres: string) => `${septChiffres}${uaiCheckLetter(septChiffres)}`;
const COLLEGE_PARIS = uaiDe('0751234');
const LYCEE_PARIS = '0750655E';
/** A lycée of the shipped catalogue that offers the Métallerie formations. */
const LYCEE_METALLERIE = '0942175D';

async function inscrire(corps: Record<string, unknown>, role: 'origine_chef' | 'origine_personnel' = 'origine_chef') {
  return request(stack.app).post('/candidatures').set('authorization', await bearer(role)).send(corps);
}

async function agir(id: string, action: string, role: Parameters<typeof bearer>[0], corps: object) {
  return request(stack.app).post(`/candidatures/${encodeURIComponent(id)}/${action}`).set('authorization', await bearer(role)).send(corps);
}

async function rienPour(ine: string, domaine = 'metallerie'): Promise<void> {
  await expect(stack.env.client.workflow.getHandle(candidatureWorkflowId(DEV_ID_KEY, CAMPAGNE, ine, domaine)).describe()).rejects.toThrow();
  expect(await stack.db.prisma.candidature.count({ where: { ine } })).toBe(0);
}

function attendreRefus(res: request.Response, status: number, code: string, champ: string) {
  expect({ status: res.status, code: res.body.erreur?.code, champ: res.body.erreur?.champ }).toEqual({ status, code, champ });
  expect(res.body.erreur.message).toEqual(expect.any(String));
}

describe('text fields (JSON)', () => {
  it.each([
    ['a NUL character', 'Mar\u0000tin'],
    ['a control character', 'Mar\u0007tin'],
    ['a newline in a one-line field', 'Mar\ntin'],
    ['a tab in a one-line field', 'Mar\ttin'],
    ['a C1 control character', 'Mar\u0085tin'],
    ['a lone high surrogate', 'Mar\uD83Dtin'],
    ['a lone low surrogate', 'Mar\uDE00tin'],
    ['a bidi override', 'Mar\u202Etin'],
    ['a bidi isolate', 'Mar\u2067tin'],
  ])('refuses %s with 400 naming the field, and starts nothing', async (_cas, nom) => {
    const corps = corpsInscription();
    const res = await inscrire({ ...corps, eleve: { ...corps.eleve, nom } });
    attendreRefus(res, 400, 'requete_invalide', 'body.eleve.nom');
    expect(res.body.erreur.message).toMatch(/caractère|interdit/);
    await rienPour(corps.eleve.ine);
  });

  it('keeps a character outside the BMP (a surrogate pair) and stores names NFC-normalised', async () => {
    const corps = corpsInscription();
    const res = await inscrire({ ...corps, eleve: { ...corps.eleve, nom: 'Le\u0301onard', prenom: 'Zoé 😀' } });
    expect(res.status).toBe(201);
    expect(res.body.eleve).toMatchObject({ nom: 'L\u00e9onard', prenom: 'Zoé 😀' });
  });

  it('allows newlines and tabs in multi-line fields only, and refuses control characters there too', async () => {
    const corps = corpsInscription();
    const { body } = await inscrire(corps);
    const id = body.id as string;
    const avis = (commentaire: string) => ({ avis: [{ codeFormation: '24025401', avis: 'favorable', commentaire }] });
    attendreRefus(await agir(id, 'avis-origine', 'origine_chef', avis('Motivé\u0000')), 400, 'requete_invalide', 'body.avis.0.commentaire');
    attendreRefus(await agir(id, 'avis-origine', 'origine_chef', avis('Motivé \u202Eelbaruof')), 400, 'requete_invalide', 'body.avis.0.commentaire');
    attendreRefus(await agir(id, 'entretien', 'accueil_personnel', { date: '2027-04-07', heure: '14:00', lieu: 'Salle\nB12', mode: 'presentiel' }), 400, 'requete_invalide', 'body.lieu');
    attendreRefus(await agir(id, 'desistement', 'origine_chef', { motif: 'Abandon\uD800' }), 400, 'requete_invalide', 'body.motif');
    const ok = await agir(id, 'avis-origine', 'origine_chef', avis('Motivé,\r\n\tcurieux.'));
    expect(ok.status).toBe(200);
    expect(ok.body.voeux[0].avisOrigine.commentaire).toBe('Motivé,\n\tcurieux.');
  });
});

describe('candidature ids in the path', () => {
  it.each([
    ['a NUL character', '%00'],
    ['a control character', '%07'],
    ['bytes that are no UTF-8', '%ED%A0%80'],
    ['a bidi override', '%E2%80%AE'],
  ])('answers 4xx, never 500, to an id with %s', async (_cas, octets) => {
    const id = `passpro%3A${CAMPAGNE}%3A123${octets}456AB%3Ametallerie`;
    const saio = await bearer('saio');
    for (const res of [
      await request(stack.app).get(`/candidatures/${id}`).set('authorization', saio),
      await request(stack.app).get(`/candidatures/${id}/fiche`).set('authorization', saio),
      await request(stack.app).post(`/candidatures/${id}/desistement`).set('authorization', saio).send({ motif: 'Abandon.' }),
    ]) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.erreur.code).toEqual(expect.any(String));
    }
  });
});

describe('unknown keys at every depth', () => {
  it.each([
    ['eleve.moyenne', (c: ReturnType<typeof corpsInscription>) => ({ ...c, eleve: { ...c.eleve, moyenne: 14.5 } }), 'body.eleve.moyenne'],
    ['voeux[0].notes', (c: ReturnType<typeof corpsInscription>) => ({ ...c, voeux: [{ ...c.voeux[0], notes: [12] }] }), 'body.voeux.0.notes'],
    ['domaine.bulletin', (c: ReturnType<typeof corpsInscription>) => ({ ...c, domaine: { ...c.domaine, bulletin: 'x' } }), 'body.domaine.bulletin'],
  ])('refuses %s in an inscription', async (_cle, abimer, champ) => {
    const corps = corpsInscription();
    attendreRefus(await inscrire(abimer(corps)), 400, 'requete_invalide', champ);
    await rienPour(corps.eleve.ine);
  });

  it('refuses avis[0].bulletin, voeux[0].notes and voeuxSupplementaires[0].moyenne in staff actions', async () => {
    const { body } = await inscrire(corpsInscription());
    const id = body.id as string;
    attendreRefus(
      await agir(id, 'avis-origine', 'origine_chef', { avis: [{ codeFormation: '24025401', avis: 'favorable', commentaire: 'Motivé.', bulletin: 'T1' }] }),
      400,
      'requete_invalide',
      'body.avis.0.bulletin',
    );
    attendreRefus(await agir(id, 'inscription', 'origine_chef', { voeux: [{ codeFormation: '50025416', libelle: 'CAP métallier', notes: 12 }] }), 400, 'requete_invalide', 'body.voeux.0.notes');
    attendreRefus(
      await agir(id, 'compte-rendu', 'accueil_chef', {
        texte: 'Bien.',
        avis: [{ codeFormation: '24025401', avis: 'favorable' }],
        voeuxSupplementaires: [{ codeFormation: '50025416', libelle: 'CAP métallier', avis: 'favorable', moyenne: 11 }],
      }),
      400,
      'requete_invalide',
      'body.voeuxSupplementaires.0.moyenne',
    );
    const etat = await stack.env.client.workflow.getHandle(id).query(stateQuery);
    expect(etat.historique.map((h) => h.type)).toEqual(['recensement', 'inscription']);
  });
});

describe('the catalogue', () => {
  it('refuses a domaine that is not in the catalogue, listing those that are', async () => {
    const corps = corpsInscription({ domaine: { code: 'astronautique', libelle: 'Astronautique' } });
    const res = await inscrire(corps);
    attendreRefus(res, 422, 'hors_catalogue', 'body.domaine.code');
    expect(res.body.erreur.message).toContain('metallerie');
    await rienPour(corps.eleve.ine, 'astronautique');
  });

  it('refuses a formation the lycée does not offer, listing the lycées that do', async () => {
    const corps = corpsInscription({ voeux: [{ codeFormation: '50021203', libelle: 'CAP chaudronnerie' }] });
    const res = await inscrire(corps);
    attendreRefus(res, 422, 'hors_catalogue', 'body.voeux.0.codeFormation');
    expect(res.body.erreur.message).toContain(LYCEE_METALLERIE);
    await rienPour(corps.eleve.ine);
  });

  it('refuses a formation of another domaine or a made-up one, listing the formations of the domaine at that lycée', async () => {
    for (const codeFormation of ['24022401', '99999999']) {
      const corps = corpsInscription({ voeux: [{ codeFormation: '24025401', libelle: 'Structures métalliques' }, { codeFormation, libelle: 'Autre' }] });
      const res = await inscrire(corps);
      attendreRefus(res, 422, 'hors_catalogue', 'body.voeux.1.codeFormation');
      expect(res.body.erreur.message).toContain('50025415');
      await rienPour(corps.eleve.ine);
    }
  });

  it('refuses the wrong modality, and lycées and collèges of another académie', async () => {
    const collectif = corpsInscription({ modalite: 'collectif' });
    attendreRefus(await inscrire(collectif), 422, 'hors_catalogue', 'body.modalite');
    await rienPour(collectif.eleve.ine);

    const paris = corpsInscription({ uaiAccueil: LYCEE_PARIS });
    const res = await inscrire(paris);
    attendreRefus(res, 422, 'hors_catalogue', 'body.uaiAccueil');
    expect(res.body.erreur.message).toContain('Créteil');
    await rienPour(paris.eleve.ine);

    const corps = corpsInscription();
    const jeton = `Bearer ${await emettreJeton(SECRET, { role: 'origine_chef', uai: COLLEGE_PARIS, nom: 'Mme Paris' }, '1h')}`;
    const deParis = { ...corps, eleve: { ...corps.eleve, uaiOrigine: COLLEGE_PARIS } };
    attendreRefus(await request(stack.app).post('/candidatures').set('authorization', jeton).send(deParis), 422, 'hors_catalogue', 'body.eleve.uaiOrigine');
    await rienPour(corps.eleve.ine);
  });

  it('lets the SAIO add an offer (inter-académie here) and withdraw it: inscriptions follow, vœux already made stay', async () => {
    const saio = await bearer('saio');
    const offre = {
      uai: LYCEE,
      modalite: 'individuel',
      interAcademique: true,
      domaine: { code: 'metallerie', libelle: 'Métallerie' },
      formation: { code: '50025499', mnemonique: '1CAP2', libelle: "CAP ferronnier d'art" },
    };
    expect((await request(stack.app).post('/catalogue/offres').set('authorization', await bearer('origine_chef')).send(offre)).status).toBe(403);
    attendreRefus(await request(stack.app).post('/catalogue/offres').set('authorization', saio).send({ ...offre, formation: { ...offre.formation, note: 1 } }), 400, 'requete_invalide', 'body.formation.note');
    const cree = await request(stack.app).post('/catalogue/offres').set('authorization', saio).send(offre);
    expect(cree.status).toBe(201);
    expect(cree.body).toMatchObject({ formation: { code: '50025499' }, uai: LYCEE, modalite: 'individuel', interAcademique: true, retireeLe: null });

    const voeu = { codeFormation: '50025499', libelle: "CAP ferronnier d'art" };
    const corps = corpsInscription({ voeux: [voeu] });
    const inscrite = await inscrire(corps);
    expect(inscrite.status).toBe(201);
    // Inter-académie: a Paris collège may apply to it, to it alone.
    const jeton = `Bearer ${await emettreJeton(SECRET, { role: 'origine_chef', uai: COLLEGE_PARIS, nom: 'Mme Paris' }, '1h')}`;
    const deParis = corpsInscription({ voeux: [voeu] });
    const parisienne = await request(stack.app).post('/candidatures').set('authorization', jeton).send({ ...deParis, eleve: { ...deParis.eleve, uaiOrigine: COLLEGE_PARIS } });
    expect(parisienne.status).toBe(201);

    const liste = await request(stack.app).get('/catalogue/offres?domaine=metallerie&uai=' + LYCEE).set('authorization', await bearer('origine_personnel'));
    expect(liste.status).toBe(200);
    expect(liste.body.offres.map((o: { formation: { code: string } }) => o.formation.code)).toContain('50025499');

    const retrait = await request(stack.app).delete(`/catalogue/offres/50025499/${LYCEE}`).set('authorization', saio);
    expect(retrait.status).toBe(200);
    expect(retrait.body.retireeLe).toEqual(expect.any(String));
    const apres = corpsInscription({ voeux: [voeu] });
    attendreRefus(await inscrire(apres), 422, 'hors_catalogue', 'body.voeux.0.codeFormation');
    await rienPour(apres.eleve.ine);
    // The candidature that has it keeps it, and sending it again is not a new vœu.
    expect((await agir(inscrite.body.id, 'inscription', 'origine_chef', { voeux: [voeu] })).status).toBe(200);
    expect((await request(stack.app).delete('/catalogue/offres/50025498/' + LYCEE).set('authorization', saio)).status).toBe(404);
  });

  it('checks the vœux added to a candidature and those added at the interview', async () => {
    const { body } = await inscrire(corpsInscription());
    const id = body.id as string;
    const res = await agir(id, 'inscription', 'origine_chef', { voeux: [{ codeFormation: '50021203', libelle: 'CAP chaudronnerie' }] });
    attendreRefus(res, 422, 'hors_catalogue', 'body.voeux.0.codeFormation');
    expect(res.body.erreur.message).toContain(LYCEE_METALLERIE);
    const cr = await agir(id, 'compte-rendu', 'accueil_chef', {
      texte: 'Bien.',
      avis: [{ codeFormation: '24025401', avis: 'favorable' }],
      voeuxSupplementaires: [{ codeFormation: '40025510', libelle: 'CAP électricien', avis: 'favorable' }],
    });
    attendreRefus(cr, 422, 'hors_catalogue', 'body.voeuxSupplementaires.0.codeFormation');
    const etat = await stack.env.client.workflow.getHandle(id).query(stateQuery);
    expect(etat.voeux.map((v) => v.codeFormation)).toEqual(['24025401', '50025415']);
  });
});

describe("the referent's e-mail", () => {
  it("refuses an address outside the académie's domains", async () => {
    const corps = corpsInscription();
    const res = await inscrire({ ...corps, eleve: { ...corps.eleve, referentEmail: 'prof@example.org' } });
    attendreRefus(res, 422, 'courriel_hors_academie', 'body.eleve.referentEmail');
    expect(res.body.erreur.message).toContain('ac-creteil.fr');
    await rienPour(corps.eleve.ine);
  });
});

describe('class lists (CSV)', () => {
  const STRUCTURES = { code: '24025401', libelle: '2nde pro métiers des structures métalliques' };
  function ligne(e: ReturnType<typeof eleve>, surcharge: Record<string, string> = {}): Record<string, string> {
    return {
      ine: e.ine,
      nom: e.nom,
      prenom: e.prenom,
      niveau: e.niveau,
      uai_origine: e.uaiOrigine,
      referent_nom: e.referentNom,
      referent_email: e.referentEmail,
      domaine: 'metallerie',
      domaine_libelle: 'Métallerie',
      modalite: 'individuel',
      uai_accueil: LYCEE,
      code_formation: STRUCTURES.code,
      formation_libelle: STRUCTURES.libelle,
      ...surcharge,
    };
  }
  const csv = (lignes: Record<string, string>[]) => {
    const noms = colonnesImport.map((c) => c.nom);
    return [noms.join(';'), ...lignes.map((l) => noms.map((n) => l[n]).join(';'))].join('\r\n') + '\r\n';
  };
  async function importer(octets: Buffer) {
    return request(stack.app)
      .post(`/candidatures/import?campagne=${CAMPAGNE}`)
      .set('authorization', await bearer('origine_chef'))
      .set('content-type', 'text/csv')
      .send(octets);
  }
  /** Windows-1252 for the characters these tests use: Latin-1's, and ’ and Œ from 0x80–0x9F. */
  const cp1252 = (texte: string) => Buffer.from([...texte].map((c) => ({ '’': 0x92, Œ: 0x8c })[c] ?? c.charCodeAt(0)));

  it('reads Windows-1252 (Excel on French Windows) and UTF-8 with or without BOM, and says which', async () => {
    for (const [encoder, encodage] of [
      [cp1252, 'windows-1252'],
      [(t: string) => Buffer.from(t, 'utf8'), 'utf-8'],
      [(t: string) => Buffer.from(`\uFEFF${t}`, 'utf8'), 'utf-8-bom'],
    ] as const) {
      const e = { ...eleve(), nom: 'N’Diaye-Lefèvre', prenom: 'Anaïs Œlia' };
      const res = await importer(encoder(csv([ligne(e, { domaine_libelle: 'Métallerie' })])));
      expect({ status: res.status, encodage: res.body.encodage }).toEqual({ status: 201, encodage });
      const etat = await stack.env.client.workflow.getHandle(candidatureWorkflowId(DEV_ID_KEY, CAMPAGNE, e.ine, 'metallerie')).query(stateQuery);
      expect(etat.eleve).toMatchObject({ nom: 'N’Diaye-Lefèvre', prenom: 'Anaïs Œlia' });
    }
  });

  it('refuses UTF-16 and binary files, starting nothing', async () => {
    const e = eleve();
    const texte = csv([ligne(e)]);
    for (const octets of [
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(texte, 'utf16le')]),
      Buffer.from(texte, 'utf16le'),
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00]),
    ]) {
      const res = await importer(octets);
      attendreRefus(res, 400, 'encodage_non_supporte', 'body');
    }
    await rienPour(e.ine);
  });

  it('refuses control characters and bidi overrides in fields, the catalogue and the e-mail domain, naming the column', async () => {
    const [a, b, c, d, f] = [eleve(), eleve(), eleve(), eleve(), eleve()];
    const fichier = csv([
      ligne(a, { nom: 'Mar\u202Etin' }),
      ligne(b, { referent_nom: 'M. \u0007Durand' }),
      ligne(c, { code_formation: '50021203' }),
      ligne(d, { referent_email: 'prof@example.org' }),
      ligne(f, { formation_libelle: 'CAP\u0085' }),
    ]);
    const res = await importer(Buffer.from(fichier, 'utf8'));
    expect(res.status).toBe(422);
    expect(res.body.rapport.lignes.map((l: { erreurs?: { code: string; champ?: string }[] }) => l.erreurs?.map((x) => [x.code, x.champ]))).toEqual([
      [['requete_invalide', 'nom']],
      [['requete_invalide', 'referent_nom']],
      [['hors_catalogue', 'code_formation']],
      [['courriel_hors_academie', 'referent_email']],
      [['requete_invalide', 'formation_libelle']],
    ]);
    for (const e of [a, b, c, d, f]) await rienPour(e.ine);
    expect(COLLEGE).toBe(a.uaiOrigine);
  });
});

describe("a pupil is one collège's in a campaign", () => {
  it("refuses another collège's inscription of the same INE, in any domaine, and changes nothing of the first", async () => {
    const premier = corpsInscription();
    expect((await inscrire(premier)).status).toBe(201);
    const autreCollege = await bearer('origine_chef', { autre: true });
    const second = corpsInscription({
      eleve: { ...premier.eleve, nom: 'Autrenom', uaiOrigine: AUTRE_COLLEGE },
      domaine: { code: 'electricite', libelle: 'Électricité' },
      voeux: [{ codeFormation: '40025510', libelle: 'CAP électricien' }],
    });
    const res = await request(stack.app).post('/candidatures').set('authorization', autreCollege).send(second);
    attendreRefus(res, 409, 'eleve_d_un_autre_etablissement', 'body.eleve.ine');
    await expect(stack.env.client.workflow.getHandle(candidatureWorkflowId(DEV_ID_KEY, CAMPAGNE, premier.eleve.ine, 'electricite')).describe()).rejects.toThrow();
    expect(await stack.db.prisma.eleve.findUniqueOrThrow({ where: { ine: premier.eleve.ine } })).toMatchObject({ nom: premier.eleve.nom, uaiOrigine: COLLEGE });
    const csv = await request(stack.app).get(`/exports/affelnet.csv?campagne=${CAMPAGNE}`).set('authorization', await bearer('saio'));
    const lignes = csv.text.split('\r\n').filter((l) => l.startsWith(premier.eleve.ine));
    expect(new Set(lignes.map((l) => l.split(';')[3]))).toEqual(new Set([COLLEGE]));

    // The same in a class list: the line is refused, nothing is started.
    const entete = colonnesImport.map((c) => c.nom).join(';');
    const ligne = colonnesImport
      .map(({ nom }) => ({ ine: second.eleve.ine, nom: 'Autrenom', prenom: second.eleve.prenom, niveau: '3e', uai_origine: AUTRE_COLLEGE, referent_nom: 'M. Autre', referent_email: 'pp.autre@ac-creteil.fr', domaine: 'electricite', domaine_libelle: 'Électricité', modalite: 'individuel', uai_accueil: LYCEE, code_formation: '40025510', formation_libelle: 'CAP électricien' } as Record<string, string>)[nom])
      .join(';');
    const importe = await request(stack.app).post(`/candidatures/import?campagne=${CAMPAGNE}`).set('authorization', autreCollege).set('content-type', 'text/csv').send(`${entete}\n${ligne}\n`);
    expect([importe.status, importe.body.erreur?.code]).toEqual([422, 'import_refuse']);
    expect(importe.body.rapport.lignes[0].erreurs.map((e: { code: string }) => e.code)).toContain('eleve_d_un_autre_etablissement');
  });
});
