// The daily digest against a real database and a real SMTP receiver: one mail per recipient listing its
// reminders, nothing sent twice whatever the retries, an outage and a crash after delivery survived, and a
// reminder that comes after the day's digest going out the next day.
import { libelleEtablissement } from '../../presentation/etablissements';
import type { ParsedMail } from 'mailparser';
import { sendDigests, libelleTypeRappel, messageIdDigest, type DigestDeps } from '../../activities/digest';
import { createSmtpMailer, type Mailer } from '../../platform/smtp';
import { endOfParisDay, parisInstant } from '../../domain/calendar';
import { testDatabase, type TestDatabase } from '../support/db';
import { COLLEGE, LYCEE } from '../support/fixtures';
import { recipients, startSmtpReceiver, type SmtpReceiver } from '../support/smtp';

const PUBLIC_URL = 'http://passpro.test';
const SAIO = 'saio@ac-creteil.fr';
const BOITE_LYCEE = `ce.${LYCEE.toLowerCase()}@ac-creteil.fr`;
const BOITE_COLLEGE = `ce.${COLLEGE.toLowerCase()}@ac-creteil.fr`;
const LUNDI = '2018-05-07';
const MARDI = '2018-05-08';

const LEA = 'passpro:creteil-2018:123456789AB:metallerie';
const TOM = 'passpro:creteil-2018:987654321CD:metallerie';
const lien = (id: string) => `${PUBLIC_URL}/dossiers/${encodeURIComponent(id)}`;

