// Browser tests: Debian's Chromium (scripts/install-chromium.sh) driven by playwright-core, headless, one
// browser per test file and a context of its own per page (its own cookies: one signed-in person each). Every
// page is watched for what a reader would miss (a script error, a file that does not load, a CSP refusal),
// checked with axe-core on the WCAG tags that the RGAA covers, and photographed into test-artifacts/.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AxeResults, Result, RunOptions } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from '../../platform/paths';

export const CHROMIUM = '/usr/bin/chromium';

/** The flags of a quiet, reproducible headless Chromium: nothing fetched in the background, no first-run UI. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export const screenshotsDir = path.join(projectRoot, 'test-artifacts', 'screenshots');

/**
 * Chromium headless. playwright-core gives it a fresh profile (`--user-data-dir` in a temporary folder it
 * removes on close); it refuses that flag from us, and `launchPersistentContext` would share one context.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, uncaught exceptions, requests that failed or answered 4xx/5xx, CSP refusals. */
  problems: string[];
}

/** A page in a context of its own, in French, at a desktop width by default (375 for a phone). */
export async function openPage(browser: Browser, { width = 1280, height = 900 } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`échec: ${r.method()} ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return { page, context, problems };
}

/** The WCAG levels that the RGAA's automatable criteria follow. */
export const RGAA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core run inside the page on the RGAA tags, injected once per document. Evaluated through the DevTools
 * protocol, which the page's CSP does not govern: `addScriptTag` adds an inline script, which it refuses.
 */
export async function runAxe(page: Page): Promise<AxeResults> {
  const present = await page.evaluate(() => 'axe' in globalThis);
  if (!present) await page.evaluate(axeSource);
  const options: RunOptions = { runOnly: { type: 'tag', values: RGAA_TAGS }, resultTypes: ['violations'] };
  return page.evaluate((o) => {
    const g = globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResults> }; document: unknown };
    return g.axe.run(g.document, o);
  }, options);
}

/** Each violation with its impact, rule, help and the nodes concerned, as a reader fixes them. */
export function describeViolations(violations: readonly Result[]): string {
  return violations
    .map((v) => [`[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`, ...v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.replace(/\n/g, ' ')}`)].join('\n'))
    .join('\n');
}

/** Fails on any serious or critical violation, printing each with its nodes; returns the others. */
export async function expectAccessible(page: Page): Promise<Result[]> {
  const { violations } = await runAxe(page);
  const graves = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (graves.length > 0) throw new Error(`axe-core : ${graves.length} violation(s) graves sur ${page.url()}\n${describeViolations(graves)}`);
  return violations;
}

/** A full-page PNG in test-artifacts/screenshots/<name>.png (kept after the run); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
