// Where the CPU goes during a benchmark phase: our processes (API, worker, client), the Temporal server and
// PostgreSQL, read from /proc (Linux). Machines are shared: seconds of CPU say more than wall time.
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds used so far by each process of interest, by pid. */
export type Releve = Map<number, { partie: string; secondes: number }>;

const TICKS_PAR_SECONDE = 100;

/**
 * A reading of the CPU seconds of the processes named by pid (by default this one, as 'node'), of the
 * Temporal server ('temporal') and of PostgreSQL's processes ('postgresql').
 */
export function releverCpu(nommes: Record<string, number> = { node: process.pid }): Releve {
  const parPid = new Map(Object.entries(nommes).map(([partie, pid]) => [pid, partie]));
  const partieDe = (pid: number, nom: string) => parPid.get(pid) ?? (nom.startsWith('temporal') ? 'temporal' : nom === 'postgres' ? 'postgresql' : null);
  const releve: Releve = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const partie = partieDe(pid, stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
    if (!partie) continue;
    // utime and stime, fields 14 and 15 of /proc/<pid>/stat (11 and 12 counted after the name)
    const champs = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    releve.set(pid, { partie, secondes: (Number(champs[11]) + Number(champs[12])) / TICKS_PAR_SECONDE });
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
