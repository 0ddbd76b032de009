// Créneaux on the real stack (dev server, database, SMTP receiver): a series published, pupils placed one by one
// and in bulk, capacity under concurrent placements, a pupil's clash across two lycées, a freed place offered
// again, a changed créneau convoking its pupils again.
import request from 'supertest';
import type { ParsedMail } from 'mailparser';
import { eleve } from '../support/fixtures';
import { libelleEtablissement } from '../../presentation/etablissements';
import { AUTRE_LYCEE, bearer, corpsInscription, eventually, LYCEE, startStack, type Stack } from './harness';

let stack: Stack;

const electricite = { domaine: { code: 'electricite', libelle: 'Électricité' }, voeux: [{ codeFormation: '40025510', libelle: 'CAP électricien' }] };
const autreLycee = { uaiAccueil: AUTRE_LYCEE };

async function inscrire(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await request(stack.app).post('/candidatures').set('authorization', await bearer('origine_chef')).send(corpsInscription(overrides));
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function envoyer(methode: 'post' | 'patch' | 'put' | 'get', chemin: string, corps?: object, role: Parameters<typeof bearer>[0] = 'accueil_chef', autre = false) {
  const req = request(stack.app)[methode](chemin).set('authorization', await bearer(role, { autre }));
  return corps ? req.send(corps) : req;
}

const creneau = (overrides: Record<string, unknown> = {}) => ({
  campagneId: 'creteil-2027',
  domaine: 'metallerie',
  date: '2027-04-13',
  heure: '14:00',
  dureeMinutes: 20,
  lieu: 'Atelier A',
  mode: 'presentiel',
  capacite: 1,
  ...overrides,
});

const etapes = async (ids: string[]) => {
  const lignes = await stack.db.prisma.candidature.findMany({ where: { id: { in: ids } }, select: { id: true, etape: true, entretienDate: true, entretienHeure: true, entretienLieu: true } });
  return new Map(lignes.map((l) => [l.id, l]));
};

const mailsDe = (id: string) => stack.smtp.mails.filter((m) => m.text?.includes(encodeURIComponent(id)) === true && (m.subject ?? '').includes('convocation'));
const ics = (mail: ParsedMail) => mail.attachments[0].content.toString().replace(/\r\n[ \t]/g, '');

beforeAll(async () => {
  stack = await startStack('creneaux');
}, 120_000);
afterAll(async () => stack?.stop());

describe('publishing', () => {
  it('publishes a series: every Monday and Wednesday 14:00–17:00, 20 minutes each, Easter Monday and the weekend skipped', async () => {
    const res = await envoyer('post', '/creneaux/series', {
      campagneId: 'creteil-2027',
      domaine: 'electricite',
      du: '2027-03-22',
      au: '2027-04-02',
      jours: [1, 3, 6],
      debut: '14:00',
      fin: '17:00',
      dureeMinutes: 20,
      lieu: 'Salle E1',
      mode: 'presentiel',
      capacite: 1,
    });
    expect(res.status).toBe(201);
    const creneaux = res.body.creneaux as { date: string; heure: string; uai: string; placesPrises: number }[];
    // 22 and 24 March, 31 March; 29 March is Easter Monday, 27 March a Saturday.
    expect([...new Set(creneaux.map((c) => c.date))]).toEqual(['2027-03-22', '2027-03-24', '2027-03-31']);
    expect(creneaux.filter((c) => c.date === '2027-03-22').map((c) => c.heure)).toEqual(['14:00', '14:20', '14:40', '15:00', '15:20', '15:40', '16:00', '16:20', '16:40']);
    expect(creneaux).toHaveLength(27);
    expect(creneaux.every((c) => c.uai === LYCEE && c.placesPrises === 0)).toBe(true);

    const liste = await envoyer('get', '/creneaux?campagne=creteil-2027&domaine=electricite');
    expect(liste.status).toBe(200);
    expect(liste.body.creneaux).toHaveLength(27);
    // The same series again: nothing is added.
    const encore = await envoyer('post', '/creneaux/series', { campagneId: 'creteil-2027', domaine: 'electricite', du: '2027-03-22', au: '2027-03-22', jours: [1], debut: '14:00', fin: '14:20', dureeMinutes: 20, lieu: 'Salle E1', mode: 'presentiel', capacite: 1 });
    expect(encore.status).toBe(409);
    expect(encore.body.erreur.code).toBe('creneau_existant');
    expect((await envoyer('get', '/creneaux?campagne=creteil-2027&domaine=electricite')).body.creneaux).toHaveLength(27);
  });

  it.each([
    ['a weekend', creneau({ date: '2027-04-10' }), 422, 'creneau_refuse', 'body.date'],
    ['a public holiday', creneau({ date: '2027-05-06' }), 422, 'creneau_refuse', 'body.date'],
    ['after the interviews', creneau({ date: '2027-05-24' }), 422, 'creneau_refuse', 'body.date'],
    ['a malformed time', creneau({ heure: '25:00' }), 400, 'requete_invalide', 'body.heure'],
    ['no capacity', creneau({ capacite: 0 }), 400, 'requete_invalide', 'body.capacite'],
    ['a domaine the lycée does not offer', creneau({ domaine: 'coiffure' }), 422, 'hors_catalogue', 'body.domaine'],
    ['an unknown field', creneau({ salle: 'B' }), 400, 'requete_invalide', 'body.salle'],
  ])('refuses a créneau on %s, naming the field, and records nothing', async (_cas, corps, status, code, champ) => {
    const avant = await stack.db.prisma.creneau.count();
    const res = await envoyer('post', '/creneaux', corps);
    expect(res.status).toBe(status);
    expect(res.body.erreur).toMatchObject({ code, champ });
    expect(await stack.db.prisma.creneau.count()).toBe(avant);
  });

  it('lets only the lycée’s staff and the SAIO publish, the SAIO naming the lycée', async () => {
    expect((await envoyer('post', '/creneaux', creneau(), 'origine_chef')).status).toBe(403);
    expect((await envoyer('post', '/creneaux', creneau({ uai: AUTRE_LYCEE }))).status).toBe(403);
    const saio = await envoyer('post', '/creneaux', creneau(), 'saio');
    expect(saio.status).toBe(400);
    expect(saio.body.erreur.champ).toBe('body.uai');
  });
});

describe('placing', () => {
  it('places 50 candidatures in bulk into 40 places: the first 40 inscribed convoked in time order, 10 waiting', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 50; i += 1) ids.push(await inscrire());
    // Monday to Thursday after Easter, 14:00–17:20: ten créneaux of 20 minutes a day.
    const serie = await envoyer('post', '/creneaux/series', {
      campagneId: 'creteil-2027',
      domaine: 'metallerie',
      du: '2027-04-05',
      au: '2027-04-08',
      jours: [1, 2, 3, 4],
      debut: '14:00',
      fin: '17:20',
      dureeMinutes: 20,
      lieu: 'Atelier B',
      mode: 'presentiel',
      capacite: 1,
    });
    expect(serie.status).toBe(201);
    const creneaux = serie.body.creneaux as { id: number; date: string; heure: string }[];
    expect(creneaux).toHaveLength(40);

    const res = await envoyer('post', '/creneaux/placements', { campagneId: 'creteil-2027', domaine: 'metallerie' });
    expect(res.status).toBe(200);
    expect(res.body.placees).toEqual(ids.slice(0, 40).map((candidatureId, i) => ({ candidatureId, creneauId: creneaux[i].id })));
    expect(res.body.enAttente).toEqual(ids.slice(40).map((candidatureId) => ({ candidatureId, raison: 'aucun créneau libre' })));

    const lignes = await etapes(ids);
    ids.slice(0, 40).forEach((id, i) => expect(lignes.get(id)).toMatchObject({ etape: 'convoquee', entretienDate: creneaux[i].date, entretienHeure: creneaux[i].heure, entretienLieu: 'Atelier B' }));
    ids.slice(40).forEach((id) => expect(lignes.get(id)?.etape).toBe('a_planifier'));
    await stack.smtp.waitFor((m) => ids.slice(0, 40).some((id) => mailsDe(id).includes(m)), 40, 60_000);
    const liste = await envoyer('get', '/creneaux?campagne=creteil-2027&domaine=metallerie');
    expect((liste.body.creneaux as { placesPrises: number; capacite: number }[]).every((c) => c.placesPrises === c.capacite)).toBe(true);

    // Placing again finds no free place and changes nothing.
    const encore = await envoyer('post', '/creneaux/placements', { campagneId: 'creteil-2027', domaine: 'metallerie' });
    expect(encore.body.placees).toEqual([]);
    expect(encore.body.enAttente).toHaveLength(10);
  }, 180_000);

  it('takes 20 concurrent placements into a créneau of capacity 1: exactly one succeeds', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) ids.push(await inscrire(electricite));
    const publie = await envoyer('post', '/creneaux', creneau({ domaine: 'electricite', date: '2027-04-12', heure: '10:00' }));
    expect(publie.status).toBe(201);
    const jeton = await bearer('accueil_chef');
    const reponses = await Promise.all(
      ids.map((candidatureId) => request(stack.app).post(`/creneaux/${publie.body.id}/placements`).set('authorization', jeton).send({ candidatureId })),
    );
    expect(reponses.filter((r) => r.status === 200)).toHaveLength(1);
    const refusees = reponses.filter((r) => r.status !== 200);
    expect(refusees).toHaveLength(19);
    expect(refusees.every((r) => r.status === 409 && r.body.erreur.code === 'creneau_complet')).toBe(true);
    const lignes = await etapes(ids);
    expect([...lignes.values()].filter((l) => l.etape === 'convoquee')).toHaveLength(1);
    const liste = await envoyer('get', '/creneaux?campagne=creteil-2027&domaine=electricite');
    expect((liste.body.creneaux as { id: number; placesPrises: number }[]).find((c) => c.id === publie.body.id)?.placesPrises).toBe(1);
  }, 120_000);

  it('refuses a pupil’s interview that overlaps another at a lycée across the département, naming it', async () => {
    const pupille = eleve();
    const aLycee = await inscrire({ ...electricite, eleve: pupille });
    const aAutre = await inscrire({ ...autreLycee, eleve: pupille });
    const ici = await envoyer('post', '/creneaux', creneau({ domaine: 'electricite', date: '2027-04-13', heure: '14:00' }));
    const laBas = await envoyer('post', '/creneaux', creneau({ date: '2027-04-13', heure: '15:00' }), 'accueil_chef', true);
    const plusTard = await envoyer('post', '/creneaux', creneau({ date: '2027-04-13', heure: '15:30' }), 'accueil_chef', true);
    expect([ici.status, laBas.status, plusTard.status]).toEqual([201, 201, 201]);
    expect((await envoyer('post', `/creneaux/${ici.body.id}/placements`, { candidatureId: aLycee })).status).toBe(200);

    // 14:00–14:20 at the fixtures' lycée, then 60 minutes to travel: 15:00 is too soon.
    const refus = await envoyer('post', `/creneaux/${laBas.body.id}/placements`, { candidatureId: aAutre }, 'accueil_chef', true);
    expect(refus.status).toBe(409);
    expect(refus.body.erreur.code).toBe('chevauchement');
    expect(refus.body.erreur.message).toContain('13 avril 2027 à 14:00');
    expect(refus.body.erreur.message).toContain(libelleEtablissement(LYCEE));
    expect(refus.body.erreur.message).toContain('Électricité');
    expect((await etapes([aAutre])).get(aAutre)?.etape).toBe('a_planifier');
    expect(await stack.db.prisma.placement.count({ where: { candidatureId: aAutre } })).toBe(0);

    expect((await envoyer('post', `/creneaux/${plusTard.body.id}/placements`, { candidatureId: aAutre }, 'accueil_chef', true)).status).toBe(200);
    // Moving a créneau onto a pupil's other interview is refused too, and changes nothing.
    const deplace = await envoyer('patch', `/creneaux/${ici.body.id}`, { heure: '15:00' });
    expect([deplace.status, deplace.body.erreur.code]).toEqual([409, 'chevauchement']);
    expect(deplace.body.erreur.message).toContain('13 avril 2027 à 15:30');
    expect(await stack.db.prisma.creneau.findUnique({ where: { id: BigInt(ici.body.id as number) } })).toMatchObject({ heure: '14:00' });
    // Onto another créneau's time and place: refused as a duplicate.
    const doublon = await envoyer('patch', `/creneaux/${laBas.body.id}`, { heure: '15:30' }, 'accueil_chef', true);
    expect([doublon.status, doublon.body.erreur.code]).toEqual([409, 'creneau_existant']);
    // An interview typed by hand counts too: 14:00 on the 15th at the other lycée, 14:45 here is too soon.
    const autre = eleve();
    const tape = await inscrire({ ...autreLycee, eleve: autre });
    const ici2 = await inscrire({ ...electricite, eleve: autre });
    const planifie = await envoyer('post', `/candidatures/${encodeURIComponent(tape)}/entretien`, { date: '2027-04-15', heure: '14:00', lieu: 'Atelier', mode: 'presentiel' }, 'accueil_chef', true);
    expect(planifie.status).toBe(200);
    const proche = await envoyer('post', '/creneaux', creneau({ domaine: 'electricite', date: '2027-04-15', heure: '14:45' }));
    const refusTape = await envoyer('post', `/creneaux/${proche.body.id}/placements`, { candidatureId: ici2 });
    expect([refusTape.status, refusTape.body.erreur.code]).toEqual([409, 'chevauchement']);
    expect(refusTape.body.erreur.message).toContain('15 avril 2027 à 14:00 (30 min)');
    // Another lycée's créneau or candidature is not found.
    expect((await envoyer('post', `/creneaux/${plusTard.body.id}/placements`, { candidatureId: aAutre })).status).toBe(404);
  }, 60_000);
});

