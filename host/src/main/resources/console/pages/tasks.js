// Tasks: the key's tasks, newest first, kept live from the stream; filters and cursor pages.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, skillDetail } from '../api.js';
import { ACTIVE, duration, eta, since, STATES, useNow } from '../format.js';
import { ErrorNote, html, Loading, ProgressBar, StateBadge, useCtx, useLoad } from '../ui.js';

const PAGE = 20;
const RECENT_TASKS = 500;

/** Applies one stream event to a task row: its state, progress and last change. */
export function applyEvent(task, e) {
  const next = { ...task, seq: Math.max(task.seq || 0, e.seq), updated_at: e.at };
  if (e.state) next.state = e.state;
  if (e.type === 'progress' && e.data && typeof e.data.fraction === 'number') next.progress = e.data.fraction;
  if (e.state === 'succeeded') next.progress = 1;
  return next;
}

/** Skill details for the rows' skills (for their ETA ranges), loaded once each. */
function useSkills(tasks) {
  const [skills, setSkills] = useState({});
  useEffect(() => {
    for (const id of new Set(tasks.map((x) => x.skill).filter(Boolean))) {
      if (skills[id] !== undefined) continue;
      skillDetail(id).then((s) => setSkills((m) => ({ ...m, [id]: s })), () => setSkills((m) => ({ ...m, [id]: null })));
    }
  }, [tasks]);
  return skills;
}

export function TasksPage() {
  const { t, lang, bus } = useCtx();
  const [state, setState] = useState('');
  const [provider, setProvider] = useState('');
  const [cursors, setCursors] = useState([null]); // cursors[i] opens page i
  const [rows, setRows] = useState([]);
  const now = useNow();
  const cursor = cursors[cursors.length - 1];

  const providers = useLoad(() => api('/v1/providers'), []);
  const page = useLoad(() => {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (state) q.set('state', state === 'active' ? ACTIVE.join(',') : state);
    if (provider) q.set('provider', provider);
    if (cursor) q.set('cursor', cursor);
    return api(`/v1/tasks?${q}`);
  }, [state, provider, cursor]);

  // Events seen lately, by task: a list read while they were on their way is older than they are,
  // so what it shows is brought up to date with them (by seq) rather than shown stale.
  const recent = useRef(new Map());
  useEffect(() => {
    if (!page.data) return;
    setRows(page.data.tasks.map((row) => (recent.current.get(row.id) || [])
      .filter((e) => e.seq > (row.seq || 0)).reduce(applyEvent, row)));
  }, [page.data]);

  // Live: known rows change in place; a task this page does not show yet reloads the first page.
  const reloadSoon = useRef(null);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  useEffect(() => bus.on((m) => {
    if (m.status === 'live') {
      page.reload();
      return;
    }
    const e = m.event;
    if (!e) return;
    const seen = recent.current;
    seen.set(e.task, [...(seen.get(e.task) || []).slice(-9), e]);
    if (seen.size > RECENT_TASKS) seen.delete(seen.keys().next().value);
    if (rowsRef.current.some((row) => row.id === e.task)) {
      setRows((list) => list.map((row) => (row.id === e.task ? applyEvent(row, e) : row)));
    } else if (cursors.length === 1) {
      clearTimeout(reloadSoon.current);
      reloadSoon.current = setTimeout(page.reload, 150);
    }
  }), [bus, cursors.length, page.reload]);

  const skills = useSkills(rows);
  const filter = (set) => (e) => {
    set(e.target.value);
    setCursors([null]);
  };
  const ids = (providers.data ? providers.data.providers : []).map((p) => p.id).filter(Boolean);
  const next = page.data && page.data.next;

  return html`<section aria-labelledby="tasks-h">
    <h2 id="tasks-h">${t('tasks.title')}</h2>
    <div class="filters">
      <label>${t('tasks.filter.state')}
        <select name="state" value=${state} onChange=${filter(setState)}>
          <option value="">${t('state.all')}</option>
          <option value="active">${t('state.active')}</option>
          ${STATES.map((s) => html`<option value=${s}>${t(`state.${s}`)}</option>`)}
        </select>
      </label>
      <label>${t('tasks.filter.provider')}
        <select name="provider" value=${provider} onChange=${filter(setProvider)}>
          <option value="">${t('tasks.filter.any')}</option>
          ${ids.map((id) => html`<option value=${id}>${id}</option>`)}
        </select>
      </label>
      <button type="button" onClick=${page.reload}>${t('tasks.refresh')}</button>
    </div>
    <${ErrorNote} error=${page.error} />
    <${Loading} when=${page.loading && !page.data} />
    ${page.data && rows.length === 0 && html`<p class="muted">${t('tasks.none')}</p>`}
    <ul class="tasks" aria-label=${t('tasks.title')}>
      ${rows.map((task) => html`<li class="task-row" data-task=${task.id} data-state=${task.state} data-provider=${task.provider} key=${task.id}>
        <a class="id" href=${`#/tasks/${task.id}`}>${task.id}</a>
        <span class="cell"><span class="k">${t('col.state')}</span><${StateBadge} state=${task.state} /></span>
        <span class="cell"><span class="k">${t('col.provider')}</span>${task.provider} · ${task.operation}</span>
        <span class="cell"><span class="k">${t('col.skill')}</span>${task.skill || '—'}</span>
        <span class="cell grow"><span class="k">${t('col.progress')}</span>
          <${ProgressBar} task=${task} label=${t('progress.of', { id: task.id })} /></span>
        <span class="cell eta"><span class="k">${t('col.eta')}</span>${eta(task, skills[task.skill], now, t, lang) || '—'}</span>
        <span class="cell age"><span class="k">${t('col.age')}</span>${duration(since(task.created_at, now), lang)}</span>
      </li>`)}
    </ul>
    <nav class="pager" aria-label=${t('tasks.pagination')}>
      <button type="button" disabled=${cursors.length === 1} onClick=${() => setCursors((c) => c.slice(0, -1))}>${t('tasks.newer')}</button>
      <span>${t('tasks.page', { n: cursors.length })}</span>
      <button type="button" disabled=${!next} onClick=${() => setCursors((c) => [...c, next])}>${t('tasks.older')}</button>
    </nav>
  </section>`;
}
