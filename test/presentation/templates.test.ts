// The per-pupil mails and the digest, rendered by the real renderer from realistic data built with the
// presentation functions, as the activities do: subjects, key facts in both bodies, HTML escaping of user
// text, and the rule that no mail ever asks for a school report or a grade.
import { libelleEtablissement } from '../../presentation/etablissements';
import { createRenderer, type RenderedMail } from '../../presentation/mail';
import { libelleEcheance, presenterEntretien, presenterVoeux, libelleCampagne } from '../../presentation/labels';
import { endOfParisDay, parisInstant } from '../../domain/calendar';
import type { Acteur, CandidatureState, Entretien, Voeu } from '../../domain/candidature';
import { COLLEGE, LYCEE } from '../support/fixtures';

const render = createRenderer();
/** The schools as the activity names them for the mails. */
const ecoles = { origine: libelleEtablissement(COLLEGE), accueil: libelleEtablissement(LYCEE) };
const lien = 'http://passpro.test/dossiers/passpro%3Acreteil-2018%3A123456789AB%3Ametallerie';
const chef: Acteur = { role: 'origine_chef', uai: COLLEGE, nom: 'Mme Principale' };
const lycee: Acteur = { role: 'accueil_chef', uai: LYCEE, nom: 'M. Proviseur' };

function entretien(overrides: Partial<Entretien> = {}): Entretien {
  return {
    date: '2018-04-10',
    heure: '14:00',
    lieu: 'Lycée Jean Macé, atelier B12',
    mode: 'presentiel',
    dureeMinutes: 30,
    derogation: false,
    motifDerogation: null,
    sequence: 1,
    statut: 'planifie',
    planifiePar: lycee,
    ...overrides,
  };
}

function voeu(rang: number, codeFormation: string, libelle: string, avis: Partial<Pick<Voeu, 'avisOrigine' | 'avisAccueil' | 'avisFinal'>> = {}): Voeu {
  return { rang, codeFormation, libelle, ajouteEnEntretien: false, avisOrigine: null, avisAccueil: null, avisFinal: null, bonus: null, ...avis };
}

function etat(overrides: Partial<CandidatureState> = {}): CandidatureState {
  return {
    id: 'passpro:creteil-2018:123456789AB:metallerie',
    campagneId: 'creteil-2018',
    eleve: {
      ine: '123456789AB',
      nom: 'Martin',
      prenom: 'Léa',
      niveau: '3e',
      uaiOrigine: COLLEGE,
      referentNom: 'M. Durand',
      referentEmail: 'pp.durand@ac-creteil.fr',
    },
    domaine: { code: 'metallerie', libelle: 'Métallerie' },
    modalite: 'individuel',
    uaiAccueil: LYCEE,
    etape: 'convoquee',
    etapeDepuis: '2018-04-03T08:00:00.000Z',
    inscritLe: '2018-02-01T10:00:00.000Z',
    voeux: [
      voeu(1, '24025401', '2nde pro métiers des structures métalliques'),
      voeu(2, '50025415', 'CAP serrurier métallier'),
    ],
    entretien: entretien(),
    compteRendu: null,
    ficheRecapitulativeLe: null,
    confirmationFamille: null,
    saisieAffelnet: null,
    bonusAccorde: null,
    echeances: {
      inscription: endOfParisDay('2018-04-13').toISOString(),
      entretiens: endOfParisDay('2018-05-11').toISOString(),
      compteRendu: null,
      ficheRecapitulative: endOfParisDay('2018-05-23').toISOString(),
      affelnet: endOfParisDay('2018-05-23').toISOString(),
      cloture: endOfParisDay('2018-06-30').toISOString(),
    },
    prochaineEcheance: null,
    retards: [],
    evenementsTraites: [],
    historique: [{ type: 'inscription', acteur: chef, survenuLe: '2018-02-01T10:00:00.000Z' }],
    version: 3,
    ...overrides,
  };
}

