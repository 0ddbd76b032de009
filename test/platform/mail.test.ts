// Mail activity against a real database and a real SMTP receiver: rendering, recipients, the outbox
// (one mail per event, whatever the retries) and an outage (the activity fails, a retry delivers once).
import { createActivities } from '../../activities';
import { createSmtpMailer, type Mailer } from '../../platform/smtp';
import type { CandidatureState } from '../../domain/candidature';
import { testDatabase, type TestDatabase } from '../support/db';
import { campagneEn, candidatureInput, chefOrigine, LYCEE } from '../support/fixtures';
import { recipients, startSmtpReceiver, type SmtpReceiver } from '../support/smtp';

function stateOf(): CandidatureState {
  const input = candidatureInput(campagneEn('creteil-2018', 2027));
  return {
    id: `passpro:${input.campagne.id}:${input.eleve.ine}:metallerie`,
    campagneId: input.campagne.id,
    eleve: input.eleve,
    domaine: input.domaine,
    modalite: input.modalite,
    uaiAccueil: input.uaiAccueil,
    etape: 'desistee',
    etapeDepuis: '2027-03-01T10:00:00.000Z',
    inscritLe: '2027-02-01T10:00:00.000Z',
    voeux: input.voeux.map((v, i) => ({ ...v, rang: i + 1, ajouteEnEntretien: false, avisOrigine: null, avisAccueil: null, avisFinal: null, bonus: null })),
    entretien: null,
    compteRendu: null,
    ficheRecapitulativeLe: null,
    confirmationFamille: null,
    saisieAffelnet: null,
    bonusAccorde: null,
    echeances: {
      inscription: '2027-04-13T21:59:59.999Z',
      entretiens: '2027-05-11T21:59:59.999Z',
      compteRendu: null,
      ficheRecapitulative: '2027-05-23T21:59:59.999Z',
      affelnet: '2027-05-23T21:59:59.999Z',
      cloture: '2027-06-30T21:59:59.999Z',
    },
    prochaineEcheance: null,
    retards: [],
    evenementsTraites: [],
    historique: [{ type: 'inscription', acteur: chefOrigine, survenuLe: '2027-02-01T10:00:00.000Z' }],
    version: 1,
  };
}

const desistement = (state: CandidatureState, motif: string) => ({
  cle: `${state.id}/desistement`,
  gabarit: 'desistement' as const,
  candidature: state,
  destinataires: { etablissements: [LYCEE] },
  motif,
});

describe('e-mail activity', () => {
  let db: TestDatabase;
  let smtp: SmtpReceiver;
  let mailer: Mailer;
  let activities: ReturnType<typeof createActivities>;

  beforeAll(async () => {
    db = await testDatabase();
    smtp = await startSmtpReceiver();
    mailer = createSmtpMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'Passpro <passpro@ac-creteil.fr>' });
    activities = createActivities({ db, mailer, publicUrl: 'http://passpro.test', saioEmail: 'saio@ac-creteil.fr' });
  });
  afterAll(async () => {
    mailer.close();
    await smtp.stop();
    await db.close();
  });

  it('renders the désistement notice in French, HTML and text, to the lycée mailbox', async () => {
    const state = stateOf();
    await activities.saveCandidature(state);
    await activities.sendCourriel({ ...desistement(state, 'projet abandonné'), destinataires: { etablissements: [LYCEE], saio: true } });
    const [mail] = await smtp.waitFor((m) => m.text?.includes('projet abandonné') === true);
    expect(mail.subject).toBe('Passpro — désistement de Léa Martin (Métallerie)');
    expect(recipients(mail)).toEqual([`ce.${LYCEE.toLowerCase()}@ac-creteil.fr`, 'saio@ac-creteil.fr']);
    expect(mail.text).toContain('CAP serrurier métallier (50025415)');
    expect(mail.html).toContain('<strong>Léa Martin</strong>');
    expect(mail.text).toContain(`http://passpro.test/dossiers/${encodeURIComponent(state.id)}`);
    const row = await db.prisma.courriel.findUniqueOrThrow({ where: { cle: `${state.id}/desistement` } });
    expect(row.envoyeLe).not.toBeNull();
  });

  it('sends one mail per event even when the activity runs again', async () => {
    const state = stateOf();
    await activities.saveCandidature(state);
    const demande = desistement(state, 'une fois');
    await activities.sendCourriel(demande);
    await activities.sendCourriel(demande);
    await activities.sendCourriel(demande);
    await smtp.waitFor((m) => m.text?.includes(encodeURIComponent(state.id)) === true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.mails.filter((m) => m.text?.includes(encodeURIComponent(state.id)))).toHaveLength(1);
  });

  it('fails while SMTP refuses, then delivers exactly once on retry', async () => {
    const state = stateOf();
    await activities.saveCandidature(state);
    const demande = desistement(state, 'panne');
    smtp.setDown(true);
    await expect(activities.sendCourriel(demande)).rejects.toThrow();
    const failed = await db.prisma.courriel.findUniqueOrThrow({ where: { cle: demande.cle } });
    expect(failed.envoyeLe).toBeNull();
    expect(failed.derniereErreur).toMatch(/451/);
    smtp.setDown(false);
    await activities.sendCourriel(demande);
    await smtp.waitFor((m) => m.text?.includes(encodeURIComponent(state.id)) === true);
    expect(smtp.mails.filter((m) => m.text?.includes(encodeURIComponent(state.id)))).toHaveLength(1);
  });
});
