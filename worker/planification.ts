// The Schedules of Passpro, created by the worker's start (runtime/app.ts), idempotently: an existing one is
// kept as it is. They show in the Temporal UI under "Schedules".
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { PURGES_WORKFLOW_ID, purgesWorkflow } from '../workflows/purge';

export const PURGE_SCHEDULE_ID = 'passpro-purge-rgpd';

/** Every night at 03:00 Paris, away from the staff's day and the 08:00 reminders; one run at a time. */
export async function planifierPurges(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: PURGE_SCHEDULE_ID,
      spec: { calendars: [{ hour: 3, minute: 0 }], timezone: 'Europe/Paris' },
      action: { type: 'startWorkflow', workflowType: purgesWorkflow, workflowId: PURGES_WORKFLOW_ID, taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: { objet: 'Purge RGPD : campagnes dont la durée de conservation est écoulée, journal des accès au-delà de la sienne' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