describe('a freed place', () => {
  it('goes to the next candidature waiting when the lycée chose so: its convocation arrives', async () => {
    expect((await envoyer('put', '/creneaux/reglage', { placementAutomatique: true }, 'accueil_chef', true)).status).toBe(200);
    const premiere = await inscrire(autreLycee);
    const suivante = await inscrire(autreLycee);
    const publie = await envoyer('post', '/creneaux', creneau({ date: '2027-04-14', heure: '10:00' }), 'accueil_chef', true);
    expect((await envoyer('post', `/creneaux/${publie.body.id}/placements`, { candidatureId: premiere }, 'accueil_chef', true)).status).toBe(200);

    const desistement = await request(stack.app)
      .post(`/candidatures/${encodeURIComponent(premiere)}/desistement`)
      .set('authorization', await bearer('origine_chef'))
      .send({ motif: 'Entrée en apprentissage' });
    expect(desistement.status).toBe(200);
    const lignes = await eventually(() => etapes([premiere, suivante]), (l) => l.get(suivante)?.etape === 'convoquee');
    expect(lignes.get(premiere)?.etape).toBe('desistee');
    expect(lignes.get(suivante)).toMatchObject({ etape: 'convoquee', entretienDate: '2027-04-14', entretienHeure: '10:00' });
    const [convocation] = await stack.smtp.waitFor((m) => mailsDe(suivante).includes(m));
    expect(ics(convocation)).toContain('SEQUENCE:1');
    const liste = await envoyer('get', '/creneaux?campagne=creteil-2027&domaine=metallerie', undefined, 'accueil_chef', true);
    expect((liste.body.creneaux as { id: number; candidatures: string[] }[]).find((c) => c.id === publie.body.id)?.candidatures).toEqual([suivante]);
  }, 60_000);

  it('is told to the lycée in its digest otherwise, for the earliest candidature waiting', async () => {
    const [convoquee] = await stack.db.prisma.placement.findMany({ where: { creneau: { domaine: 'electricite', date: '2027-04-12' } } });
    const attente = await stack.db.prisma.candidature.findFirst({ where: { uaiAccueil: LYCEE, domaine: 'electricite', etape: 'a_planifier' }, orderBy: { inscritLe: 'asc' } });
    const res = await request(stack.app)
      .post(`/candidatures/${encodeURIComponent(convoquee.candidatureId)}/desistement`)
      .set('authorization', await bearer('origine_chef'))
      .send({ motif: 'Déménagement' });
    expect(res.status).toBe(200);
    const rappels = await stack.db.prisma.rappel.findMany({ where: { type: 'creneau_libere' } });
    expect(rappels).toEqual([expect.objectContaining({ candidatureId: attente!.id, destinataire: `uai:${LYCEE}` })]);
    expect(rappels[0].message).toContain('12 avril 2027 à 10:00');
    expect(await stack.db.prisma.placement.count({ where: { candidatureId: convoquee.candidatureId } })).toBe(0);
  });
});

