// Where the CPU goes during a benchmark phase: our processes (API, worker, client), the Temporal server and
// PostgreSQL, read from /proc (Linux). Machines are shared: seconds of CPU say more than wall time.
import { etatProcessus, pids } from '../platform/processus';

/** CPU seconds used so far by each process of interest, by pid. */
export type Releve = Map<number, { partie: string; secondes: number }>;

/**
 * A reading of the CPU seconds of the processes named by pid (by default this one, as 'node'), of the
 * Temporal server ('temporal') and of PostgreSQL's processes ('postgresql').
 */
export function releverCpu(nommes: Record<string, number> = { node: process.pid }): Releve {
  const parPid = new Map(Object.entries(nommes).map(([partie, pid]) => [pid, partie]));
  const partieDe = (pid: number, nom: string) => parPid.get(pid) ?? (nom.startsWith('temporal') ? 'temporal' : nom === 'postgres' ? 'postgresql' : null);
  const releve: Releve = new Map();
  for (const pid of pids()) {
    const etat = etatProcessus(pid);
    const partie = etat && partieDe(pid, etat.nom);
    if (partie) releve.set(pid, { partie, secondes: etat.secondesCpu });
  }
  return releve;
}

/** CPU seconds by part between two readings; a process that ended in between is not counted (PostgreSQL backends). */
export function ecartCpu(avant: Releve, apres: Releve): Map<string, number> {
  const ecart = new Map<string, number>();
  for (const [pid, { partie, secondes }] of apres) {
    ecart.set(partie, (ecart.get(partie) ?? 0) + secondes - (avant.get(pid)?.secondes ?? 0));
  }
  return ecart;
}
