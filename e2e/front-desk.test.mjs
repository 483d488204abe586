// Front desk's week in a real browser (issue 16 §1 and §4): register a patient without typing
// an MRN, find them by parts of both names, by birth date and by MRN, correct their details;
// book, move, cancel and rebook a demo patient's session from the chart and from the schedule;
// see the to-move list, and a booking join it after a clinician changes the plan. Each step is
// one test with its own screenshot in target/e2e/; later steps use what earlier ones created.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLINICIAN,
  assertNoErrorPage,
  clickAndLoad,
  launch,
  login,
  todayUtc,
  withPage,
} from './lib.mjs';

const FRONT_DESK = 'frontdesk@demo.test';

let browser;
/** What earlier steps created: { patientPath, evePath, bookedDate }. */
const state = {};

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function need(key, step) {
  assert.ok(state[key], `needs ${key} from the "${step}" step, which did not finish`);
  return state[key];
}

/** `days` after today, as YYYY-MM-DD (the demo clinic is open every day). */
function inDays(days) {
  const d = new Date(`${todayUtc()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Chromium logs a page answered with 4xx as a console error; a refusal this test expects is
 * not a problem, so its log line is dropped (any other console error still fails the test).
 */
function forgiveRefusals(page) {
  const kept = page.problems.filter((p) => !/the server responded with a status of 4(09|22)/.test(p));
  page.problems.splice(0, page.problems.length, ...kept);
}

/** The chart's row of the session on `date` at `time` (the sessions table). */
function chartRow(page, date, time) {
  return page.locator('tr[id^="chart-session-"]', { hasText: date }).filter({ hasText: time });
}

test('fd-01 register a patient without an MRN: the clinic numbers them', async () => {
  await withPage(browser, 'fd-01-register', async (page) => {
    await login(page, FRONT_DESK);
    await page.goto('/patients/new');
    await page.getByLabel('Given name').fill('Rita');
    await page.getByLabel('Family name').fill('Eskdale');
    await page.getByLabel('Birth date').fill('1977-04-05');
    await page.getByLabel('Sex').selectOption('female');
    await page.getByLabel('Phone', { exact: true }).fill('+1 555 0142');
    await page.getByLabel('Email', { exact: true }).fill('rita@example.org');
    await page.locator('#contact_consent').selectOption('yes');
    await page.getByLabel('Emergency contact', { exact: true }).fill('Sam Eskdale');
    await clickAndLoad(page, page.getByRole('button', { name: 'Register' }));
    await assertNoErrorPage(page, 'registration');
    assert.match(new URL(page.url()).pathname, /^\/patients\/\d+$/);
    state.patientPath = new URL(page.url()).pathname;
    const facts = await page.locator('dl.facts').first().innerText();
    assert.match(facts, /DEMO-\d{3}/, 'numbered by the demo pattern');
    assert.match(facts, /\+1 555 0142/);
    assert.match(facts, /given/);
  });
});

test('fd-02 find the patient by parts of both names, by birth date and by MRN', async () => {
  const path = need('patientPath', 'fd-01');
  await withPage(browser, 'fd-02-search', async (page) => {
    await login(page, FRONT_DESK);
    for (const words of ['Rita Esk', 'esk rit', '1977-04-05']) {
      await page.goto('/patients');
      await page.getByLabel(/Name, MRN or birth date/).fill(words);
      await clickAndLoad(page, page.getByRole('button', { name: 'Show patients' }));
      const link = page.getByRole('link', { name: 'Eskdale, Rita' });
      assert.equal(await link.count(), 1, `"${words}" finds Rita Eskdale`);
      assert.equal(await link.getAttribute('href'), path);
    }
    await page.getByLabel(/Name, MRN or birth date/).fill('Rita Lovelace');
    await clickAndLoad(page, page.getByRole('button', { name: 'Show patients' }));
    assert.equal(await page.getByRole('link', { name: 'Eskdale, Rita' }).count(), 0, 'every word must match');
    assert.equal(await page.getByRole('columnheader', { name: 'Phase' }).count(), 0, 'front desk sees no phase');
  });
});

test('fd-03 correct the details: a bad phone is named and kept, then the fix is saved', async () => {
  const path = need('patientPath', 'fd-01');
  await withPage(browser, 'fd-03-edit', async (page) => {
    await login(page, FRONT_DESK);
    await page.goto(path);
    await clickAndLoad(page, page.getByRole('link', { name: 'Edit details' }));
    assert.equal(await page.getByLabel('Family name').inputValue(), 'Eskdale');
    await page.getByLabel('Family name').fill('Eskdale-Moor');
    await page.getByLabel('Phone', { exact: true }).fill('call me');
    await clickAndLoad(page, page.getByRole('button', { name: 'Save details' }));
    assert.match(await page.getByRole('alert').first().innerText(), /phone must be a phone number/);
    forgiveRefusals(page);
    assert.equal(await page.getByLabel('Family name').inputValue(), 'Eskdale-Moor', 'what was typed is kept');
    await page.getByLabel('Phone', { exact: true }).fill('+1 555 0199');
    await page.getByLabel('Weight in kg').fill('61.5');
    await page.getByLabel('Day the weight was taken').fill(todayUtc());
    await clickAndLoad(page, page.getByRole('button', { name: 'Save details' }));
    assert.equal(new URL(page.url()).pathname, path);
    await page.getByRole('status').filter({ hasText: 'Details saved.' }).waitFor();
    await page.getByRole('heading', { name: 'Rita Eskdale-Moor', level: 1 }).waitFor();
    const facts = await page.locator('dl.facts').first().innerText();
    assert.match(facts, /\+1 555 0199/);
    assert.match(facts, new RegExp(`61\\.5 kg \\(taken ${todayUtc()}\\)`));
  });
});

test('fd-04 book a session for a demo patient from the chart, move it, cancel it, rebook it', async () => {
  await withPage(browser, 'fd-04-chart-booking', async (page) => {
    await login(page, FRONT_DESK);
    await page.goto('/patients?search=DEMO-005');
    await clickAndLoad(page, page.getByRole('link', { name: /^Booster, Eve$/ }));
    state.evePath = new URL(page.url()).pathname;
    const date = inDays(9);
    state.bookedDate = date;
    await page.locator('#book-date').fill(date);
    await page.locator('#book-time').fill('10:30');
    await page.locator('#book-reason').fill('patient asked for this day');
    await clickAndLoad(page, page.getByRole('button', { name: 'Book', exact: true }));
    await assertNoErrorPage(page, 'booking');
    const booked = chartRow(page, date, '10:30');
    assert.equal(await booked.count(), 1, `booked on ${date} at 10:30`);
    assert.match(await booked.innerText(), /scheduled/i);

    // Move within the day: no reason needed.
    const id = (await booked.getAttribute('id')).replace('chart-session-', '');
    await booked.getByText('Move or cancel').click();
    await page.locator(`#cmove-time-${id}`).fill('14:00');
    await clickAndLoad(page, booked.getByRole('button', { name: 'Move' }));
    await assertNoErrorPage(page, 'moving');
    assert.equal(await chartRow(page, date, '14:00').count(), 1, 'moved to 14:00');
    assert.equal(await chartRow(page, date, '10:30').count(), 0);

    // Cancel, then rebook: the cancelled session stays in the record.
    const moved = page.locator(`#chart-session-${id}`);
    await moved.getByText('Move or cancel').click();
    await clickAndLoad(page, moved.getByRole('button', { name: /Cancel session/ }));
    assert.match(await page.locator(`#chart-session-${id}`).innerText(), /cancelled/i);
    const cancelled = page.locator(`#chart-session-${id}`);
    await cancelled.getByText('Rebook').first().click();
    await page.locator(`#crebook-date-${id}`).fill(date);
    await page.locator(`#crebook-time-${id}`).fill('11:00');
    await page.locator(`#crebook-reason-${id}`).fill('patient called back');
    await clickAndLoad(page, cancelled.getByRole('button', { name: 'Rebook' }));
    await assertNoErrorPage(page, 'rebooking');
    assert.match(await page.locator(`#chart-session-${id}`).innerText(), /cancelled/i, 'the cancelled one is kept');
    assert.equal(await chartRow(page, date, '11:00').count(), 1, 'rebooked at 11:00');
  });
});

