// Recording what SMTP accepted, so that a retried activity does not send it twice.
/**
 * Once SMTP has accepted a mail, recording it is what keeps a retry from sending it again: through a
 * database outage the record is retried here, within the activity's minute (workflows/candidature.ts, workflows/digest.ts).
 * Only an outage longer than that, falling between the two, can double a mail: at least once wins.
 */
const ENREGISTREMENT_ENVOI_MS = 45_000;

export async function noterEnvoi(enregistrer: () => Promise<unknown>): Promise<void> {
  const limite = Date.now() + ENREGISTREMENT_ENVOI_MS;
  for (;;) {
    try {
      await enregistrer();
      return;
    } catch (error) {
      if (Date.now() > limite) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
