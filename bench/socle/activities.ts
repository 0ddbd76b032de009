// The baseline's only activity: an empty body, so that what remains is Temporal's own cost.
export const activitesSocle = {
  async vide(): Promise<void> {},
};

export type ActivitesSocle = typeof activitesSocle;
