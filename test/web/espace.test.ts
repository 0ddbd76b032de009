// The staff's application's frame in a real browser: a person signed in through the provider lands on their
// role's start, and another role's pages answer 403 with a page saying so.
import type { Browser } from 'playwright-core';
import { expectAccessible, launchBrowser, screenshot } from '../support/browser';
import { seConnecter, startEspace, type Espace } from '../support/espace';
import { COLLEGE } from '../support/fixtures';

let espace: Espace;
let browser: Browser;

beforeAll(async () => {
  [espace, browser] = await Promise.all([startEspace('espace'), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await espace?.stop();
});

it('sends a collège head to the collège\'s start, and refuses them the lycée\'s and the SAIO\'s pages', async () => {
  const page = await seConnecter(browser, espace, `chef-${COLLEGE.toLowerCase()}`);
  expect(new URL(page.url()).pathname).toBe('/college/candidatures');
  for (const chemin of ['/lycee/a-traiter', '/saio/tableau-de-bord']) {
    const reponse = await page.goto(`${espace.url}${chemin}`);
    expect([chemin, reponse?.status()]).toEqual([chemin, 403]);
    expect(await page.getByRole('heading', { name: 'Accès refusé' }).count()).toBe(1);
  }
  await expectAccessible(page);
  await screenshot(page, 'acces-refuse');
});