describe('daily digest', () => {
  let db: TestDatabase;
  let smtp: SmtpReceiver;
  let mailer: Mailer;
  let deps: DigestDeps;
  let sequence = 0;

  async function candidature(id: string, ine: string, prenom: string, nom: string): Promise<void> {
    await db.prisma.eleve.create({
      data: { ine, nom, prenom, niveau: '3e', uaiOrigine: COLLEGE, referentNom: 'M. Durand', referentEmail: 'pp.durand@ac-creteil.fr' },
    });
    await db.prisma.candidature.create({
      data: {
        id,
        campagneId: 'creteil-2018',
        ine,
        domaine: 'metallerie',
        modalite: 'individuel',
        uaiOrigine: COLLEGE,
        uaiAccueil: LYCEE,
        etape: 'convoquee',
        etapeDepuis: new Date('2018-04-03T08:00:00Z'),
        version: 1,
      },
    });
  }

  async function rappel(candidatureId: string, type: string, destinataire: string, creeLe: Date, echeance: Date | null, message: string) {
    sequence += 1;
    return db.prisma.rappel.create({
      data: { cle: `${candidatureId}/${type}/${destinataire}/${sequence}`, candidatureId, type, destinataire, creeLe, echeance, message },
    });
  }

  /** The reminders of a usual morning: three for the lycée (two pupils), one escalation for the SAIO. */
  async function matinee(): Promise<void> {
    const huitHeures = parisInstant(LUNDI, '08:00');
    await rappel(LEA, 'planification', `uai:${LYCEE}`, huitHeures, endOfParisDay('2018-05-11'), 'Entretien à planifier : chaque élève inscrit doit être convoqué.');
    await rappel(TOM, 'compte_rendu', `uai:${LYCEE}`, huitHeures, endOfParisDay('2018-05-09'), "Compte rendu et avis d'accueil à saisir dans les 3 jours suivant l'entretien.");
    await rappel(TOM, 'escalade_planification', `uai:${LYCEE}`, huitHeures, null, 'Entretien toujours non planifié.');
    await rappel(TOM, 'escalade_compte_rendu', 'saio', huitHeures, endOfParisDay('2018-05-09'), 'Délai de 3 jours dépassé : compte rendu et avis d’accueil toujours attendus.');
  }

  const pour = (adresse: string) => smtp.mails.filter((m) => recipients(m).includes(adresse));

  /** Lets any mail still on the wire arrive before counting. */
  const calme = () => new Promise((resolve) => setTimeout(resolve, 200));

  beforeAll(async () => {
    db = await testDatabase();
    smtp = await startSmtpReceiver();
    mailer = createSmtpMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'Passpro <passpro@ac-creteil.fr>' });
    deps = { db, mailer, publicUrl: PUBLIC_URL, saioEmail: SAIO };
    await candidature(LEA, '123456789AB', 'Léa', 'Martin');
    await candidature(TOM, '987654321CD', 'Tom', 'Petit');
  });
  afterAll(async () => {
    mailer.close();
    await smtp.stop();
    await db.close();
  });
  beforeEach(async () => {
    smtp.setDown(false);
    await db.prisma.rappel.deleteMany({});
    await db.prisma.courriel.deleteMany({});
    smtp.mails.length = 0;
  });

  it('sends exactly one mail per recipient listing its reminders, then nothing more', async () => {
    await matinee();
    // Recorded after the run's clock: it waits for a later run.
    await rappel(LEA, 'compte_rendu', `uai:${LYCEE}`, parisInstant(LUNDI, '09:00'), null, 'Plus tard.');

    await expect(sendDigests(deps, LUNDI, parisInstant(LUNDI, '08:05'))).resolves.toEqual({ digests: 2, rappels: 4 });
    await calme();
    expect(smtp.mails).toHaveLength(2);

    const [lycee] = pour(BOITE_LYCEE);
    expect(recipients(lycee)).toEqual([BOITE_LYCEE]);
    expect(lycee.subject).toBe('Passpro — 2 candidatures demandent votre attention (lundi 7 mai 2018)');
    expect(lycee.messageId).toBe(`<digest.${LUNDI}.uai-${LYCEE}@passpro>`);
    const texte = lycee.text ?? '';
    expect(texte).toContain(`Voici, pour l'établissement ${libelleEtablissement(LYCEE)}, les 2 candidatures Passpro qui demandent votre attention ce lundi 7 mai 2018 :`);
    expect(texte).toContain(
      `- Tom Petit — metallerie : Compte rendu à saisir (échéance : mercredi 9 mai 2018)\n  Compte rendu et avis d'accueil à saisir dans les 3 jours suivant l'entretien.\n  ${lien(TOM)}\n`,
    );
    expect(texte).toContain(`- Léa Martin — metallerie : Entretien à planifier (échéance : vendredi 11 mai 2018)\n`);
    expect(texte).toContain(`- Tom Petit — metallerie : Entretien non planifié (escalade)\n  Entretien toujours non planifié.\n  ${lien(TOM)}`);
    // Most urgent first; a reminder without a deadline last.
    expect(texte.indexOf('Compte rendu à saisir')).toBeLessThan(texte.indexOf('Entretien à planifier'));
    expect(texte.indexOf('Entretien à planifier')).toBeLessThan(texte.indexOf('(escalade)'));
    expect(texte).not.toContain('Plus tard.');
    expect(lycee.html).toContain(`<a href="${lien(LEA)}">`);

    const [saio] = pour(SAIO);
    expect(recipients(saio)).toEqual([SAIO]);
    expect(saio.subject).toBe('Passpro — 1 candidature demande votre attention (lundi 7 mai 2018)');
    expect(saio.messageId).toBe(`<digest.${LUNDI}.saio@passpro>`);
    expect(saio.text).toContain('Voici, pour le SAIO, la candidature Passpro qui demande votre attention ce lundi 7 mai 2018 :');
    expect(saio.text).toContain('- Tom Petit — metallerie : Compte rendu en retard (escalade) (échéance : mercredi 9 mai 2018)');

    const courriels = await db.prisma.courriel.findMany({ orderBy: { cle: 'asc' } });
    expect(courriels.map((c) => [c.cle, c.gabarit, c.destinataires, c.sujet, c.envoyeLe !== null, c.messageId])).toEqual([
      [`digest/${LUNDI}/saio`, 'digest', [SAIO], saio.subject, true, `<digest.${LUNDI}.saio@passpro>`],
      [`digest/${LUNDI}/uai:${LYCEE}`, 'digest', [BOITE_LYCEE], lycee.subject, true, `<digest.${LUNDI}.uai-${LYCEE}@passpro>`],
    ]);
    const rappels = await db.prisma.rappel.findMany({ orderBy: { id: 'asc' } });
    expect(rappels.map((r) => r.digestCle)).toEqual([
      `digest/${LUNDI}/uai:${LYCEE}`,
      `digest/${LUNDI}/uai:${LYCEE}`,
      `digest/${LUNDI}/uai:${LYCEE}`,
      `digest/${LUNDI}/saio`,
      null,
    ]);
    expect(rappels[0].digestLe).toEqual(parisInstant(LUNDI, '08:05'));

    await expect(sendDigests(deps, LUNDI, parisInstant(LUNDI, '08:05'))).resolves.toEqual({ digests: 0, rappels: 0 });
    await calme();
    expect(smtp.mails).toHaveLength(2);
  });

  it('fails while SMTP refuses, marking nothing sent, then delivers one mail each, never two', async () => {
    await matinee();
    smtp.setDown(true);
    await expect(sendDigests(deps, LUNDI, parisInstant(LUNDI, '08:05'))).rejects.toThrow(/451/);
    await expect(sendDigests(deps, LUNDI, parisInstant(LUNDI, '08:10'))).rejects.toThrow(/451/);
    const echecs = await db.prisma.courriel.findMany();
    expect(echecs).toHaveLength(2);
    for (const c of echecs) {
      expect(c.envoyeLe).toBeNull();
      expect(c.derniereErreur).toMatch(/451/);
      expect(c.tentatives).toBe(2);
    }
    expect(smtp.mails).toHaveLength(0);

    smtp.setDown(false);
    await expect(sendDigests(deps, LUNDI, parisInstant(LUNDI, '08:15'))).resolves.toEqual({ digests: 2, rappels: 4 });
    await expect(sendDigests(deps, LUNDI, parisInstant(LUNDI, '08:20'))).resolves.toEqual({ digests: 0, rappels: 0 });
    await calme();
    expect(pour(BOITE_LYCEE)).toHaveLength(1);
    expect(pour(SAIO)).toHaveLength(1);
    expect(smtp.mails).toHaveLength(2);
    const envoyes = await db.prisma.courriel.findMany();
    for (const c of envoyes) {
      expect(c.envoyeLe).not.toBeNull();
      expect(c.derniereErreur).toBeNull();
    }
  });

  it('sends a reminder recorded after the day’s digest in the next day’s digest', async () => {
    await matinee();
    await sendDigests(deps, LUNDI, parisInstant(LUNDI, '08:05'));
    const tardif = await rappel(LEA, 'compte_rendu', `uai:${LYCEE}`, parisInstant(LUNDI, '15:00'), endOfParisDay('2018-05-10'), 'Compte rendu attendu.');

    // A run later the same day sends nothing: the lycée already had its digest today.
    await expect(sendDigests(deps, LUNDI, parisInstant(LUNDI, '18:00'))).resolves.toEqual({ digests: 0, rappels: 0 });
    expect((await db.prisma.rappel.findUniqueOrThrow({ where: { id: tardif.id } })).digestCle).toBeNull();

    await expect(sendDigests(deps, MARDI, parisInstant(MARDI, '08:05'))).resolves.toEqual({ digests: 1, rappels: 1 });
    await calme();
    const mails = pour(BOITE_LYCEE);
    expect(mails).toHaveLength(2);
    const mardi = mails.find((m) => m.messageId === `<digest.${MARDI}.uai-${LYCEE}@passpro>`) as ParsedMail;
    expect(mardi.subject).toBe('Passpro — 1 candidature demande votre attention (mardi 8 mai 2018)');
    expect(mardi.text).toContain('- Léa Martin — metallerie : Compte rendu à saisir (échéance : jeudi 10 mai 2018)');
    expect(mardi.text).not.toContain('Entretien à planifier');
    expect(pour(SAIO)).toHaveLength(1);
    expect((await db.prisma.rappel.findUniqueOrThrow({ where: { id: tardif.id } })).digestCle).toBe(`digest/${MARDI}/uai:${LYCEE}`);
  });

  it('resends the same content under the same Message-ID after a crash between delivery and the mark', async () => {
    await matinee();
    // The relay accepted the mail, then the worker died before recording it.
    const crash: Mailer = {
      async send(mail) {
        await mailer.send(mail);
        throw new Error('worker arrêté après la remise au relais');
      },
      close: () => undefined,
    };
    await expect(sendDigests({ ...deps, mailer: crash }, LUNDI, parisInstant(LUNDI, '08:05'))).rejects.toThrow(/arrêté/);
    // Recorded between the crash and the retry: the digest already went out once, so it waits for tomorrow.
    await rappel(LEA, 'compte_rendu', `uai:${LYCEE}`, parisInstant(LUNDI, '08:07'), null, 'Arrivé entre-temps.');

    await expect(sendDigests(deps, LUNDI, parisInstant(LUNDI, '08:10'))).resolves.toEqual({ digests: 2, rappels: 4 });
    await calme();
    const [premier, second] = pour(BOITE_LYCEE);
    expect(pour(BOITE_LYCEE)).toHaveLength(2);
    expect(second.messageId).toBe(premier.messageId);
    expect(second.subject).toBe(premier.subject);
    expect(second.text).toBe(premier.text);
    expect(second.text).not.toContain('Arrivé entre-temps.');

    await expect(sendDigests(deps, MARDI, parisInstant(MARDI, '08:05'))).resolves.toEqual({ digests: 1, rappels: 1 });
    await calme();
    expect(pour(BOITE_LYCEE).at(-1)?.text).toContain('Arrivé entre-temps.');
  });

  it('delivers on a later day a digest an earlier run assigned but could not send', async () => {
    await matinee();
    smtp.setDown(true);
    await expect(sendDigests(deps, LUNDI, parisInstant(LUNDI, '08:05'))).rejects.toThrow();
    smtp.setDown(false);
    await rappel(LEA, 'planification', 'saio', parisInstant(MARDI, '08:00'), null, 'Escalade du mardi.');

    await expect(sendDigests(deps, MARDI, parisInstant(MARDI, '08:05'))).resolves.toEqual({ digests: 3, rappels: 5 });
    await calme();
    expect(pour(BOITE_LYCEE).map((m) => m.subject)).toEqual(['Passpro — 2 candidatures demandent votre attention (lundi 7 mai 2018)']);
    expect(pour(SAIO).map((m) => m.messageId).sort()).toEqual([`<digest.${LUNDI}.saio@passpro>`, `<digest.${MARDI}.saio@passpro>`]);
  });

  it('labels a qualified reminder type, keeps the interview time, and writes to the collège mailbox', async () => {
    await rappel(LEA, 'avis_origine_veille/2018-05-08', `uai:${COLLEGE}`, parisInstant(LUNDI, '08:00'), parisInstant(MARDI, '14:00'), "Entretien demain : l'avis d'origine n'est pas saisi.");
    await expect(sendDigests(deps, LUNDI, parisInstant(LUNDI, '08:05'))).resolves.toEqual({ digests: 1, rappels: 1 });
    const [mail] = await smtp.waitFor((m) => recipients(m).includes(BOITE_COLLEGE));
    expect(mail.text).toContain(
      `- Léa Martin — metallerie : Avis d'origine manquant, entretien demain (échéance : mardi 8 mai 2018 à 14:00)\n  Entretien demain : l'avis d'origine n'est pas saisi.`,
    );
    expect(mail.html).toContain('Passpro Créteil 2018 – entretiens individuels');
  });

  it('still sends the other digests when one recipient is unknown, then reports it', async () => {
    await matinee();
    await rappel(LEA, 'planification', 'rectorat', parisInstant(LUNDI, '08:00'), null, 'Destinataire inconnu.');
    await expect(sendDigests(deps, LUNDI, parisInstant(LUNDI, '08:05'))).rejects.toThrow(/destinataire de rappel inconnu « rectorat »/);
    await calme();
    expect(pour(BOITE_LYCEE)).toHaveLength(1);
    expect(pour(SAIO)).toHaveLength(1);
  });

  it('labels every reminder type in French', () => {
    expect(libelleTypeRappel('avis_origine_manquant')).toBe("Avis d'origine à saisir");
    expect(libelleTypeRappel('affelnet')).toBe('Confirmation AFFELNET à faire');
    expect(libelleTypeRappel('affelnet_echu')).toBe('Échéance AFFELNET passée sans confirmation');
    expect(libelleTypeRappel('rappel_inedit')).toBe('Rappel');
    expect(messageIdDigest(LUNDI, `uai:${LYCEE}`)).toBe(`<digest.${LUNDI}.uai-${LYCEE}@passpro>`);
  });
});
