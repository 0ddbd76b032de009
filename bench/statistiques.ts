// Order statistics of the benchmarks' samples.

/** The value below which `c` % of the samples fall (nearest rank). */
export function centile(valeurs: number[], c: number): number {
  const triees = [...valeurs].sort((a, b) => a - b);
  return triees[Math.min(triees.length - 1, Math.floor((triees.length * c) / 100))];
}

export const mediane = (valeurs: number[]) => centile(valeurs, 50);
