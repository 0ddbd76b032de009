import { avisFinalCodes, type AvisFinal } from '../../domain/avis';
import { CampagneInvalideError, campagneSchema, parseCampagne, type Campagne } from '../../domain/campaign';
import { calculerBonus, isAvisAdmis } from '../../domain/campaign-rules';
import creteil2018 from '../../domain/campaigns/creteil-2018.json';

type Json = Record<string, unknown> & typeof creteil2018;

/** A copy of a valid campagne with one change: each test breaks exactly one thing. */
function variante(modifier: (c: Json) => void): Json {
  const copie = structuredClone(creteil2018) as Json;
  modifier(copie);
  return copie;
}

function problemes(json: unknown): string[] {
  try {
    parseCampagne(json);
  } catch (error) {
    expect(error).toBeInstanceOf(CampagneInvalideError);
    return (error as CampagneInvalideError).problemes;
  }
  throw new Error('la campagne aurait dû être refusée');
}

describe('parseCampagne', () => {
  it('accepte une campagne valide et la rend typée', () => {
    const campagne = parseCampagne(creteil2018);
    expect(campagne.id).toBe('creteil-2018');
    expect(campagne.matrice.cellules).toHaveLength(9);
    expect(campagneSchema.safeParse(creteil2018).success).toBe(true);
  });

  it('refuse une matrice à laquelle il manque une cellule, en nommant la paire', () => {
    const json = variante((c) => {
      c.matrice.cellules = c.matrice.cellules.filter((x) => !(x.origine === 'reserve' && x.accueil === 'assez_favorable'));
    });
    expect(problemes(json)).toEqual([
      "matrice.cellules : aucune cellule pour l'avis d'origine « reserve » et l'avis d'accueil « assez_favorable » : une seule attendue",
    ]);
  });

  it('refuse deux cellules pour la même paire', () => {
    const json = variante((c) => {
      c.matrice.cellules.push({ origine: 'favorable', accueil: 'favorable', final: 'favorable' });
    });
    expect(problemes(json)).toEqual([
      "matrice.cellules : 2 cellules pour l'avis d'origine « favorable » et l'avis d'accueil « favorable » : une seule attendue",
    ]);
  });

  it('refuse une cellule hors des échelles de la campagne', () => {
    const json = variante((c) => {
      c.avisAccueil = ['favorable', 'reserve'];
    });
    expect(problemes(json)).toEqual([
      "matrice.cellules.1.accueil : l'avis d'accueil « assez_favorable » n'est pas dans l'échelle avisAccueil",
      "matrice.cellules.3.accueil : l'avis d'accueil « assez_favorable » n'est pas dans l'échelle avisAccueil",
      "matrice.cellules.7.accueil : l'avis d'accueil « assez_favorable » n'est pas dans l'échelle avisAccueil",
    ]);
  });

  it.each([
    ['matrice.cellules.0.final', (c: Json) => (c.matrice.cellules[0].final = 'excellent')],
    ['matrice.cellules.0.origine', (c: Json) => (c.matrice.cellules[0].origine = 'ne_se_prononce_pas')],
    ['matrice.cellules.0.accueil', (c: Json) => (c.matrice.cellules[0].accueil = 'ne_se_prononce_pas')],
    ['avisOrigine.1', (c: Json) => (c.avisOrigine[1] = 'Assez favorable')],
  ])("refuse un code d'avis inconnu en %s", (chemin, casser) => {
    const [probleme, ...autres] = problemes(variante(casser));
    expect(probleme).toMatch(new RegExp(`^${chemin.replace(/\./g, '\\.')} : code d'avis inconnu « .+ » \\(attendu : `));
    expect(autres).toEqual([]);
  });

  it.each([
    ['finInscriptions', 'ouvertureInscriptions', (c: Json) => (c.calendrier.finInscriptions = '2018-01-29')],
    ['finEntretiens', 'finInscriptions', (c: Json) => (c.calendrier.finEntretiens = '2018-04-12')],
    ['finFicheRecapitulative', 'finEntretiens', (c: Json) => (c.calendrier.finFicheRecapitulative = '2018-05-10')],
    ['finAffelnet', 'ouvertureAffelnet', (c: Json) => (c.calendrier.finAffelnet = '2018-05-06')],
  ])('refuse %s avant %s', (champ, precedent, casser) => {
    const [probleme, ...autres] = problemes(variante(casser));
    expect(probleme).toMatch(new RegExp(`^calendrier\\.${champ} : ${champ} \\(\\d{4}-\\d\\d-\\d\\d\\) ne peut précéder ${precedent} \\(`));
    expect(autres).toEqual([]);
  });

  it('refuse une clôture avant la fin de la fiche récapitulative et la fin d’AFFELNET', () => {
    expect(problemes(variante((c) => (c.calendrier.cloture = '2018-05-22')))).toEqual([
      'calendrier.cloture : cloture (2018-05-22) ne peut précéder finFicheRecapitulative (2018-05-23)',
      'calendrier.cloture : cloture (2018-05-22) ne peut précéder finAffelnet (2018-05-23)',
    ]);
  });

  it('accepte deux dates égales (dates inclusives)', () => {
    expect(() => parseCampagne(variante((c) => (c.calendrier.finEntretiens = c.calendrier.finInscriptions)))).not.toThrow();
  });

  it.each([
    ['calendrier.cloture', 'date attendue au format AAAA-MM-JJ', (c: Json) => (c.calendrier.cloture = '30/06/2018')],
    ['calendrier.finAffelnet', 'date attendue au format AAAA-MM-JJ', (c: Json) => (c.calendrier.finAffelnet = '2018-02-30')],
    ['delais.heureRappels', 'heure attendue au format HH:MM', (c: Json) => (c.delais.heureRappels = '8h')],
    ['id', 'identifiant attendu de la forme academie-annee', (c: Json) => (c.id = 'Créteil 2018')],
  ])('refuse un format invalide en %s', (chemin, message, casser) => {
    expect(problemes(variante(casser))).toEqual([`${chemin} : ${message}${chemin === 'id' ? ', ex. creteil-2018' : ''}`]);
  });

  it('nomme en français un champ manquant', () => {
    const [probleme] = problemes(variante((c) => delete (c as Partial<Json>).delais));
    expect(probleme).toMatch(/^delais : Entrée invalide/);
  });

  it('refuse un champ inconnu (faute de frappe dans le JSON)', () => {
    const [probleme] = problemes(variante((c) => (c.calendrier = { ...c.calendrier, finInscription: '2018-04-13' } as Json['calendrier'])));
    expect(probleme).toMatch(/^calendrier : .*finInscription/);
  });

  it('refuse des délais incohérents', () => {
    expect(problemes(variante((c) => (c.delais.rappelCompteRenduJours = 4)))).toEqual([
      'delais.rappelCompteRenduJours : le rappel du compte rendu doit tomber au plus tard le dernier jour du délai',
    ]);
    expect(problemes(variante((c) => (c.delais.escaladePlanificationJoursAvant = 11)))).toEqual([
      "delais.escaladePlanificationJoursAvant : l'escalade au SAIO doit suivre le rappel au lycée, non le précéder",
    ]);
    expect(problemes(variante((c) => (c.delais.compteRenduJours = 2.5)))[0]).toMatch(/^delais\.compteRenduJours : /);
  });

  it('refuse un avis en double dans une échelle', () => {
    expect(problemes(variante((c) => c.avisOrigine.push('favorable')))).toEqual([
      "avisOrigine : l'avis « favorable » figure plusieurs fois dans l'échelle",
    ]);
  });

  it('refuse un barème de bonus qui oublie un avis final', () => {
    const [probleme, ...autres] = problemes(
      variante((c) => {
        const { incomplet: _oublie, ...points } = c.bonus.points;
        c.bonus = { ...c.bonus, points } as Json['bonus'];
      }),
    );
    expect(probleme).toMatch(/^bonus\.points\.incomplet : /);
    expect(autres).toEqual([]);
  });

  it('liste tous les problèmes à la fois, dans le message aussi', () => {
    const json = variante((c) => {
      c.calendrier.finInscriptions = '2018-01-01';
      c.matrice.cellules.pop();
    });
    expect(() => parseCampagne(json)).toThrow(/^campagne invalide : calendrier\.finInscriptions : .+ ; matrice\.cellules : aucune cellule/);
  });

  it("refuse ce qui n'est pas un objet", () => {
    expect(problemes(null)).toEqual([expect.stringMatching(/^campagne : /)]);
  });
});

