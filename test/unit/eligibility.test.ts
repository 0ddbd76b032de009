import { checkEligibilite, isNiveau, libelleNiveau, niveaux } from '../../domain/eligibility';

describe('éligibilité', () => {
  it.each(['3e', '3e_segpa', '3e_prepa_metiers', '3e_alternance', 'eana_upe2a_college', 'mlds_college', 'mlds_niveau_v'])(
    '%s est éligible',
    (niveau) => {
      expect(checkEligibilite(niveau)).toEqual({ eligible: true });
    },
  );

  it('refuse la 2nde GT en disant pourquoi', () => {
    const resultat = checkEligibilite('2nde_gt');
    expect(resultat.eligible).toBe(false);
    expect(!resultat.eligible && resultat.raison).toMatch(/2nde GT.*1re/);
  });

  it.each(['2nde_pro', 'cap', '1re', 'terminale'])('refuse tout élève de lycée (%s) depuis 2021', (niveau) => {
    const resultat = checkEligibilite(niveau);
    expect(resultat.eligible).toBe(false);
    expect(!resultat.eligible && resultat.raison).toMatch(/Depuis 2021, les élèves de lycée/);
  });

  it('refuse un niveau inconnu en listant les niveaux admis', () => {
    const resultat = checkEligibilite('4e');
    expect(resultat.eligible).toBe(false);
    expect(!resultat.eligible && resultat.raison).toContain('« 4e » inconnu');
    expect(!resultat.eligible && resultat.raison).toContain('3e_segpa');
    expect(!resultat.eligible && resultat.raison).not.toContain('2nde_gt');
  });

  it('chaque niveau a un code unique et un libellé', () => {
    const codes = niveaux.map((n) => n.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every(isNiveau)).toBe(true);
    expect(isNiveau('4e')).toBe(false);
    expect(libelleNiveau('3e_alternance')).toBe('3e alternance (Dali 93)');
    expect(libelleNiveau('2nde_gt')).toBe('2nde générale et technologique');
  });
});
