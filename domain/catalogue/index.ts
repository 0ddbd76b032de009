// The shipped catalogue, validated when first imported: a data bug stops whatever imports it at start-up.
// The seed and the generator read the file themselves, so that they can name it in their messages.
import { parseCatalogue } from '../catalogue';
import json from './catalogue.json';

export const catalogue = parseCatalogue(json);