describe('a changed créneau', () => {
  it('convokes its pupils again, the .ics SEQUENCE increased', async () => {
    const { body } = await envoyer('get', '/creneaux?campagne=creteil-2027&domaine=metallerie');
    const cible = (body.creneaux as { id: number; date: string; candidatures: string[] }[]).find((c) => c.date === '2027-04-05')!;
    const [id] = cible.candidatures;
    const res = await envoyer('patch', `/creneaux/${cible.id}`, { heure: '17:30', lieu: 'Atelier C' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ reconvoquees: [id], refus: [], creneau: { heure: '17:30', lieu: 'Atelier C', placesPrises: 1 } });
    const [modifiee] = await stack.smtp.waitFor((m) => mailsDe(id).includes(m) && (m.subject ?? '').includes('modifiée'));
    const invitation = ics(modifiee);
    expect(invitation).toContain('SEQUENCE:2');
    expect(invitation).toContain('LOCATION:Atelier C');
    expect((await etapes([id])).get(id)).toMatchObject({ etape: 'convoquee', entretienHeure: '17:30', entretienLieu: 'Atelier C' });

    const reduite = await envoyer('patch', `/creneaux/${cible.id}`, { capacite: 1, date: '2027-04-10' });
    expect(reduite.status).toBe(422);
    expect(reduite.body.erreur.champ).toBe('body.date');
  }, 60_000);
});