test('fd-05 the schedule shows the booking at its time; moving it there works too', async () => {
  const date = need('bookedDate', 'fd-04');
  await withPage(browser, 'fd-05-schedule', async (page) => {
    await login(page, FRONT_DESK);
    await page.goto(`/schedule?date=${date}`);
    await assertNoErrorPage(page, 'schedule');
    const row = page.locator('tr[id^="session-"]', { hasText: 'Booster' }).filter({ hasText: '11:00' });
    assert.equal(await row.count(), 1, "Eve's rebooked session at 11:00");
    const id = (await row.getAttribute('id')).replace('session-', '');
    await row.getByText('Move or cancel').click();
    await page.locator(`#move-time-${id}`).fill('16:00');
    await clickAndLoad(page, row.getByRole('button', { name: 'Move' }));
    await assertNoErrorPage(page, 'moving on the schedule');
    assert.match(await page.locator(`#session-${id}`).innerText(), /16:00/);
    // A double booking is refused with a message, and nothing changes.
    await page.goto(need('evePath', 'fd-04'));
    await page.locator('#book-date').fill(date);
    await page.locator('#book-reason').fill('a second one the same day');
    await clickAndLoad(page, page.getByRole('button', { name: 'Book', exact: true }));
    assert.ok((await page.locator('.error-code').count()) > 0, 'the refusal is shown with its code');
    forgiveRefusals(page);
    await page.goto(need('evePath', 'fd-04'));
    assert.equal(await page.locator('tr[id^="chart-session-"]', { hasText: date }).filter({ hasText: /scheduled/i }).count(), 1);
    // The week view lists the day too.
    await page.goto(`/schedule?date=${date}&view=week`);
    await page.locator(`#day-${date}`).waitFor();
  });
});

