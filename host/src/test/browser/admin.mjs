// The console's admin pages against the same host as console.mjs: a refused plugin on Providers,
// webhook deliveries and their attempts on Deliveries, an edit refused for a failing example on
// Skills. Each export is one scenario's body; console.mjs runs them in its browser session.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { api, assert, BASE, env, shot } from './lib.mjs';

const SKILLS_DIR = () => env('SKILLS_DIR');
const PLUGINS_DIR = () => env('PLUGINS_DIR');

/** A jar that is not a plugin at all: the host refuses it and the Providers page says why. */
export async function refusedPlugin(page, audit) {
  fs.writeFileSync(path.join(PLUGINS_DIR(), 'broken.jar'), 'this is not a jar');
  await page.goto(`${BASE()}/#/providers`);
  const card = page.locator('li.provider[data-provider="broken.jar"]');
  await card.waitFor({ timeout: 15000 });
  const badge = (await card.locator('h3 .badge').textContent()).trim();
  const cause = (await card.getByRole('alert').textContent()).trim();
  const truth = (await api('/v1/providers')).providers.find((p) => p.file === 'broken.jar');
  await card.scrollIntoViewIfNeeded();
  await shot(page, '10c-providers-refused');
  assert(badge === 'failed' && truth && cause.endsWith(truth.error), `the card says ${badge}: ${cause}; host: ${JSON.stringify(truth)}`);
  return { badge, cause };
}

/** A delivery refused once then taken, one nobody takes: both settle on the Deliveries page with their attempts. */
export async function deliveriesPage(page, audit) {
  // a receiver that refuses each delivery once, then takes it; and a port where nothing listens
  const hits = new Map();
  const server = http.createServer((req, res) => {
    const id = req.headers['webhook-id'];
    hits.set(id, (hits.get(id) || 0) + 1);
    req.resume();
    res.writeHead(hits.get(id) === 1 ? 503 : 204).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const closed = http.createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const nowhere = `http://127.0.0.1:${closed.address().port}/hook`;
  await new Promise((resolve) => closed.close(resolve));
  try {
    const hook = (url) => ({ url, events: ['completed'] });
    const good = await api('/v1/tasks', { method: 'POST', body: { provider: 'sim', operation: 'text2image', params: { duration_ms: 100 },
      webhook: hook(`http://127.0.0.1:${server.address().port}/hook`) } });
    const bad = await api('/v1/tasks', { method: 'POST', body: { provider: 'sim', operation: 'text2image', params: { duration_ms: 100 },
      webhook: hook(nowhere) } });
    await page.goto(`${BASE()}/#/deliveries`);
    // the page looks again every few seconds: both settle on screen with no click
    const goodRow = page.locator(`li.delivery-row[data-task="${good.id}"][data-state="delivered"]`);
    const badRow = page.locator(`li.delivery-row[data-task="${bad.id}"][data-state="failed"]`);
    await goodRow.waitFor({ timeout: 30000 });
    await badRow.waitFor({ timeout: 30000 });
    const goodAttempts = await goodRow.getAttribute('data-attempts');
    const badAttempts = await badRow.getAttribute('data-attempts');
    const error = (await badRow.locator('.last-error').evaluate((e) => e.lastChild.textContent)).trim();
    await audit('deliveries');
    await shot(page, '10d-deliveries');
    await page.getByLabel('State').selectOption('failed');
    await page.waitForFunction((id) => {
      const rows = [...document.querySelectorAll('li.delivery-row')];
      return rows.length > 0 && rows.every((r) => r.dataset.state === 'failed') && rows.some((r) => r.dataset.task === id);
    }, bad.id);
    await badRow.getByRole('link', { name: bad.id }).click();
    await page.locator(`section.task[data-task="${bad.id}"]`).waitFor();
    await page.locator('section[aria-labelledby="deliveries-h"] tbody tr').first().waitFor();
    const perTask = await page.locator('section[aria-labelledby="deliveries-h"] tbody tr').count();
    const truth = (await api(`/v1/tasks/${bad.id}/deliveries`)).deliveries[0];
    assert(goodAttempts === '2', `the refused-once delivery took 2 attempts, shown ${goodAttempts}`);
    assert(badAttempts === String(truth.attempts) && truth.attempts > 1, `failed after ${truth.attempts} attempts, shown ${badAttempts}`);
    assert(error.length > 0 && error === truth.last_error, `the last error shown: ${error}`);
    assert(perTask === 1, `the task page lists its delivery (${perTask})`);
    return { good: goodAttempts, bad: badAttempts, error };
  } finally {
    server.close();
  }
}

/** An edit whose example no longer routes as it says: refused, shown at the example's line, the old version live. */
export async function failingExample(page, audit) {
  const file = path.join(SKILLS_DIR(), 'sim.yaml');
  const clean = async () => !(await api('/v1/skills')).skills.find((s) => s.file.endsWith('/sim.yaml')).problems
    .some((p) => p.severity === 'error');
  for (let i = 0; i < 100 && !(await clean()); i++) await page.waitForTimeout(100);
  assert(await clean(), 'the restored sim manifest loads again');
  const good = fs.readFileSync(file, 'utf8');
  const lines = good.split('\n');
  const at = lines.findIndex((l) => l.includes('"draw a picture of a lighthouse"') && l.includes('expect: text2image'));
  assert(at >= 0, 'the lighthouse example is where it was');
  lines[at] = lines[at].replace('expect: text2image', 'expect: t2v');
  fs.writeFileSync(file, lines.join('\n'));
  try {
    // the host refuses the edit within ~100 ms; the open Skills page shows it at its next look (2 s)
    let truth;
    let problem;
    for (let i = 0; i < 100 && !problem; i++) {
      await page.waitForTimeout(100);
      truth = (await api('/v1/skills')).skills.find((s) => s.file.endsWith('/sim.yaml'));
      problem = truth.problems.find((p) => p.severity === 'error');
    }
    assert(problem, `the host refused the edit: ${JSON.stringify(truth)}`);
    await page.goto(`${BASE()}/#/skills`);
    const card = page.locator('li.skill[data-file="sim.yaml"]');
    await page.waitForFunction((text) => [...document.querySelectorAll('li.skill[data-file="sim.yaml"] .problem.error .where')]
      .some((w) => w.textContent.trim() === text), `sim.yaml:${problem.line}:${problem.column}`, { timeout: 10000 });
    const where = (await card.locator('.problem.error .where').first().textContent()).trim();
    const message = (await card.locator('.problem.error .msg').first().textContent()).trim();
    await card.scrollIntoViewIfNeeded();
    await shot(page, '11b-skills-failing-example');
    assert(where === `sim.yaml:${problem.line}:${problem.column}` && problem.line === at + 1,
      `shown ${where}, host says ${problem.line}:${problem.column}, the example is on line ${at + 1}`);
    assert(message === problem.message && truth.version === '1.0.0', `shown "${message}"; live ${truth.version}`);
    return { where, message, version: truth.version };
  } finally {
    fs.writeFileSync(file, good);
  }
}
