// The query side written by the activities, on a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL):
// idempotent by version (a retried or replayed write, or an older one arriving late, changes nothing), one
// audit row per history entry whatever the retries, every avis of every vœu, one reminder row per recipient.
import { createActivities } from '../../activities';
import type { Mailer } from '../../platform/smtp';
import { saveCandidature, saveRappel } from '../../activities/persistence';
import { changementsDepuis } from '../../domain/candidature';
import type { Rappel } from '../../domain/procedure';
import { endOfParisDay, parisInstant } from '../../domain/calendar';
import { openDatabase, type Database } from '../../platform/database';
import { testDatabase, type TestDatabase } from '../support/db';
import { COLLEGE, LYCEE } from '../support/fixtures';
import { nouvelIne, vie } from '../support/vie-candidature';

/** The activities' mailer where no mail is expected. */
const aucunCourriel: Mailer = { send: () => Promise.reject(new Error('aucun courriel attendu')), close: () => {} };

describe('persistence', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase();
  }, 60_000);
  afterAll(() => db?.close());

  /**
   * A database for concurrent writes. On PostgreSQL, a second pool on the same database: the test
   * database is dropped WITH (FORCE) right after its pool is ended, and a pool's client still closing then
   * gets « terminating connection due to administrator command » as an unhandled pool error (reported);
   * a pool with several connections makes that likely. This one is closed long before the drop.
   * On PGlite (one in-process connection) the test database's own client.
   */
  async function concurrentes(): Promise<{ base: Database; fermer: () => Promise<void> }> {
    if (!db.url.startsWith('postgres')) return { base: db, fermer: async () => {} };
    const second = openDatabase(db.url);
    return { base: second, fermer: () => second.close() };
  }

  const lire = (id: string) =>
    db.prisma.candidature.findUniqueOrThrow({
      where: { id },
      include: { voeux: { orderBy: { rang: 'asc' } }, evenements: { orderBy: { id: 'asc' } } },
    });

  it('writing the same state twice changes nothing: one candidature, one audit row per history entry', async () => {
    const etats = vie(nouvelIne());
    const v3 = etats[2];
    await saveCandidature(db, v3);
    const avant = await lire(v3.id);
    await saveCandidature(db, v3);
    const apres = await lire(v3.id);
    expect(apres).toEqual(avant);
    expect(apres.version).toBe(3);
    expect(apres.evenements.map((e) => [e.cle, e.type])).toEqual([
      [`${v3.id}#0`, 'recensement'],
      [`${v3.id}#1`, 'inscription'],
      [`${v3.id}#2`, 'avis_origine'],
    ]);
    expect(await db.prisma.evenement.count({ where: { candidatureId: v3.id } })).toBe(3);
    expect(await db.prisma.candidature.count({ where: { ine: v3.eleve.ine } })).toBe(1);
    expect(await db.prisma.eleve.count({ where: { ine: v3.eleve.ine } })).toBe(1);
  });

  it('writes what changed since a version written as the whole state would; waits for a base not yet written', async () => {
    const etats = vie(nouvelIne());
    const [premiere, , troisieme, , , , septieme] = etats;
    const entiere = vie(nouvelIne());
    await saveCandidature(db, entiere[6]);
    await saveCandidature(db, premiere);
    const changements = changementsDepuis(premiere, septieme);
    expect(Object.keys(changements.champs)).not.toContain('eleve');
    expect(changements.historique.entrees).toHaveLength(septieme.historique.length - premiere.historique.length);
    // A concurrent write of a state between the two landed first: the changes complete it.
    await saveCandidature(db, troisieme);
    await saveCandidature(db, changements);
    const { id: _a, ine: _i, createdAt: _c, updatedAt: _u, etat: etatEcrit, voeux, evenements, ...ecrite } = await lire(septieme.id);
    const { id: _b, ine: _j, createdAt: _d, updatedAt: _v, etat: _etat, voeux: voeuxEntiers, evenements: evenementsEntiers, ...attendue } = await lire(entiere[6].id);
    expect(ecrite).toEqual(attendue);
    expect(etatEcrit).toEqual(JSON.parse(JSON.stringify(septieme)));
    expect(voeux.map(({ avisOrigine, avisAccueil, avisFinal }) => [avisOrigine, avisAccueil, avisFinal])).toEqual(voeuxEntiers.map(({ avisOrigine, avisAccueil, avisFinal }) => [avisOrigine, avisAccueil, avisFinal]));
    expect(evenements.map((e) => e.type)).toEqual(evenementsEntiers.map((e) => e.type));
    // Changes from a version the database does not hold yet are retried, not written.
    const autre = vie(nouvelIne());
    await expect(saveCandidature(db, changementsDepuis(autre[2], autre[4]))).rejects.toMatchObject({ type: 'VersionNonEcrite', nonRetryable: false });
    expect(await db.prisma.candidature.count({ where: { id: autre[4].id } })).toBe(0);
  });

  it('an older version written after a newer one changes nothing: the candidature keeps the newer fields', async () => {
    const etats = vie(nouvelIne());
    const recente = etats[6]; // fiche ready, avis final known
    await saveCandidature(db, recente);
    const avant = await lire(recente.id);
    for (const ancienne of [etats[0], etats[3], etats[5], etats[6]]) await saveCandidature(db, ancienne);
    const apres = await lire(recente.id);
    expect(apres).toEqual(avant);
    expect(apres).toMatchObject({
      etape: 'confirmation_attendue',
      version: 7,
      entretienStatut: 'tenu',
      compteRendu: "Élève curieuse. Conseil : stage d'observation en métallerie.",
      ficheRecapitulativeLe: new Date('2018-04-12T07:00:00.000Z'),
      echeance: new Date(recente.echeances.affelnet),
    });
    expect(apres.voeux.map((v) => v.avisFinal)).toEqual(['tres_favorable', 'favorable', 'incomplet']);
    expect(apres.evenements.map((e) => e.cle)).toEqual(recente.historique.map((_, i) => `${recente.id}#${i}`));
  });

  it('every version in turn, some twice and some out of order: the audit trail grows, never duplicated', async () => {
    const etats = vie(nouvelIne());
    const id = etats[0].id;
    const ordre = [0, 1, 1, 3, 2, 3, 4, 6, 5, 6, 7, 8, 7, 8];
    const ids: bigint[] = [];
    for (const [position, i] of ordre.entries()) {
      await saveCandidature(db, etats[i]);
      const row = await lire(id);
      const attendue = Math.max(...ordre.slice(0, position + 1).map((k) => etats[k].version));
      expect(row.version).toBe(attendue);
      expect(row.evenements).toHaveLength(attendue);
      // rows once written stay as they are (same ids): a later write appends, it does not rewrite
      expect(row.evenements.slice(0, ids.length).map((e) => e.id)).toEqual(ids);
      ids.splice(0, ids.length, ...row.evenements.map((e) => e.id));
    }
    const final = await lire(id);
    expect(final.evenements.map((e) => e.type)).toEqual([
      'recensement', 'inscription', 'avis_origine', 'entretien_planifie', 'entretien_tenu', 'compte_rendu',
      'fiche_recapitulative_prete', 'confirmation_famille', 'saisie_affelnet',
    ]);
    expect(final.evenements[2]).toMatchObject({
      acteurRole: 'origine_chef',
      acteurUai: COLLEGE,
      acteurNom: 'Mme Principale',
      survenuLe: new Date('2018-03-20T09:00:00.000Z'),
      details: { avis: { 24025401: 'favorable', 50025415: 'assez_favorable' }, enRetard: false },
    });
    expect(final.evenements[6]).toMatchObject({ acteurRole: 'systeme', acteurUai: null, details: {} });
    expect(new Set(final.evenements.map((e) => e.cle)).size).toBe(9);
  });

  it('writes every vœu with its avis: origine and comment, accueil, final, bonus, rank, added at the interview', async () => {
    const etats = vie(nouvelIne());
    const id = etats[0].id;
    await saveCandidature(db, etats[1]);
    expect((await lire(id)).voeux.map((v) => [v.codeFormation, v.avisOrigine, v.avisAccueil, v.avisFinal, v.bonus])).toEqual([
      ['24025401', null, null, null, null],
      ['50025415', null, null, null, null],
    ]);
    await saveCandidature(db, etats[8]);
    const row = await lire(id);
    expect(row).toMatchObject({ etape: 'cloturee', bonusAccorde: true, confirmationFamilleLe: new Date('2018-05-10T08:00:00.000Z'), saisieAffelnetLe: new Date('2018-05-11T08:00:00.000Z') });
    expect(row.voeux).toEqual([
      {
        candidatureId: id, codeFormation: '24025401', libelle: '2nde pro métiers des structures métalliques', uaiAccueil: LYCEE, rang: 1, ajouteEnEntretien: false,
        avisOrigine: 'favorable', commentaireOrigine: 'Très motivée, stage de 3e en ferronnerie.', avisOrigineEnRetard: false, avisAccueil: 'favorable', avisFinal: 'tres_favorable', bonus: 3000,
      },
      {
        candidatureId: id, codeFormation: '50025415', libelle: 'CAP serrurier métallier', uaiAccueil: LYCEE, rang: 2, ajouteEnEntretien: false,
        avisOrigine: 'assez_favorable', commentaireOrigine: 'Projet à affiner.', avisOrigineEnRetard: false, avisAccueil: 'favorable', avisFinal: 'favorable', bonus: 2000,
      },
      {
        candidatureId: id, codeFormation: '50025416', libelle: 'CAP métallier', uaiAccueil: LYCEE, rang: 3, ajouteEnEntretien: true,
        avisOrigine: null, commentaireOrigine: null, avisOrigineEnRetard: null, avisAccueil: 'assez_favorable', avisFinal: 'incomplet', bonus: 0,
      },
    ]);
  });

  it('through the activity (createActivities): retried writes, and concurrent ones, keep the newest version', async () => {
    // Update handlers may run side by side, and a retry may overlap the next write: writes of neighbouring
    // versions can overlap. On PostgreSQL they are truly concurrent transactions, on connections of their own:
    // a second pool, closed here, so that the test database's own pool (dropped at the end of the file) keeps
    // a single connection — see `concurrentes`.
    const { base, fermer } = await concurrentes();
    try {
      const activities = createActivities({ db: base, mailer: aucunCourriel, publicUrl: 'http://passpro.test', saioEmail: 'saio@ac-creteil.fr' });
      const etats = vie(nouvelIne());
      const id = etats[0].id;
      await activities.saveCandidature(etats[4]);
      await activities.saveCandidature(etats[4]);
      // the newest always wins, and each history entry is written once
      for (let i = 5; i < etats.length; i += 1) {
        await Promise.all([activities.saveCandidature(etats[i - 1]), activities.saveCandidature(etats[i]), activities.saveCandidature(etats[i - 1])]);
        const row = await lire(id);
        expect(row.version).toBe(etats[i].version);
        expect(row.etape).toBe(etats[i].etape);
        expect(row.evenements.map((e) => e.cle)).toEqual(etats[i].historique.map((_, k) => `${id}#${k}`));
      }
    } finally {
      await fermer();
    }
  });

  it('two domaines of one pupil: one pupil row, two candidatures', async () => {
    const ine = nouvelIne();
    const metallerie = vie(ine)[1];
    const autre = structuredClone(metallerie);
    autre.id = `passpro:creteil-2018:${ine}:maintenance`;
    autre.domaine = { code: 'maintenance', libelle: 'Maintenance des véhicules' };
    await saveCandidature(db, metallerie);
    await saveCandidature(db, autre);
    expect(await db.prisma.eleve.count({ where: { ine } })).toBe(1);
    expect((await db.prisma.candidature.findMany({ where: { ine }, orderBy: { domaine: 'asc' } })).map((c) => c.domaine)).toEqual(['maintenance', 'metallerie']);
  });
});

