// What reaches a log line: URLs without INEs, database errors without the row's values (real Prisma and
// PostgreSQL errors on the test database), and the worker's activity failures likewise.
import { ApplicationFailure } from '@temporalio/common';
import { descriptionErreur, fluxMasque, masquerDonnees, masquerUrl } from '../../platform/masquage';
import { activiteSansDonnees, journalWorker } from '../../worker';
import { testDatabase, type TestDatabase } from '../support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => db?.close());

const eleve = { ine: '123456789AB', nom: 'Zorglubian', prenom: 'Léonore', niveau: '3e', uaiOrigine: '0931234L', referentNom: 'M. Referentissime', referentEmail: 'pp.referent@ac-creteil.fr' };
const personnel = [eleve.ine, eleve.nom, eleve.prenom, eleve.referentNom, eleve.referentEmail];

async function erreurDe(appel: () => Promise<unknown>): Promise<unknown> {
  try {
    await appel();
  } catch (error) {
    return error;
  }
  throw new Error("l'appel devait échouer");
}

const sansDonnees = (texte: string) => expect(personnel.filter((valeur) => texte.includes(valeur))).toEqual([]);

describe('URLs', () => {
  it.each([
    '/eleves/123456789AB/fiche?campagne=creteil-2027&format=pdf',
    '/candidatures/passpro%3Acreteil-2027%3A123456789AB%3Ametallerie/fiche',
    '/candidatures/passpro:creteil-2027:123456789AB:metallerie',
    '/candidatures?campagne=creteil-2027&ine=1234567890A',
    '/eleves/123456789ab/fiche',
  ])('have their INEs masked: %s', (url) => {
    const masquee = masquerUrl(url);
    expect(masquee).not.toMatch(/123456789AB|1234567890A/i);
    expect(masquee).toContain('***');
  });

  it('keep what is not an INE (UAI, campaign, domaine, a malformed escape)', () => {
    expect(masquerUrl('/candidatures?uaiAccueil=0940134K&campagne=creteil-2027&domaine=metallerie')).toBe('/candidatures?uaiAccueil=0940134K&campagne=creteil-2027&domaine=metallerie');
    expect(masquerUrl('/candidatures/%E0%A4%A')).toBe('/candidatures/%E0%A4%A');
  });

  it('mask e-mail addresses in text', () => {
    expect(masquerDonnees('550 5.1.1 <pp.referent@ac-creteil.fr>: Recipient address rejected')).toBe('550 5.1.1 <***>: Recipient address rejected');
  });
});

describe("the servers' logs of the embedded stack", () => {
  it('are masked line by line, a line cut across chunks included', async () => {
    const flux = fluxMasque();
    const sortie: string[] = [];
    flux.on('data', (morceau: Buffer) => sortie.push(morceau.toString()));
    const fini = new Promise((resolve) => flux.on('end', resolve));
    flux.write('level=WARN msg="history size" wf-id=passpro:creteil-2027:1234');
    flux.write('56789AB:metallerie\nmail to pp.referent@ac-creteil.fr\nfin sans retour');
    flux.end();
    await fini;
    expect(sortie.join('')).toBe('level=WARN msg="history size" wf-id=passpro:creteil-2027:***:metallerie\nmail to ***\nfin sans retour');
  });
});

describe('database errors', () => {
  beforeAll(async () => {
    await db.prisma.eleve.create({ data: eleve });
  });

  it('are told by their code and constraint: a unique constraint through Prisma', async () => {
    const texte = descriptionErreur(await erreurDe(() => db.prisma.eleve.create({ data: eleve })));
    expect(texte).toBe('PrismaClientKnownRequestError (code=P2002, modele=Eleve, postgres=23505, type=UniqueConstraintViolation, champs=ine)');
  });

  it("without the call's arguments: a Prisma validation error", async () => {
    const erreur = await erreurDe(() => db.prisma.eleve.create({ data: { ...eleve, inconnu: 1 } as never }));
    expect(String((erreur as Error).message)).toContain(eleve.nom);
    const texte = descriptionErreur(erreur);
    sansDonnees(texte);
    expect(texte).toBe('PrismaClientValidationError (sans code)');
  });

  it("without the values of a raw statement's row", async () => {
    const brute = await erreurDe(() => db.prisma.$executeRawUnsafe('INSERT INTO "Eleve" (ine, nom) VALUES ($1, $2)', eleve.ine, eleve.nom));
    sansDonnees(descriptionErreur(brute));
    const preparee = await erreurDe(() => db.preparee('test_masquage', 'INSERT INTO "Eleve" (ine, nom, prenom) VALUES ($1, $2, $3)', [eleve.ine, eleve.nom, eleve.prenom]));
    const texte = descriptionErreur(preparee);
    sansDonnees(texte);
    expect(texte).toMatch(/postgres=\d{5}/);
  });

  it('in an activity failure, which the worker logs and the history keeps', async () => {
    const erreur = await erreurDe(() => db.prisma.eleve.create({ data: { ...eleve, inconnu: 1 } as never }));
    const echec = await erreurDe(() => activiteSansDonnees.execute!({ args: [], headers: {} }, async () => Promise.reject(erreur)));
    expect(echec).toBeInstanceOf(ApplicationFailure);
    expect(echec).toMatchObject({ type: 'PrismaClientValidationError', nonRetryable: false });
    sansDonnees(`${(echec as Error).message}\n${(echec as Error).stack}`);
  });

  it("in the SDK's own log lines, which name the workflow and carry the error", async () => {
    const erreur = await erreurDe(() => db.prisma.eleve.create({ data: { ...eleve, inconnu: 1 } as never }));
    const ecrit: string[] = [];
    const espion = jest.spyOn(process.stderr, 'write').mockImplementation((morceau) => ecrit.push(String(morceau)) > 0);
    try {
      journalWorker.warn('Activity failed', { workflowId: `passpro:creteil-2027:${eleve.ine}:metallerie`, activityType: 'enregistrerEtat', error: erreur });
    } finally {
      espion.mockRestore();
    }
    expect(ecrit).toHaveLength(1);
    expect(ecrit[0]).toMatch(/\[WARN\] Activity failed .*passpro:creteil-2027:\*\*\*:metallerie.*PrismaClientValidationError/s);
    sansDonnees(ecrit[0]);
  });

  it('others keep their kind, with INEs and e-mails masked', async () => {
    const smtp = new Error(`Can't send mail - all recipients were rejected: 550 <${eleve.referentEmail}> for ${eleve.ine}`);
    const echec = await erreurDe(() => activiteSansDonnees.execute!({ args: [], headers: {} }, async () => Promise.reject(smtp)));
    expect(echec).toBe(smtp);
    sansDonnees(`${smtp.message}\n${smtp.stack}`);
  });
});
