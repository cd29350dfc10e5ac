// Shared by the console's browser scripts: Debian's chromium through playwright-core, one JSON line
// per check on stdout (the JUnit side reads them), screenshots, and an accessible-name audit.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

// As the machine notes say: without the background-networking flags chromium keeps dialling out
// and this machine's closed network refuses it, many times at each start.
export const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

export const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`set ${name}`);
  return v;
};

export const BASE = () => env('SKILLHOST_URL');
export const KEY = () => env('SKILLHOST_KEY');
const SHOTS = () => env('SCREENSHOTS');

/** One result line: {check, ok, ...detail}. */
export function report(check, ok, detail = {}) {
  process.stdout.write(`${JSON.stringify({ check, ok, ...detail })}\n`);
}

export async function launch() {
  const executablePath = env('CHROMIUM', '/usr/bin/chromium');
  return chromium.launch({ executablePath, args: FLAGS, headless: true, timeout: 30000 });
}

// Answers the console expects and handles: whether a sign-in to a provider is under way (404 when
// none was started), and the sign-in scenario's deliberately wrong key.
const EXPECTED = [
  { status: 404, method: 'GET', path: /^\/v1\/providers\/[^/?]+\/login$/ },
  { status: 401, method: 'GET', path: /^\/v1\/tasks\?limit=1$/ },
];

/** A page that records its script errors and console errors (a CSP refusal shows as one). */
export async function newPage(browser, viewport = { width: 1280, height: 860 }) {
  const context = await browser.newContext({ viewport, locale: 'en-US' });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // a failed request is logged by the browser without its address: judged by the 'response' hook
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !EXPECTED.some((e) => e.status === r.status() && e.method === r.request().method() && e.path.test(new URL(r.url()).pathname + new URL(r.url()).search))) {
      page.problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    }
  });
  page.setDefaultTimeout(15000);
  return page;
}

export async function shot(page, name, options = {}) {
  fs.mkdirSync(SHOTS(), { recursive: true });
  const file = path.join(SHOTS(), `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, ...options });
  return file;
}

/** Runs one scenario; a failure is reported (with a screenshot) and the next scenario still runs. */
export async function scenario(page, name, body) {
  const started = Date.now();
  try {
    const detail = (await body()) || {};
    report(name, true, { ms: Date.now() - started, ...detail });
  } catch (e) {
    let screenshot = null;
    try {
      screenshot = await shot(page, `failed-${name}`);
    } catch {
      // the page may be gone
    }
    report(name, false, { ms: Date.now() - started, error: String(e && e.stack || e), screenshot, ...(await seen(page)) });
  }
}

/**
 * What a failed scenario left on screen, for the report: the address, the task page's state and,
 * on a task page, the task as the API has it (a page that lags the API is a console bug).
 */
async function seen(page) {
  const out = {};
  try {
    out.url = page.url();
    out.page_state = await page.locator('section.task').first().getAttribute('data-state', { timeout: 1000 }).catch(() => null);
    const id = /#\/tasks\/(t_[^/?]+)/.exec(out.url);
    if (id) {
      const task = await api(`/v1/tasks/${id[1]}`);
      const events = await api(`/v1/tasks/${id[1]}/events`);
      out.api_task = { state: task.state, seq: task.seq, error: task.error, operation: task.operation, params: task.params };
      out.api_events = (events.events || events).map((ev) => `${ev.seq} ${ev.type} ${ev.state || ''}`.trim());
    }
  } catch (err) {
    out.seen_error = String(err);
  }
  return out;
}

/** A call to the host's API from the test itself (setting things up, reading the truth). */
export async function api(pathname, { method = 'GET', body } = {}) {
  const headers = { Authorization: `Bearer ${KEY()}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(BASE() + pathname, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${pathname}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function signIn(page) {
  await page.goto(`${BASE()}/`);
  await page.getByLabel('API key').fill(KEY());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
}

/** Controls on the page without an accessible name (label, aria-label, aria-labelledby, text). */
export function unnamedControls(page) {
  return page.evaluate(() => {
    const named = (el) => {
      if (el.getAttribute('aria-label')) return true;
      const by = el.getAttribute('aria-labelledby');
      if (by && by.split(' ').some((id) => document.getElementById(id)?.textContent.trim())) return true;
      if (el.labels && [...el.labels].some((l) => l.textContent.trim())) return true;
      if ((el.tagName === 'BUTTON' || el.tagName === 'A') && el.textContent.trim()) return true;
      if (el.getAttribute('title')) return true;
      return false;
    };
    return [...document.querySelectorAll('input, select, textarea, button, progress, video, a[href]')]
      .filter((el) => !el.closest('[hidden]') && !named(el))
      .map((el) => el.outerHTML.slice(0, 120));
  });
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}
