// Providers: loaded and refused plugins with the cause, versions, operations, models, rate
// buckets and how full each is now (looked at again every few seconds); device-style sign-in for
// those whose skill requires it (ChatArt).
import { useEffect, useState } from 'preact/hooks';
import { api, skillDetail } from '../api.js';
import { duration, time } from '../format.js';
import { ErrorNote, html, Linked, Loading, useCtx, useLoad } from '../ui.js';

/** Provider ids whose live skill says requires.login. */
function useLoginProviders() {
  const [ids, setIds] = useState(new Set());
  useEffect(() => {
    api('/v1/skills').then((list) => Promise.all(list.skills.filter((s) => s.live && s.skill)
      .map((s) => skillDetail(s.skill).catch(() => null))))
      .then((all) => setIds(new Set(all.filter((s) => s && s.requires && s.requires.login).map((s) => s.provider))), () => {});
  }, []);
  return ids;
}

function Login({ id }) {
  const { t } = useCtx();
  const [state, setState] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api(`/v1/providers/${id}/login`).then(setState, () => setState(null));
  }, [id]);
  // while a sign-in is pending the host watches it; the page looks every 2 s to show the outcome
  useEffect(() => {
    if (!state || state.state !== 'pending') return undefined;
    const timer = setTimeout(() => api(`/v1/providers/${id}/login`).then(setState, setError), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const start = async () => {
    setError(null);
    try {
      setState(await api(`/v1/providers/${id}/login`, { method: 'POST', body: {} }));
    } catch (e) {
      setError(e);
    }
  };
  const out = async () => {
    try {
      await api(`/v1/providers/${id}/login`, { method: 'DELETE' });
      setState(null);
    } catch (e) {
      setError(e);
    }
  };
  return html`<div class="login" data-login=${state ? state.state : 'none'}>
    <button type="button" class="primary" onClick=${start}>${t('providers.login', { id })}</button>
    ${state && state.state === 'signed_in' && html` <button type="button" onClick=${out}>${t('providers.logout', { id })}</button>`}
    ${state && html`<div class="login-state" role="status">
      <p>${t('providers.login.state', { state: state.state })}</p>
      ${state.message && html`<p class="message"><${Linked} text=${state.message} /></p>`}
      ${state.url && html`<p><a href=${state.url} target="_blank" rel="noopener noreferrer">${t('providers.login.open')}</a></p>`}
      ${state.code && html`<p>${t('providers.login.code')}: <code>${state.code}</code></p>`}
      ${state.account && html`<p>${t('providers.login.account')}: <code>${typeof state.account === 'string' ? state.account : JSON.stringify(state.account)}</code></p>`}
      ${state.error && html`<p class="error">${state.error.message || JSON.stringify(state.error)}</p>`}
    </div>`}
    <${ErrorNote} error=${error} />
  </div>`;
}

/** How often the page asks again, so bucket fill stays current (GET /v1/providers is cheap). */
const REFRESH_MS = 2000;

/** One rate bucket: its limit, and a meter of the calls made in its current window. */
function Bucket({ b }) {
  const { t, lang } = useCtx();
  const per = duration(b.window_ms / 1000, lang);
  const used = b.used || 0;
  const fill = t('providers.bucket.used', { used, permits: b.permits, window: per });
  return html`<li class="bucket" data-bucket=${b.name}>
    <code>${b.name}</code> ${t('providers.bucket', { permits: b.permits, window: per, calls: (b.calls || []).join(', ') })}
    <span class="fill">
      <meter min="0" max=${b.permits} high=${b.permits * 0.8} optimum="0" value=${used} aria-label=${`${b.name}: ${fill}`}></meter>
      <span class="used" aria-hidden="true">${fill}</span>
    </span>
  </li>`;
}

/** Credits on the provider's account: asked on demand (it is a call to the backend). */
function Credits({ id }) {
  const { t } = useCtx();
  const [account, setAccount] = useState(null);
  const [error, setError] = useState(null);
  const look = async () => {
    setError(null);
    try {
      setAccount(await api(`/v1/providers/${id}/account`));
    } catch (e) {
      setError(e);
    }
  };
  return html`<div class="account">
    <button type="button" onClick=${look} aria-label=${`${t('providers.account')}: ${id}`}>${t('providers.account')}</button>
    ${account && html`<p role="status" data-credits=${account.credits == null ? '' : account.credits}>${t('providers.credits', {
      account: account.id || '—', credits: account.credits == null ? '—' : account.credits })}</p>`}
    <${ErrorNote} error=${error} />
  </div>`;
}

export function ProvidersPage() {
  const { t, lang } = useCtx();
  const list = useLoad(() => api('/v1/providers'), []);
  useEffect(() => {
    const timer = setInterval(list.reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const logins = useLoginProviders();
  const providers = list.data ? list.data.providers : [];
  return html`<section aria-labelledby="providers-h">
    <h2 id="providers-h">${t('providers.title')}</h2>
    <button type="button" onClick=${list.reload}>${t('tasks.refresh')}</button>
    <${ErrorNote} error=${list.error} />
    <${Loading} when=${list.loading && !list.data} />
    <ul class="cards">
      ${providers.map((p) => {
        const info = p.info || {};
        const name = p.id || String(p.file).split('/').pop();
        return html`<li class=${`card provider state-${p.state}`} key=${p.file || p.id} data-provider=${name}>
          <h3>${info.name || name} <span class=${`badge ${p.state === 'started' ? 'ok' : 'bad'}`}>${p.state}</span></h3>
          ${info.description && html`<p class="muted">${info.description}</p>`}
          <dl>
            <dt>${t('providers.version')}</dt><dd>${p.version || '—'}</dd>
            <dt>${t('providers.file')}</dt><dd><code>${p.file}</code></dd>
            <dt>${t('providers.loaded')}</dt><dd>${time(p.loaded_at, lang) || '—'}</dd>
          </dl>
          ${p.error && html`<p class="error" role="alert"><strong>${t('providers.cause')}: </strong>${typeof p.error === 'string' ? p.error : JSON.stringify(p.error)}</p>`}
          ${p.config_problem && html`<p class="error"><strong>${t('providers.config')}: </strong>${p.config_problem}</p>`}
          ${info.operations && html`<p><strong>${t('providers.operations')}: </strong>${info.operations.map((o) => o.name).join(', ')}</p>`}
          ${info.models && info.models.length > 0 && html`<p><strong>${t('providers.models')}: </strong>${info.models.map((m) => m.id).join(', ')}</p>`}
          ${info.rate_buckets && info.rate_buckets.length > 0 && html`<p><strong>${t('providers.buckets')}:</strong></p>
            <ul class="buckets">${info.rate_buckets.map((b) => html`<${Bucket} key=${b.name} b=${b} />`)}</ul>`}
          ${p.id && p.state === 'started' && html`<${Credits} id=${p.id} />`}
          ${p.id && logins.has(p.id) && html`<${Login} id=${p.id} />`}
        </li>`;
      })}
    </ul>
  </section>`;
}
