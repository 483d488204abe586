// Shared harness for Cadence's browser tests: launches Debian's Chromium through playwright-core
// (no browser download), opens pages that record console errors and CSP violations, logs in,
// and saves a full-page screenshot per test under target/e2e/, whether the test passed or not.
//
// Environment (set by crates/cadence/tests/cli/e2e.rs, which starts the demo clinic):
//   CADENCE_BASE_URL          the server, e.g. http://127.0.0.1:41033 (loopback only)
//   CHROMIUM_PATH             the browser binary (default /usr/bin/chromium)
//   CADENCE_E2E_SCREENSHOTS   where screenshots go (default ../target/e2e)

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every wait is bounded by this (milliseconds). */
export const STEP_TIMEOUT = 15_000;

/** The demo clinic's logins (synthetic; demo databases only). */
export const DEMO_PASSWORD = 'cadence-demo';
export const CLINICIAN = 'clinician@demo.test';
export const NURSE = 'nurse@demo.test';

const here = dirname(fileURLToPath(import.meta.url));

/** The server under test; refuses anything but a loopback address. */
export function baseUrl() {
  const raw = process.env.CADENCE_BASE_URL;
  assert.ok(raw, 'CADENCE_BASE_URL is not set: run these tests through `cargo test --workspace`');
  const url = new URL(raw);
  assert.ok(
    ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname),
    `only loopback targets are allowed, not ${url.hostname}`,
  );
  return url.origin;
}

const screenshotDir = resolve(process.env.CADENCE_E2E_SCREENSHOTS ?? join(here, '..', 'target', 'e2e'));

/** Launches headless Chromium with a fresh profile and no background traffic. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A new browser context (its own cookies) and page. Console errors, uncaught page errors and
 * failed same-site requests are collected in `page.problems`.
 */
export async function openPage(browser) {
  const context = await browser.newContext({ baseURL: baseUrl(), viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  // Chromium logs CSP violations itself; this makes sure each one is also reported as an error.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url ?? '';
    // Every console error, including each "Refused to ... Content Security Policy" message,
    // is a failure.
    problems.push(`console error on ${page.url()}: ${msg.text()} ${where}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught error on ${page.url()}: ${err.message}`));
  page.problems = problems;
  return page;
}

/** Saves `target/e2e/<name>.png` (full page). Never throws: a screenshot is evidence only. */
export async function screenshot(page, name) {
  try {
    mkdirSync(screenshotDir, { recursive: true });
    const file = join(screenshotDir, `${name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: STEP_TIMEOUT });
  } catch (err) {
    console.error(`screenshot ${name} failed: ${err.message}`);
  }
}

/**
 * Runs `body(page)` in a fresh page; always saves the screenshot `name`, then fails on any
 * console error, uncaught error or CSP violation seen along the way.
 */
export async function withPage(browser, name, body) {
  const page = await openPage(browser);
  try {
    await body(page);
  } catch (err) {
    err.message = `${err.message}\n  at page ${page.url()}`;
    throw err;
  } finally {
    await screenshot(page, name);
    await page.context().close();
  }
  assert.deepEqual(page.problems, [], `console errors or CSP violations during "${name}"`);
}

/**
 * Clicks a button that submits a form (or follows a link) and waits for the new document to
 * load: the `load` event of the page that replaces this one.
 */
export async function clickAndLoad(page, button) {
  const loaded = page.waitForEvent('load', { timeout: STEP_TIMEOUT });
  await button.click();
  await loaded;
}

/** Logs in through the login form and waits for the page after it. */
export async function login(page, email, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await clickAndLoad(page, page.getByRole('button', { name: 'Log in' }));
  await assertLoggedIn(page, email);
}

/** Fails with the login page's message when a login did not get past it. */
export async function assertLoggedIn(page, email) {
  if (new URL(page.url()).pathname === '/login') {
    const alert = page.getByRole('alert');
    const why = (await alert.count()) > 0 ? await alert.first().innerText() : 'no message';
    assert.fail(`login as ${email} stayed on /login: ${why}`);
  }
}

/** Asserts the page is not Cadence's error page (which shows a stable `.error-code`). */
export async function assertNoErrorPage(page, what) {
  const code = page.locator('.error-code');
  if ((await code.count()) > 0) {
    const text = await page.locator('main').innerText();
    assert.fail(`${what}: error page at ${page.url()}: ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
  }
}

/** Today's date in the clinic's time zone (the demo clinic is UTC), as YYYY-MM-DD. */
export function todayUtc() {
  return new Date().toISOString().slice(0, 10);
}

/** Today if it is a weekday, else the next Monday (the demo clinic opens Monday to Friday). */
export function nextWeekday() {
  const d = new Date(`${todayUtc()}T00:00:00Z`);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
