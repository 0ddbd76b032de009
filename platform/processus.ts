// Child processes of the launcher and of the benchmarks' stack, and what Linux says of any process.
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** SIGTERM, then SIGKILL if the child is still there after `delaiMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess, delaiMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), delaiMs);
  await exited;
  clearTimeout(timer);
}

const TICKS_PAR_SECONDE = 100;

/** The pids of the running processes (Linux /proc; none elsewhere). */
export function pids(): number[] {
  try {
    return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return [];
  }
}

/** A process's name, parent and CPU seconds so far, from /proc/<pid>/stat; undefined once it has ended. */
export function etatProcessus(pid: number): { nom: string; parent: number; secondesCpu: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The name is in parentheses and may hold spaces; the fields after it are counted from its end:
  // ppid is the 4th field, utime and stime the 14th and 15th.
  const champs = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    nom: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    parent: Number(champs[1]),
    secondesCpu: (Number(champs[11]) + Number(champs[12])) / TICKS_PAR_SECONDE,
  };
}
