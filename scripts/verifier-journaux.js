// After the whole suite (`.ci/run`): no INE and no pupil's name of the tests' fixtures in anything the suite
// printed (the tests' output, the worker's and the API's logs). Names are read from the tests' sources
// (`nom: '…', prenom` and `prenom: '…'`), INEs by their shape (9 digits and 2 letters, as the fixtures draw them).
// `node scripts/verifier-journaux.js <log>`: exit 1, with the lines found, if any.
const { readFileSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

const fichier = process.argv[2];
if (!fichier) {
  console.error('usage : node scripts/verifier-journaux.js <journal de la suite>');
  process.exit(2);
}

function sources(dossier) {
  return readdirSync(dossier).flatMap((nom) => {
    const chemin = path.join(dossier, nom);
    return statSync(chemin).isDirectory() ? sources(chemin) : chemin.endsWith('.ts') ? [chemin] : [];
  });
}

const noms = new Set();
for (const source of sources(path.join(__dirname, '..', 'test'))) {
  const texte = readFileSync(source, 'utf8');
  for (const [, nom] of texte.matchAll(/\bnom: '([^'\\]{3,})', prenom/g)) noms.add(nom);
  for (const [, prenom] of texte.matchAll(/\bprenom: '([^'\\]{3,})'/g)) noms.add(prenom);
}
const ine = /\b[0-9]{9}[A-Z]{2}\b/;
const trouvees = readFileSync(fichier, 'utf8')
  .split('\n')
  .filter((ligne) => ine.test(ligne) || [...noms].some((nom) => ligne.includes(nom)));
if (trouvees.length > 0) {
  console.error(`verifier-journaux : ${trouvees.length} ligne(s) de la suite nomment un élève :`);
  for (const ligne of trouvees.slice(0, 20)) console.error(`  ${ligne.slice(0, 300)}`);
  process.exit(1);
}
console.log(`verifier-journaux : aucun INE ni aucun des ${noms.size} noms d'élèves des tests dans ${fichier}`);
