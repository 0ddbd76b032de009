// What the API answers 503 for (try again) rather than 500: Temporal's calls that may succeed if made again.
import { ServiceError } from '@temporalio/client';
import { estPassagere } from '../../api/candidatures';

const grpc = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });

describe('a Temporal call that may succeed if made again', () => {
  it('is the server unreachable or too slow, or an update refused while the workflow task fails', () => {
    expect(estPassagere(new ServiceError('Failed to start Workflow', { cause: grpc(14, 'UNAVAILABLE: No connection established') }))).toBe(true);
    expect(estPassagere(grpc(4, 'DEADLINE_EXCEEDED: Deadline exceeded'))).toBe(true);
    const refus = new Error('Unable to perform workflow execution update due to Workflow Task in failed state.', { cause: grpc(9, 'FAILED_PRECONDITION: Update-with-Start could not be executed.') });
    expect(estPassagere(refus)).toBe(true);
  });

  it('is not any other failure', () => {
    expect(estPassagere(grpc(9, 'FAILED_PRECONDITION: Workflow is paused. Cannot update the workflow.'))).toBe(false);
    expect(estPassagere(grpc(3, 'INVALID_ARGUMENT: WorkflowId length exceeds limit.'))).toBe(false);
    expect(estPassagere(new Error('erreur'))).toBe(false);
    expect(estPassagere('texte')).toBe(false);
  });
});