describe('reminders (saveRappel)', () => {
  let db: TestDatabase;
  const lireVersion = async (id: string) => (await db.prisma.candidature.findUniqueOrThrow({ where: { id } })).version;
  beforeAll(async () => {
    db = await testDatabase();
  }, 60_000);
  afterAll(() => db?.close());

  it('recorded twice: one row per recipient, as first written', async () => {
    const etat = vie(nouvelIne())[3];
    await saveCandidature(db, etat);
    const demande: Rappel = {
      cle: `${etat.id}/escalade_planification`,
      candidatureId: etat.id,
      type: 'escalade_planification',
      destinataires: ['saio', `uai:${LYCEE}`],
      echeance: endOfParisDay('2018-05-11').toISOString(),
      message: "Entretien toujours non planifié à l'approche de la fin des entretiens.",
      creeLe: parisInstant('2018-05-06', '08:00').toISOString(),
    };
    await saveRappel(db.prisma, demande);
    const premiers = await db.prisma.rappel.findMany({ where: { candidatureId: etat.id }, orderBy: { destinataire: 'asc' } });
    await saveRappel(db.prisma, demande);
    // a retry carries the same key; its other fields cannot change the row already there
    await saveRappel(db.prisma, { ...demande, message: 'autre texte', creeLe: parisInstant('2018-05-07', '08:00').toISOString() });
    const rows = await db.prisma.rappel.findMany({ where: { candidatureId: etat.id }, orderBy: { destinataire: 'asc' } });
    expect(rows).toEqual(premiers);
    expect(rows.map((r) => [r.cle, r.destinataire, r.type, r.digestCle])).toEqual([
      [`${etat.id}/escalade_planification/saio`, 'saio', 'escalade_planification', null],
      [`${etat.id}/escalade_planification/uai:${LYCEE}`, `uai:${LYCEE}`, 'escalade_planification', null],
    ]);
    expect(rows[0]).toMatchObject({ echeance: endOfParisDay('2018-05-11'), creeLe: parisInstant('2018-05-06', '08:00'), message: demande.message });
  });

  it('with the state (saveCandidature): recorded whether or not the state is newer, once per key', async () => {
    const etats = vie(nouvelIne());
    const etat = etats[3];
    const demande = (cle: string, destinataires: string[]): Rappel => ({
      cle: `${etat.id}/${cle}`,
      candidatureId: etat.id,
      type: cle,
      destinataires,
      echeance: endOfParisDay('2018-05-11').toISOString(),
      message: 'Entretien à planifier.',
      creeLe: parisInstant('2018-05-06', '08:00').toISOString(),
    });
    await saveCandidature(db, etat, [demande('planification', [`uai:${LYCEE}`])]);
    // The same version again (a reminder that changes nothing in the state), then an older one: still recorded.
    await saveCandidature(db, etat, [demande('planification', [`uai:${LYCEE}`]), demande('escalade_planification', ['saio', `uai:${LYCEE}`])]);
    await saveCandidature(db, etats[1], [demande('affelnet', [`uai:${COLLEGE}`])]);
    const rows = await db.prisma.rappel.findMany({ where: { candidatureId: etat.id }, orderBy: { cle: 'asc' } });
    expect(rows.map((r) => r.cle)).toEqual([
      `${etat.id}/affelnet/uai:${COLLEGE}`,
      `${etat.id}/escalade_planification/saio`,
      `${etat.id}/escalade_planification/uai:${LYCEE}`,
      `${etat.id}/planification/uai:${LYCEE}`,
    ]);
    expect(rows[3]).toMatchObject({ echeance: endOfParisDay('2018-05-11'), creeLe: parisInstant('2018-05-06', '08:00'), message: 'Entretien à planifier.' });
    expect((await lireVersion(etat.id))).toBe(etat.version);
  });

  it('through the activity: a second event is a second row per recipient, a repeated one is not', async () => {
    const etat = vie(nouvelIne())[3];
    await saveCandidature(db, etat);
    const activities = createActivities({ db, mailer: aucunCourriel, publicUrl: 'http://passpro.test', saioEmail: 'saio@ac-creteil.fr' });
    const rappel = (cle: string): Rappel => ({
      cle: `${etat.id}/${cle}`,
      candidatureId: etat.id,
      type: 'avis_origine_veille',
      destinataires: [`uai:${COLLEGE}`],
      echeance: null,
      message: "Entretien demain : l'avis d'origine n'est pas saisi.",
      creeLe: parisInstant('2018-04-09', '08:00').toISOString(),
    });
    await activities.saveRappel(rappel('avis_origine_veille/2018-04-10'));
    await activities.saveRappel(rappel('avis_origine_veille/2018-04-10'));
    await activities.saveRappel(rappel('avis_origine_veille/2018-04-17'));
    await activities.saveRappel(rappel('avis_origine_veille/2018-04-17'));
    const rows = await db.prisma.rappel.findMany({ where: { candidatureId: etat.id }, orderBy: { cle: 'asc' } });
    expect(rows.map((r) => r.cle)).toEqual([
      `${etat.id}/avis_origine_veille/2018-04-10/uai:${COLLEGE}`,
      `${etat.id}/avis_origine_veille/2018-04-17/uai:${COLLEGE}`,
    ]);
  });
});