const annulationsDe = (id: string) => stack.smtp.mails.filter((m) => m.text?.includes(encodeURIComponent(id)) === true && (m.subject ?? '').includes('entretien annulé'));

describe('a cancelled interview', () => {
  it('is booked as long as its créneau; an absence the collège announces frees the place, offered again', async () => {
    const absente = await inscrire(autreLycee);
    const suivante = await inscrire(autreLycee);
    const publie = await envoyer('post', '/creneaux', creneau({ date: '2027-04-20', heure: '10:00', dureeMinutes: 45 }), 'accueil_chef', true);
    expect((await envoyer('post', `/creneaux/${publie.body.id}/placements`, { candidatureId: absente }, 'accueil_chef', true)).status).toBe(200);
    const [convocation] = await stack.smtp.waitFor((m) => mailsDe(absente).includes(m));
    // 10:00–10:45 Paris in summer time: the créneau's length, not a fixed half hour.
    expect(ics(convocation)).toContain('DTSTART:20270420T080000Z');
    expect(ics(convocation)).toContain('DTEND:20270420T084500Z');

    const vide = await request(stack.app).post(`/candidatures/${encodeURIComponent(absente)}/annulation-entretien`).set('authorization', await bearer('origine_personnel')).send({ motif: ' ' });
    expect([vide.status, vide.body.erreur.champ]).toEqual([400, 'body.motif']);
    const res = await request(stack.app)
      .post(`/candidatures/${encodeURIComponent(absente)}/annulation-entretien`)
      .set('authorization', await bearer('origine_personnel'))
      .send({ motif: 'La famille prévient : élève hospitalisé ce jour-là' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ etape: 'a_planifier', entretien: { statut: 'annule', dureeMinutes: 45 } });
    const [annulation] = await stack.smtp.waitFor((m) => annulationsDe(absente).includes(m));
    expect(ics(annulation)).toContain('METHOD:CANCEL');
    expect(ics(annulation)).toContain('SEQUENCE:2');
    expect(annulation.text).toContain('une nouvelle convocation suivra');
    // The lycée places freed places at once (its choice above): the next one waiting gets it, not the absent pupil.
    const lignes = await eventually(() => etapes([absente, suivante]), (l) => l.get(suivante)?.etape === 'convoquee');
    expect(lignes.get(suivante)).toMatchObject({ entretienDate: '2027-04-20', entretienHeure: '10:00' });
    expect(lignes.get(absente)?.etape).toBe('a_planifier');
    expect(await stack.db.prisma.placement.count({ where: { candidatureId: absente } })).toBe(0);
    // Another collège may not, nor a lycée for another's interview.
    expect((await request(stack.app).post(`/candidatures/${encodeURIComponent(suivante)}/annulation-entretien`).set('authorization', await bearer('origine_personnel', { autre: true })).send({ motif: 'x' })).status).toBe(404);
  }, 60_000);

  it('of a cancelled créneau: its pupils moved to the free créneaux, or returned to planification with the cancellation', async () => {
    const eleves = [await inscrire(autreLycee), await inscrire(autreLycee), await inscrire(autreLycee)];
    const annule = await envoyer('post', '/creneaux', creneau({ date: '2027-04-21', heure: '10:00', capacite: 3 }), 'accueil_chef', true);
    for (const id of eleves) expect((await envoyer('post', `/creneaux/${annule.body.id}/placements`, { candidatureId: id }, 'accueil_chef', true)).status).toBe(200);
    const { body: avant } = await envoyer('get', '/creneaux?campagne=creteil-2027&domaine=metallerie', undefined, 'accueil_chef', true);
    const libres = (avant.creneaux as { id: number; annule: boolean; placesPrises: number; capacite: number }[]).filter((c) => !c.annule && c.placesPrises < c.capacite);
    expect(libres.length).toBeLessThan(eleves.length);

    const res = await envoyer('post', `/creneaux/${annule.body.id}/annulation`, { eleves: 'deplacer', motif: 'atelier en travaux' }, 'accueil_chef', true);
    expect(res.status).toBe(200);
    expect(res.body.creneau).toMatchObject({ annule: true, placesPrises: 0 });
    expect(res.body.deplacees.map((d: { creneauId: number }) => d.creneauId)).toEqual(libres.map((c) => c.id));
    const remises = eleves.slice(libres.length);
    expect(res.body.aPlanifier).toEqual(remises.map((candidatureId) => ({ candidatureId, raison: 'aucun créneau libre' })));
    const lignes = await etapes(eleves);
    for (const { candidatureId } of res.body.deplacees as { candidatureId: string }[]) expect(lignes.get(candidatureId)?.etape).toBe('convoquee');
    for (const id of remises) expect(lignes.get(id)?.etape).toBe('a_planifier');
    const [annulation] = await stack.smtp.waitFor((m) => annulationsDe(remises[0]).includes(m));
    expect(annulation.text).toContain('atelier en travaux');
    expect(ics(annulation)).toContain('METHOD:CANCEL');
    // The default returns them to planification; a cancelled créneau takes nobody.
    const autre = await envoyer('post', '/creneaux', creneau({ date: '2027-04-22', heure: '10:00' }), 'accueil_chef', true);
    expect((await envoyer('post', `/creneaux/${autre.body.id}/placements`, { candidatureId: remises[0] }, 'accueil_chef', true)).status).toBe(200);
    const defaut = await envoyer('post', `/creneaux/${autre.body.id}/annulation`, undefined, 'accueil_chef', true);
    expect(defaut.body).toMatchObject({ deplacees: [], aPlanifier: [{ candidatureId: remises[0] }] });
    expect((await etapes([remises[0]])).get(remises[0])?.etape).toBe('a_planifier');
    const refus = await envoyer('post', `/creneaux/${autre.body.id}/placements`, { candidatureId: remises[0] }, 'accueil_chef', true);
    expect([refus.status, refus.body.erreur.code]).toEqual([409, 'creneau_complet']);
    const mauvais = await envoyer('post', `/creneaux/${autre.body.id}/annulation`, { eleves: 'oublier' }, 'accueil_chef', true);
    expect([mauvais.status, mauvais.body.erreur.champ]).toEqual([400, 'body.eleves']);
  }, 90_000);
});

