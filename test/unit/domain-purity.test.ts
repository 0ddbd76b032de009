// domain/ is bundled into Temporal workflows: it must stay deterministic and free of Node and I/O.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const racine = join(__dirname, '../../domain');

function fichiersTs(dossier: string): string[] {
  return readdirSync(dossier, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? fichiersTs(join(dossier, e.name)) : e.name.endsWith('.ts') ? [join(dossier, e.name)] : [],
  );
}

const fichiers = fichiersTs(racine).map((f) => [relative(racine, f), readFileSync(f, 'utf8')] as const);

describe('domain/ reste pur et déterministe', () => {
  it('trouve les fichiers du domaine', () => {
    expect(fichiers.map(([nom]) => nom)).toEqual(expect.arrayContaining(['calendar.ts', 'campaign.ts', 'campaigns/index.ts']));
  });

  it.each([
    ['Date.now()', /Date\.now\s*\(/],
    ['new Date() sans argument', /new Date\s*\(\s*\)/],
    ['Math.random', /Math\.random/],
    ['Intl', /\bIntl\./],
    ['process', /\bprocess\./],
    ['require', /\brequire\s*\(/],
    ['import dynamique', /\bimport\s*\(/],
  ])("n'utilise pas %s", (_nom, motif) => {
    expect(fichiers.filter(([, source]) => motif.test(source)).map(([nom]) => nom)).toEqual([]);
  });

  it("n'importe que des modules du domaine, et zod dans campaign.ts et catalogue.ts seulement", () => {
    const horsDomaine = (nom: string, module: string) =>
      module.startsWith('.')
        ? relative(racine, join(racine, dirname(nom), module)).startsWith('..')
        : !(module === 'zod' && ['campaign.ts', 'catalogue.ts'].includes(nom));
    const interdits = fichiers.flatMap(([nom, source]) =>
      [...source.matchAll(/\bfrom\s+'([^']+)'/g)].map((m) => m[1]).filter((module) => horsDomaine(nom, module)).map((module) => `${nom} → ${module}`),
    );
    expect(interdits).toEqual([]);
  });
});
