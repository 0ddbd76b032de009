// Child processes of the launcher and of the benchmarks' stack.
import type { ChildProcess } from 'node:child_process';

/** SIGTERM, then SIGKILL if the child is still there after `delaiMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess, delaiMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), delaiMs);
  await exited;
  clearTimeout(timer);
}