/** The only sentence allowed to name a school report is the one saying none is asked for. */
function expectNeverAsksForGrades(mail: RenderedMail): void {
  for (const part of [mail.subject, mail.html, mail.text]) {
    const sans = part.replace(/Aucun bulletin scolaire n'est demandé\./g, '');
    expect(sans).not.toMatch(/bulletin/i);
    expect(sans).not.toMatch(/\bnotes?\b|moyenne|relevé/i);
  }
}

/** The visible text of the HTML body, whitespace collapsed, for phrases that span template lines. */
const visible = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');

describe('presentation values', () => {
  it('presents an interview in French', () => {
    expect(presenterEntretien(entretien())).toEqual({
      dateLibelle: 'mardi 10 avril 2018',
      heure: '14:00',
      mode: 'presentiel',
      modeLibelle: 'sur place',
      distanciel: false,
      lieu: 'Lycée Jean Macé, atelier B12',
    });
    expect(presenterEntretien(entretien({ mode: 'distanciel', lieu: 'https://visio.ac-creteil.fr/abc' }))).toMatchObject({
      modeLibelle: 'à distance',
      distanciel: true,
    });
  });

  it('presents the vœux in rank order with avis in words, a dash when missing', () => {
    const avis = (code: string) => ({ avis: code, par: chef, le: '2018-04-05T10:00:00.000Z', enRetard: false });
    const lignes = presenterVoeux([
      voeu(2, '50025415', 'CAP serrurier métallier', { avisOrigine: { ...avis('reserve'), commentaire: 'à confirmer' }, avisAccueil: avis('ne_se_prononce_pas'), avisFinal: 'reserve' }),
      voeu(1, '24025401', '2nde pro métiers des structures métalliques', { avisOrigine: { ...avis('assez_favorable'), commentaire: 'motivée' } }),
    ]);
    expect(lignes).toEqual([
      { rang: 1, codeFormation: '24025401', libelle: '2nde pro métiers des structures métalliques', avisOrigine: 'assez favorable', avisAccueil: '—', avisFinal: '—' },
      { rang: 2, codeFormation: '50025415', libelle: 'CAP serrurier métallier', avisOrigine: 'réservé', avisAccueil: 'ne se prononce pas', avisFinal: 'réservé' },
    ]);
  });

  it('shows a day-end deadline as the day, any other instant with its time', () => {
    expect(libelleEcheance(endOfParisDay('2018-05-11'))).toBe('vendredi 11 mai 2018');
    expect(libelleEcheance(parisInstant('2018-05-09', '14:30'))).toBe('mercredi 9 mai 2018 à 14:30');
  });
});

describe('mail templates', () => {
  it('convocation: service, date, time, mode, place, vœux, what to bring, how to withdraw, the .ics', () => {
    const candidature = etat();
    const mail = render('convocation', {
      candidature,
      ecoles,
      campagne: libelleCampagne(candidature.campagneId),
      entretien: presenterEntretien(candidature.entretien!),
      modification: false,
      lien,
    });
    expect(mail.subject).toBe('Passpro — convocation de Léa Martin : entretien Métallerie le mardi 10 avril 2018 à 14:00');
    for (const body of [mail.text, visible(mail.html)]) {
      expect(body).toContain(`L’établissement d’accueil (${ecoles.accueil}) convoque Léa Martin`);
      expect(body).toContain(`établissement d'origine : ${ecoles.origine}`);
      expect(body).toContain('domaine Métallerie');
      expect(body).toContain('Date : mardi 10 avril 2018');
      expect(body).toContain('Heure : 14:00');
      expect(body).toContain('Mode : sur place');
      expect(body).toContain('Lieu : Lycée Jean Macé, atelier B12');
      expect(body).toContain('2nde pro métiers des structures métalliques (24025401)');
      expect(body).toContain('CAP serrurier métallier (50025415)');
      expect(body).toContain("la fiche de préparation à l'entretien (lettre de motivation ou fiche de préparation)");
      expect(body).toContain("Aucun bulletin scolaire n'est demandé.");
      expect(body).toContain("l'établissement d'origine enregistre son désistement dans Passpro");
      expect(body).toContain("l'établissement d'origine annule l'entretien dans Passpro");
      expect(body).toContain('le créneau est libéré');
      expect(body).toContain('(fichier .ics) est jointe');
      expect(body).not.toContain('remplace la précédente');
    }
    expect(mail.text).toContain(`Voir la candidature dans Passpro : ${lien}`);
    expect(mail.html).toContain(`<a href="${lien}">`);
    expect(mail.html).toContain('<strong>Léa Martin</strong>');
    expect(mail.html).toContain('Passpro Créteil 2018 – entretiens individuels');
    expectNeverAsksForGrades(mail);
  });

  it('convocation modifiée, remote: says it replaces the previous one and gives the connection link', () => {
    const candidature = etat({ entretien: entretien({ mode: 'distanciel', lieu: 'https://visio.ac-creteil.fr/passpro-0940134K', heure: '09:30', sequence: 2 }) });
    const mail = render('convocation', {
      candidature,
      ecoles,
      campagne: candidature.campagneId,
      entretien: presenterEntretien(candidature.entretien!),
      modification: true,
      lien,
    });
    expect(mail.subject).toBe('Passpro — convocation modifiée de Léa Martin : entretien Métallerie le mardi 10 avril 2018 à 09:30');
    for (const body of [mail.text, visible(mail.html)]) {
      expect(body).toMatch(/remplace la précédente/i);
      expect(body).toContain('Mode : à distance');
      expect(body).toContain('Lien ou modalités de connexion : https://visio.ac-creteil.fr/passpro-0940134K');
      expect(body).not.toContain('Lieu :');
    }
    expectNeverAsksForGrades(mail);
  });

  it('escapes user text in HTML but keeps the subject and the plain text as typed', () => {
    const candidature = etat({
      eleve: { ...etat().eleve, nom: "N'Diaye", prenom: 'Aïssata' },
      entretien: entretien({ lieu: 'Salle <b>12</b> & atelier' }),
    });
    const mail = render('convocation', {
      candidature,
      ecoles,
      campagne: candidature.campagneId,
      entretien: presenterEntretien(candidature.entretien!),
      modification: false,
      lien,
    });
    expect(mail.subject).toBe("Passpro — convocation de Aïssata N'Diaye : entretien Métallerie le mardi 10 avril 2018 à 14:00");
    expect(mail.html).toContain('Salle &lt;b&gt;12&lt;/b&gt; &amp; atelier');
    expect(mail.html).not.toContain('<b>12</b>');
    expect(mail.html).toContain('N&#x27;Diaye');
    expect(mail.text).toContain('Lieu : Salle <b>12</b> & atelier');
    expect(mail.text).toContain("Aïssata N'Diaye");
  });

  it('annulation: the interview is cancelled after a désistement, motif escaped, calendar cancellation attached', () => {
    const candidature = etat({ etape: 'desistee' });
    const motif = 'Projet abandonné <script>alert("x")</script>';
    const mail = render('annulation', {
      candidature,
      ecoles,
      campagne: candidature.campagneId,
      entretien: presenterEntretien(candidature.entretien!),
      motif,
      lien,
      desistement: true,
    });
    expect(mail.subject).toBe('Passpro — entretien annulé : Léa Martin, Métallerie, mardi 10 avril 2018 à 14:00');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Projet abandonné &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(mail.text).toContain(`Motif : ${motif}`);
    for (const body of [mail.text, visible(mail.html)]) {
      expect(body).toMatch(/est annulé/i);
      expect(body).toContain('prévu le mardi 10 avril 2018 à 14:00 (sur place, Lycée Jean Macé, atelier B12)');
      expect(body).toContain(`l'établissement d'origine (${ecoles.origine}) a enregistré le désistement`);
      expect(body).toContain('Le créneau est libéré.');
      expect(body).toContain('(fichier .ics) est jointe');
    }
    expectNeverAsksForGrades(mail);
  });

  it('annulation: an interview cancelled alone says that a new convocation follows, not a désistement', () => {
    const candidature = etat({ etape: 'a_planifier', entretien: entretien({ statut: 'annule' }) });
    const mail = render('annulation', { candidature, ecoles, campagne: candidature.campagneId, entretien: presenterEntretien(candidature.entretien!), motif: 'Élève malade', lien, desistement: false });
    for (const body of [mail.text, visible(mail.html)]) {
      expect(body).toMatch(/est annulé/i);
      expect(body).toContain("l'entretien est à planifier de nouveau et une nouvelle convocation suivra");
      expect(body).not.toContain('désistement');
      expect(body).toContain('Motif : Élève malade');
    }
  });

  it('fiche_prete: each vœu with its three avis, hand it over promptly, then family confirmation and AFFELNET', () => {
    const avis = (code: string) => ({ avis: code, par: lycee, le: '2018-04-12T10:00:00.000Z', enRetard: false });
    const candidature = etat({
      etape: 'confirmation_attendue',
      voeux: [
        voeu(1, '24025401', '2nde pro métiers des structures métalliques', {
          avisOrigine: { ...avis('favorable'), commentaire: 'très motivée' },
          avisAccueil: avis('assez_favorable'),
          avisFinal: 'favorable',
        }),
        voeu(2, '50025415', 'CAP serrurier métallier', {
          avisOrigine: { ...avis('favorable'), commentaire: 'très motivée' },
          avisAccueil: avis('favorable'),
          avisFinal: 'tres_favorable',
        }),
        { ...voeu(3, '50025416', 'CAP ferronnier d’art'), ajouteEnEntretien: true, avisAccueil: avis('reserve'), avisFinal: 'incomplet' },
      ],
    });
    const mail = render('fiche_prete', {
      candidature,
      ecoles,
      campagne: candidature.campagneId,
      voeux: presenterVoeux(candidature.voeux),
      echeanceAffelnet: 'mercredi 23 mai 2018',
      lien,
    });
    expect(mail.subject).toBe('Passpro — fiche récapitulative prête : Léa Martin (Métallerie)');
    expect(mail.text).toContain(
      '- 2nde pro métiers des structures métalliques (24025401)\n  avis d\'origine : favorable ; avis d\'accueil : assez favorable ; avis final : favorable',
    );
    expect(mail.text).toContain("- CAP serrurier métallier (50025415)\n  avis d'origine : favorable ; avis d'accueil : favorable ; avis final : très favorable");
    expect(mail.text).toContain("- CAP ferronnier d’art (50025416)\n  avis d'origine : — ; avis d'accueil : réservé ; avis final : incomplet");
    expect(mail.html).toContain(
      '<tr><td>CAP serrurier métallier (50025415)</td><td>favorable</td><td>favorable</td><td><strong>très favorable</strong></td></tr>',
    );
    for (const body of [mail.text, visible(mail.html)]) {
      expect(body).toContain("Merci de la remettre à l'élève et à sa famille dans les meilleurs délais");
      expect(body).toContain("si l'élève et sa famille confirment leur choix, le chef d'établissement d'origine saisit le vœu dans AFFELNET avant le mercredi 23 mai 2018");
      expect(body).toContain('Lorsque la campagne prévoit une bonification');
      // The origin head's comments are not for this mail.
      expect(body).not.toContain('très motivée');
    }
    expectNeverAsksForGrades(mail);
    for (const part of [mail.subject, mail.html, mail.text]) expect(part).not.toMatch(/bulletin/i);
  });

  const rappel = (eleve: string, typeLibelle: string, echeance: string | null, message: string) => ({
    eleve,
    domaine: 'metallerie',
    typeLibelle,
    message,
    echeance,
    lien,
  });

  it('digest: one line per reminder with its deadline and link, plural subject', () => {
    const mail = render('digest', {
      destinataireLibelle: `l'établissement ${LYCEE}`,
      jour: 'lundi 7 mai 2018',
      nombre: 3,
      pluriel: true,
      rappels: [
        rappel('Léa Martin', 'Compte rendu à saisir', 'mercredi 9 mai 2018', 'Compte rendu et avis d\'accueil à saisir dans les 3 jours suivant l\'entretien.'),
        rappel('Tom Petit', 'Entretien à planifier', 'vendredi 11 mai 2018', 'Entretien à planifier : chaque élève inscrit doit être convoqué.'),
        rappel('Inès <Benali>', 'Entretien non planifié (escalade)', null, 'Entretien toujours non planifié.'),
      ],
      lien: 'http://passpro.test',
      campagne: 'creteil-2018',
    });
    expect(mail.subject).toBe('Passpro — 3 candidatures demandent votre attention (lundi 7 mai 2018)');
    expect(mail.text).toContain(`Voici, pour l'établissement ${LYCEE}, les 3 candidatures Passpro qui demandent votre attention ce lundi 7 mai 2018 :`);
    expect(mail.text).toContain(
      `- Léa Martin — metallerie : Compte rendu à saisir (échéance : mercredi 9 mai 2018)\n  Compte rendu et avis d'accueil à saisir dans les 3 jours suivant l'entretien.\n  ${lien}\n`,
    );
    expect(mail.text).toContain('- Tom Petit — metallerie : Entretien à planifier (échéance : vendredi 11 mai 2018)');
    expect(mail.text).toContain('- Inès <Benali> — metallerie : Entretien non planifié (escalade)\n');
    expect(mail.html).toContain('<strong>Inès &lt;Benali&gt;</strong>');
    expect(mail.html.match(/<li /g)).toHaveLength(3);
    expect(mail.html.match(new RegExp(`href="${lien}"`, 'g'))).toHaveLength(3);
    expectNeverAsksForGrades(mail);
  });

  it('digest: singular subject and sentence for one candidature', () => {
    const mail = render('digest', {
      destinataireLibelle: 'le SAIO',
      jour: 'mardi 8 mai 2018',
      nombre: 1,
      pluriel: false,
      rappels: [rappel('Léa Martin', 'Compte rendu en retard (escalade)', 'vendredi 11 mai 2018', 'Délai de 3 jours dépassé.')],
      lien: 'http://passpro.test',
      campagne: 'creteil-2018',
    });
    expect(mail.subject).toBe('Passpro — 1 candidature demande votre attention (mardi 8 mai 2018)');
    expect(mail.text).toContain('Voici, pour le SAIO, la candidature Passpro qui demande votre attention ce mardi 8 mai 2018 :');
    expect(visible(mail.html)).toContain('la candidature Passpro qui demande votre attention');
  });
});