describe('statistics', () => {
  it('gives the SAIO, per lycée and domaine, the créneaux and places offered and taken, and the candidatures waiting', async () => {
    expect((await envoyer('get', '/creneaux/statistiques?campagne=creteil-2027')).status).toBe(403);
    const res = await envoyer('get', '/creneaux/statistiques?campagne=creteil-2027', undefined, 'saio');
    expect(res.status).toBe(200);
    const metallerie = (res.body.lycees as { uai: string; domaine: string }[]).find((l) => l.uai === LYCEE && l.domaine === 'metallerie');
    expect(metallerie).toEqual({ uai: LYCEE, domaine: 'metallerie', domaineLibelle: 'Métallerie', creneaux: 40, places: 40, placesPrises: 40, candidaturesEnAttente: 10 });
  });
});

describe('calendar feeds', () => {
  it('gives each school its interviews at a secret URL, pupils by initials; a new URL revokes the old', async () => {
    const abonnement = await envoyer('post', '/calendriers/abonnement');
    expect(abonnement.status).toBe(201);
    const chemin = new URL(abonnement.body.url as string).pathname;
    expect(chemin).toMatch(/^\/calendriers\/[A-Za-z0-9_-]{43}\.ics$/);
    const flux = await request(stack.app).get(chemin);
    expect(flux.status).toBe(200);
    expect(flux.headers['content-type']).toContain('text/calendar');
    const texte = flux.text.replace(/\r\n[ \t]/g, '');
    expect(texte).toContain('METHOD:PUBLISH');
    const { body } = await envoyer('get', '/creneaux?campagne=creteil-2027&domaine=metallerie');
    const place = (body.creneaux as { date: string; heure: string; candidatures: string[] }[]).find((c) => c.date === '2027-04-06' && c.heure === '14:00')!;
    // The créneau's 20 minutes, 14:00 Paris in summer time.
    const evenement = texte.split('BEGIN:VEVENT').find((e) => e.includes(`UID:${place.candidatures[0]}@passpro`))!;
    expect(evenement).toContain('DTSTART:20270406T120000Z');
    expect(evenement).toContain('DTEND:20270406T122000Z');
    expect(evenement).toContain('SUMMARY:Entretien Passpro — Métallerie — L. M.');
    expect(texte).not.toContain('Martin');
    // The collège's feed holds its pupils' interviews, at every lycée.
    const college = await envoyer('post', '/calendriers/abonnement', undefined, 'origine_personnel');
    const fluxCollege = await request(stack.app).get(new URL(college.body.url as string).pathname);
    expect(fluxCollege.text.split('BEGIN:VEVENT').length).toBeGreaterThan(40);

    const nouvel = await envoyer('post', '/calendriers/abonnement');
    expect((await request(stack.app).get(chemin)).status).toBe(404);
    expect((await request(stack.app).get(new URL(nouvel.body.url as string).pathname)).status).toBe(200);
    expect((await request(stack.app).get('/calendriers/inconnu.ics')).status).toBe(404);
    expect((await request(stack.app).post('/calendriers/abonnement')).status).toBe(401);
    expect((await envoyer('post', '/calendriers/abonnement', undefined, 'saio')).status).toBe(403);
  });
});
