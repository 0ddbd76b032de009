/** `faire` on every element, at most `n` at a time, results in the elements' order. */
export async function parLots<T, R>(elements: readonly T[], n: number, faire: (element: T) => Promise<R>): Promise<R[]> {
  const resultats: R[] = [];
  let suivant = 0;
  const file = async () => {
    while (suivant < elements.length) {
      const i = suivant;
      suivant += 1;
      resultats[i] = await faire(elements[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, elements.length) }, file));
  return resultats;
}