describe('calculerBonus', () => {
  const avec = (bonus: unknown): Campagne => parseCampagne(variante((c) => (c.bonus = bonus as Json['bonus'])));

  const parAvis = avec({
    type: 'avis_final',
    points: { tres_favorable: 30, favorable: 20, assez_favorable: 10, peu_favorable: 5, reserve: 1, incomplet: 0 },
  });
  const siFavorable = avec({ type: 'points_si_favorable', points: 2500, avisFinal: ['tres_favorable', 'favorable'] });
  const aucun = avec({ type: 'aucun' });

  it.each([
    ['tres_favorable', 30, 2500],
    ['favorable', 20, 2500],
    ['assez_favorable', 10, 0],
    ['peu_favorable', 5, 0],
    ['reserve', 1, 0],
    ['incomplet', 0, 0],
  ] as [AvisFinal, number, number][])('%s confirmé à temps : %d points au barème par avis, %d si favorable, 0 sans bonus', (avis, parAvisAttendu, siFavorableAttendu) => {
    expect(calculerBonus(parAvis, avis, true)).toBe(parAvisAttendu);
    expect(calculerBonus(siFavorable, avis, true)).toBe(siFavorableAttendu);
    expect(calculerBonus(aucun, avis, true)).toBe(0);
  });

  it.each(avisFinalCodes)('%s sans confirmation avant l’échéance : aucun bonus', (avis) => {
    expect(calculerBonus(parAvis, avis, false)).toBe(0);
    expect(calculerBonus(siFavorable, avis, false)).toBe(0);
  });
});

describe('isAvisAdmis', () => {
  const campagne = parseCampagne(variante((c) => (c.avisAccueil = ['favorable', 'assez_favorable', 'reserve'])));

  it.each([
    ['origine', 'favorable', true],
    ['origine', 'ne_se_prononce_pas', false],
    ['accueil', 'reserve', true],
    ['accueil', 'ne_se_prononce_pas', false],
    ['accueil', 'inconnu', false],
  ] as const)('%s « %s » : %s', (cote, code, attendu) => {
    expect(isAvisAdmis(campagne, cote, code)).toBe(attendu);
  });
});
