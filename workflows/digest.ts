// The daily digest: reminders and escalations are recorded per candidature as they fall due, and mailed
// once a day as one digest per recipient (a collège, a lycée, the SAIO). One such workflow runs per
// namespace; it continues as new every few weeks to keep its history short.
import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { addDays, parisDateOf, parisInstant } from '../domain/calendar';

const { sendDigests } = proxyActivities<Activities>({
  // A whole académie's digests in one call: generous, and a retry resends nothing already sent (outbox).
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export const DIGEST_WORKFLOW_ID = 'passpro:digest-quotidien';

export interface DigestInput {
  /** Paris wall time at which the day's digest leaves. */
  heure: string;
  /** Digests sent before continuing as new. */
  joursParExecution?: number;
}

/** The next `heure` Paris time strictly after `instant`. */
export function prochainEnvoi(instant: Date, heure: string): Date {
  const aujourdhui = parisInstant(parisDateOf(instant), heure);
  return aujourdhui.getTime() > instant.getTime() ? aujourdhui : parisInstant(addDays(parisDateOf(instant), 1), heure);
}

export async function digestQuotidienWorkflow({ heure, joursParExecution = 30 }: DigestInput): Promise<void> {
  for (let jour = 0; jour < joursParExecution; jour += 1) {
    const envoi = prochainEnvoi(new Date(), heure);
    await sleep(envoi.getTime() - Date.now());
    await sendDigests({ jour: parisDateOf(envoi), maintenant: envoi.toISOString() });
  }
  await continueAsNew<typeof digestQuotidienWorkflow>({ heure, joursParExecution });
}
