// Every page, for every role, in a real browser (issue 16 §6): axe-core with the WCAG 2.2 AA
// rules finds no violation, and at phone width (390 px) no page scrolls sideways.
//
// axe-core is injected into each page; the context bypasses the Content-Security-Policy for
// that injection only (the policy itself is tested by the other browser tests, which fail on
// any violation).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  CLINICIAN,
  DEMO_PASSWORD,
  NURSE,
  STEP_TIMEOUT,
  assertLoggedIn,
  baseUrl,
  clickAndLoad,
  launch,
  screenshot,
} from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function context(width) {
  const ctx = await browser.newContext({
    baseURL: baseUrl(),
    viewport: { width, height: 900 },
    bypassCSP: true,
  });
  ctx.setDefaultTimeout(STEP_TIMEOUT);
  return ctx;
}

async function logIn(page, email) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await clickAndLoad(page, page.getByRole('button', { name: 'Log in' }));
  await assertLoggedIn(page, email);
}

/** The chart path of a demo patient by MRN, and its first session's path. */
async function chartOf(page, mrn) {
  await page.goto(`/patients?search=${mrn}&phase=all`);
  const chart = await page.evaluate(() =>
    [...document.querySelectorAll('main a')]
      .map((a) => a.getAttribute('href'))
      .find((h) => /^\/patients\/\d+$/.test(h)),
  );
  assert.ok(chart, `a chart link for ${mrn}`);
  await page.goto(chart);
  const session = page.locator('main a[href^="/sessions/"]').first();
  const sessionPath = (await session.count()) > 0 ? await session.getAttribute('href') : null;
  return { chart, session: sessionPath };
}

/** The pages each role works in. */
async function pagesFor(page, role) {
  switch (role) {
    case 'clinician': {
      const ben = await chartOf(page, 'DEMO-002');
      const ivy = await chartOf(page, 'DEMO-009');
      const gus = await chartOf(page, 'DEMO-007');
      const course = await page
        .goto(ben.chart)
        .then(() => page.locator('main a[href^="/courses/"]').first().getAttribute('href'));
      return [
        '/today',
        '/schedule',
        '/schedule?view=week',
        '/patients',
        '/patients/new',
        ben.chart,
        ivy.chart,
        gus.chart,
        `${ben.chart}/screening`,
        `${ben.chart}/assessments/new?instrument=phq9`,
        `${ben.chart}/assessments/new?instrument=cssrs_screen`,
        `${ben.chart}/courses/new`,
        ben.session,
        ivy.session,
        course,
        `${ben.chart}/edit`,
        '/research',
        '/password',
      ].filter(Boolean);
    }
    case 'nurse': {
      const ben = await chartOf(page, 'DEMO-002');
      return ['/today', '/schedule', '/schedule?view=week', '/patients', ben.chart, ben.session];
    }
    case 'frontdesk': {
      const ben = await chartOf(page, 'DEMO-002');
      return [
        '/today',
        '/schedule',
        '/schedule?view=week',
        '/patients',
        '/patients/new',
        ben.chart,
        `${ben.chart}/edit`,
        ben.session,
      ];
    }
    case 'admin':
      return ['/settings', '/settings/protocols/iv-ketamine-6', '/settings/audit', '/research', '/password'];
    case 'researcher':
      return ['/today'];
    default:
      return ['/login'];
  }
}

const ROLES = ['clinician', 'nurse', 'frontdesk', 'admin', 'researcher', 'anonymous'];

async function run(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(
    (tags) =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    TAGS,
  );
}

function describe(violations) {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`)
          .join('\n'),
    )
    .join('\n');
}

test('12 axe-core (WCAG 2.2 AA) finds no violation on any page, for any role', async () => {
  // axe itself is working: a page with an unlabelled input and an image without text fails.
  {
    const ctx = await context(1280);
    const page = await ctx.newPage();
    await page.goto('/login');
    await page.evaluate(() => {
      document.body.insertAdjacentHTML('beforeend', '<input type="text"><img src="/favicon.ico">');
    });
    const bad = await run(page);
    const ids = bad.violations.map((v) => v.id);
    assert.ok(ids.includes('image-alt') && ids.includes('label'), `axe sees nothing: ${ids}`);
    await ctx.close();
  }
  let checked = 0;
  const found = [];
  for (const role of ROLES) {
    const ctx = await context(1280);
    const page = await ctx.newPage();
    try {
      if (role !== 'anonymous') await logIn(page, role === 'clinician' ? CLINICIAN : role === 'nurse' ? NURSE : `${role}@demo.test`);
      for (const path of await pagesFor(page, role)) {
        await page.goto(path);
        checked += 1;
        const result = await run(page);
        if (result.violations.length > 0) {
          found.push(`${role} ${path}:\n${describe(result.violations)}`);
          await screenshot(page, `12-axe-${role}-${path}`);
        }
      }
    } finally {
      await ctx.close();
    }
  }
  assert.ok(checked >= 25, `only ${checked} pages checked`);
  assert.deepEqual(found, [], `accessibility violations:\n${found.join('\n\n')}`);
});

test('13 at 390 px no page scrolls sideways', async () => {
  let checked = 0;
  const found = [];
  for (const role of ROLES) {
    const ctx = await context(390);
    const page = await ctx.newPage();
    try {
      if (role !== 'anonymous') await logIn(page, role === 'clinician' ? CLINICIAN : role === 'nurse' ? NURSE : `${role}@demo.test`);
      for (const path of await pagesFor(page, role)) {
        await page.goto(path);
        checked += 1;
        const { scroll, width, widest } = await page.evaluate(() => {
          const root = document.documentElement;
          let widest = '';
          let max = 0;
          for (const el of document.querySelectorAll('main *')) {
            const r = el.getBoundingClientRect();
            if (r.right > max && !el.closest('.scroll-x')) {
              max = r.right;
              widest = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''} (${Math.round(r.right)} px)`;
            }
          }
          return { scroll: root.scrollWidth, width: root.clientWidth, widest };
        });
        if (scroll > width) {
          found.push(`${role} ${path}: ${scroll} px wide in ${width} px; widest ${widest}`);
          await screenshot(page, `13-narrow-${role}-${path}`);
        }
      }
    } finally {
      await ctx.close();
    }
  }
  assert.ok(checked >= 25, `only ${checked} pages checked`);
  assert.deepEqual(found, [], `pages wider than the phone:\n${found.join('\n')}`);
});
