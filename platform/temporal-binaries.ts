// Where the Temporal CLI (dev server) and the time-skipping test server are: installed by
// scripts/install-temporal.sh into .cache/temporal/bin, or given by TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './paths';

function resolveBinary(envVar: string, name: string): string {
  const candidate = process.env[envVar] ?? path.join(projectRoot, '.cache', 'temporal', 'bin', name);
  if (!existsSync(candidate)) {
    throw new Error(`${name} not found at ${candidate}: run \`bash scripts/install-temporal.sh\` or set ${envVar}`);
  }
  return candidate;
}

export const temporalCliPath = () => resolveBinary('TEMPORAL_CLI_PATH', 'temporal');
export const temporalTestServerPath = () => resolveBinary('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server');
