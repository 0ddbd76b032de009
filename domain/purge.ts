// What a purge of personal data counts (RGPD): shared by its activities, its workflow and the SAIO's pages.

/** The rows that name a campaign's pupils, by table. */
export interface LignesPurge {
  candidatures: number;
  eleves: number;
  voeux: number;
  evenements: number;
  rappels: number;
  courriels: number;
  incidents: number;
  /** Places held in the lycées' créneaux. */
  placements: number;
}

/** What a campaign's purge would delete (its dry run), and how many candidatures still stop it. */
export interface BilanPurge extends LignesPurge {
  campagne: string;
  /** Not yet closed or withdrawn: while there is one, the campaign is not purged. */
  ouvertes: number;
  /** Reads of its candidatures in the access journal, which stay until the journal's own retention. */
  lecturesAuJournal: number;
}

/** What a batch (and, summed, a purge) deleted. */
export interface ComptesPurge extends LignesPurge {
  /** Candidature workflows deleted from Temporal, and those its namespace retention had already removed. */
  historiquesSupprimes: number;
  historiquesDejaEffaces: number;
}

export const comptesVides = (): ComptesPurge => ({
  candidatures: 0,
  eleves: 0,
  voeux: 0,
  evenements: 0,
  rappels: 0,
  courriels: 0,
  incidents: 0,
  placements: 0,
  historiquesSupprimes: 0,
  historiquesDejaEffaces: 0,
});
