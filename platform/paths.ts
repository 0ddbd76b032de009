import { existsSync } from 'node:fs';
import path from 'node:path';

/** The folder holding package.json, whether running from sources (tsx, jest) or from dist/. */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findRoot(__dirname);
export const migrationsDir = path.join(projectRoot, 'prisma', 'migrations');
export const templatesDir = path.join(projectRoot, 'templates');