test('fd-06 the to-move list: the demo closed day, then a clinician shortens an interval', async () => {
  await withPage(browser, 'fd-06-to-move', async (page) => {
    await login(page, FRONT_DESK);
    await page.goto('/schedule');
    const list = page.locator('section[aria-labelledby="to-move-heading"] li');
    assert.ok((await list.count()) >= 1, 'the demo clinic closed a day with bookings on it');
    assert.match(await list.first().innerText(), /closed/i);
    const dev = async () => (await list.allInnerTexts()).filter((t) => t.includes('Maintenance'));
    assert.deepEqual(await dev(), [], "Dev's booking fits his plan before the decision");

    // Dev is seen every 3 weeks, the next one booked; every 2 weeks puts it earlier.
    await login(page, CLINICIAN);
    await page.goto('/patients?search=DEMO-004');
    await clickAndLoad(page, page.getByRole('link', { name: /^Maintenance, Dev$/ }));
    await page.getByLabel('Decision', { exact: true }).selectOption({ label: 'Shorten the interval' });
    await page.getByLabel('Note', { exact: true }).fill('Symptoms creeping back; closer follow-up.');
    await clickAndLoad(page, page.getByRole('button', { name: 'Record decision' }));
    await assertNoErrorPage(page, 'decision');

    await login(page, FRONT_DESK);
    await page.goto('/schedule');
    const listed = await dev();
    assert.equal(listed.length, 1, `Dev's booking is listed to move: ${await list.allInnerTexts()}`);
    assert.match(listed[0], /interval/i, 'with the reason');
    await page.goto('/today');
    await page.getByText(/no longer fit/).first().waitFor();
  });
});
