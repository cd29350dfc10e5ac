// Deliveries: the key's webhook and chat deliveries across its tasks, newest first (GET
// /v1/deliveries), by state, in cursor pages; each with its task, attempts, next attempt or when
// it arrived, and the last error. Attempts happen with no task event, so the page looks again
// every few seconds rather than waiting on the stream.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { time } from '../format.js';
import { ErrorNote, html, Loading, useCtx, useLoad } from '../ui.js';

const PAGE = 20;
const REFRESH_MS = 3000;
export const DELIVERY_STATES = ['pending', 'sending', 'delivered', 'failed'];

function Row({ d }) {
  const { t, lang } = useCtx();
  const when = d.state === 'delivered' ? time(d.delivered_at, lang) : d.next_attempt_at ? time(d.next_attempt_at, lang) : '—';
  return html`<li class="task-row delivery-row" data-delivery=${d.id} data-state=${d.state} data-task=${d.task} data-attempts=${d.attempts}>
    <a class="id" href=${`#/tasks/${d.task}`}>${d.task}</a>
    <span class="cell"><span class="k">${t('col.state')}</span>
      <span class=${`badge delivery-${d.state}`}>${t(`delivery.${d.state}`)}</span></span>
    <span class="cell"><span class="k">${t('col.type')}</span>${d.kind} · ${d.event_type} #${d.event_seq}</span>
    <span class="cell grow wrap"><span class="k">${t('col.target')}</span>${d.url || d.channel}</span>
    <span class="cell attempts"><span class="k">${t('col.attempts')}</span>${d.attempts}</span>
    <span class="cell"><span class="k">${d.state === 'delivered' ? t('col.delivered') : t('col.next')}</span>${when}</span>
    ${d.last_error && html`<span class="cell grow wrap error last-error"><span class="k">${t('col.last_error')}</span>${d.last_error}</span>`}
  </li>`;
}

export function DeliveriesPage() {
  const { t } = useCtx();
  const [state, setState] = useState('');
  const [cursors, setCursors] = useState([null]);
  const cursor = cursors[cursors.length - 1];
  const list = useLoad(() => {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (state) q.set('state', state);
    if (cursor) q.set('cursor', cursor);
    return api(`/v1/deliveries?${q}`);
  }, [state, cursor]);
  useEffect(() => {
    const timer = setInterval(list.reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [list.reload]);
  const rows = list.data ? list.data.deliveries : [];
  const next = list.data && list.data.next;
  return html`<section aria-labelledby="all-deliveries-h">
    <h2 id="all-deliveries-h">${t('deliveries.title')}</h2>
    <p class="muted">${t('deliveries.intro')}</p>
    <div class="filters">
      <label>${t('tasks.filter.state')}
        <select name="state" value=${state} onChange=${(e) => { setState(e.target.value); setCursors([null]); }}>
          <option value="">${t('state.all')}</option>
          ${DELIVERY_STATES.map((s) => html`<option value=${s}>${t(`delivery.${s}`)}</option>`)}
        </select>
      </label>
      <button type="button" onClick=${list.reload}>${t('tasks.refresh')}</button>
    </div>
    <${ErrorNote} error=${list.error} />
    <${Loading} when=${list.loading && !list.data} />
    ${list.data && rows.length === 0 && html`<p class="muted">${t('deliveries.none')}</p>`}
    <ul class="tasks deliveries" aria-label=${t('deliveries.title')}>
      ${rows.map((d) => html`<${Row} key=${d.id} d=${d} />`)}
    </ul>
    <nav class="pager" aria-label=${t('deliveries.pagination')}>
      <button type="button" disabled=${cursors.length === 1} onClick=${() => setCursors((c) => c.slice(0, -1))}>${t('tasks.newer')}</button>
      <span>${t('tasks.page', { n: cursors.length })}</span>
      <button type="button" disabled=${!next} onClick=${() => setCursors((c) => [...c, next])}>${t('tasks.older')}</button>
    </nav>
  </section>`;
}
