// Logging in with the keyboard alone (Tab and Enter), then walking the main pages: none may log
// a console error, throw, or trip the Content-Security-Policy (lib.mjs collects all three).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLINICIAN,
  DEMO_PASSWORD,
  NURSE,
  STEP_TIMEOUT,
  assertLoggedIn,
  assertNoErrorPage,
  launch,
  login,
  withPage,
} from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Presses Tab until the element with `id` has focus (at most 15 presses). */
async function tabTo(page, id) {
  for (let i = 0; i < 15; i += 1) {
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached #${id}`);
}

test('08 keyboard-only login', async () => {
  await withPage(browser, '08-keyboard-login', async (page) => {
    await page.goto('/login');
    // The first Tab reaches the skip link, and it is visible when focused.
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement?.textContent?.trim());
    assert.match(first ?? '', /skip to content/i);
    await tabTo(page, 'email');
    await page.keyboard.type(CLINICIAN);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
    await page.keyboard.type(DEMO_PASSWORD);
    const loaded = page.waitForEvent('load', { timeout: STEP_TIMEOUT });
    await page.keyboard.press('Enter');
    await loaded;
    await assertLoggedIn(page, CLINICIAN);
    assert.equal(new URL(page.url()).pathname, '/today');
    await assertNoErrorPage(page, 'today after a keyboard login');
  });
});

/** Visits `paths` in order, failing on an error page; returns them. */
async function visit(page, paths) {
  for (const path of paths) {
    await page.goto(path);
    await assertNoErrorPage(page, path);
  }
  return paths;
}

test('09 the main pages load without console errors or CSP violations', async () => {
  const visited = [];
  await withPage(browser, '09-pages-clinician', async (page) => {
    await login(page, CLINICIAN);
    visited.push(...(await visit(page, ['/today', '/patients', '/patients/new'])));
    // Every chart the patient list links to (the demo clinic's patients and any the other
    // tests added), and the forms the first chart links to.
    await page.goto('/patients');
    const charts = await page
      .locator('a[href^="/patients/"]')
      .evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
    const ids = charts.filter((h) => /^\/patients\/\d+$/.test(h));
    assert.ok(ids.length > 0, 'the patient list links to charts');
    visited.push(...(await visit(page, ids.slice(0, 10))));
    visited.push(
      ...(await visit(page, [
        `${ids[0]}/screening`,
        `${ids[0]}/courses/new`,
        `${ids[0]}/assessments/new?instrument=phq9`,
      ])),
    );
  });
  await withPage(browser, '09-pages-nurse', async (page) => {
    await login(page, NURSE);
    visited.push(...(await visit(page, ['/today', '/patients'])));
    const chart = await page.locator('a[href^="/patients/"]').first().getAttribute('href');
    await visit(page, [chart]);
    const sessions = await page
      .locator('a[href^="/sessions/"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    visited.push(...(await visit(page, sessions.slice(0, 2))));
  });
  await withPage(browser, '09-pages-admin', async (page) => {
    await login(page, 'admin@demo.test');
    visited.push(...(await visit(page, ['/settings'])));
  });
  await withPage(browser, '09-pages-researcher', async (page) => {
    await login(page, 'researcher@demo.test');
    visited.push(...(await visit(page, ['/today'])));
  });
  assert.ok(visited.length >= 10, `visited ${visited}`);
});
