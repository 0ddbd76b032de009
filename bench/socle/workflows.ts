// The baseline of `npm run bench:lifecycle`: Temporal's floor for a workflow shaped like a candidature, with
// nothing of ours in it. Same skeleton as workflows/candidature.ts — updates whose handler bumps a version
// then awaits its activities, a main loop waiting on a timer that every change cancels and re-arms, mails
// sent from the loop — but no state, no rules, no search attributes, and activities with empty bodies.
import { allHandlersFinished, condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ActivitesSocle } from './activities';

/** One staff action as the baseline mirrors it: how many activities its handler awaits, how many mails it queues. */
export interface EtapeSocle {
  activites: number;
  courriels: number;
  /** The action that ends the candidature. */
  derniere: boolean;
}

export const etapeSocleUpdate = defineUpdate<number, [EtapeSocle]>('etapeSocle');

const { vide } = proxyActivities<ActivitesSocle>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * `minuteries`: how many times the main loop waits with a timer. The candidature's loop does not re-arm one
 * after every change (it may be sending a mail, or handle a consequence already due): the benchmark passes
 * the mean number of timers of its candidatures' histories.
 */
export async function socleWorkflow(minuteries: number): Promise<number> {
  let version = 0;
  let courriels = 0;
  let terminee = false;

  setHandler(etapeSocleUpdate, async (etape) => {
    version += 1;
    terminee = etape.derniere;
    for (let i = 0; i < etape.activites; i += 1) await vide();
    courriels += etape.courriels;
    return version;
  });

  // As the candidature's first write: at start, unless an update came with the start (it writes itself).
  if (version === 0) await vide();
  for (let restantes = minuteries; !terminee; ) {
    const avant = version;
    const change = () => version !== avant || courriels > 0;
    // The candidature's next dated consequence is weeks away: the timer never fires, as in the lifecycle run.
    if (restantes > 0) {
      restantes -= 1;
      await condition(change, '30 days');
    } else {
      await condition(change);
    }
    for (; courriels > 0; courriels -= 1) await vide();
  }
  await condition(allHandlersFinished);
  for (; courriels > 0; courriels -= 1) await vide();
  return version;
}
