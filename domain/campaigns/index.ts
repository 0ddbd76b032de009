// The shipped campagnes, validated when first imported: a data bug stops the worker and the API at start-up.
import { parseCampagne, type Campagne } from '../campaign';
import creteil2018 from './creteil-2018.json';
import creteil2021 from './creteil-2021.json';
import creteil2027 from './creteil-2027.json';
import paris2023 from './paris-2023.json';

export const campagnes: Record<string, Campagne> = Object.fromEntries(
  [creteil2018, creteil2021, creteil2027, paris2023].map((json) => {
    const campagne = parseCampagne(json);
    return [campagne.id, campagne];
  }),
);
