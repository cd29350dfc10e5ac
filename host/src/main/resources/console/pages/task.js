// One task: state, progress, the confirm panel with the estimate, messages, outputs in place,
// the event timeline and the deliveries. Live from the stream.
import { useEffect, useState } from 'preact/hooks';
import { api, skillDetail } from '../api.js';
import { cost, eta, time, TERMINAL, useNow } from '../format.js';
import { ErrorNote, html, Json, Linked, Loading, ProgressBar, StateBadge, useCtx, useLoad } from '../ui.js';
import { applyEvent } from './tasks.js';

/** The estimate of the latest ask to confirm: {credits, unit} or null. */
function askedCost(events) {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.type === 'state' && e.state === 'awaiting_confirmation') return (e.data && e.data.cost) || null;
  }
  return null;
}

function Confirm({ task, events, onDone }) {
  const { t } = useCtx();
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const estimate = askedCost(events);
  const asked = [...events].reverse().find((e) => e.state === 'awaiting_confirmation' && e.message);
  const text = cost(estimate);
  const go = async () => {
    setBusy(true);
    try {
      onDone(await api(`/v1/tasks/${task.id}/confirm`, { method: 'POST', body: {} }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="card confirm" aria-labelledby="confirm-h">
    <h3 id="confirm-h">${t('task.confirm.title')}</h3>
    <p><strong>${t('task.confirm.estimate')}: </strong>
      <span class="estimate">${text || t('task.confirm.unknown')}</span></p>
    ${asked && html`<p class="message">${asked.message}</p>`}
    <button type="button" class="primary" disabled=${busy} onClick=${go}>
      ${text ? t('task.confirm.button', { cost: text }) : t('task.confirm.button_unknown')}</button>
    <${ErrorNote} error=${error} />
  </section>`;
}

function Output({ task, output, n }) {
  const { t } = useCtx();
  const src = output.link || output.url;
  // the type of the bytes decides the element: a "video" output may be an animated GIF
  const kind = (output.mime || '').split('/')[0] || output.kind;
  const name = `${task.id}-${n}`;
  let media = null;
  if (src && kind === 'image') {
    media = html`<img src=${src} alt=${t('task.output_alt', { n, id: task.id })} loading="lazy" />`;
  } else if (src && kind === 'video') {
    media = html`<video controls preload="metadata" playsinline src=${src} aria-label=${t('task.video_label', { n, id: task.id })}></video>`;
  }
  const meta = output.meta || {};
  const facts = [output.mime, meta.width && `${meta.width}×${meta.height}`, meta.duration_ms && `${(meta.duration_ms / 1000).toFixed(1)} s`]
    .filter(Boolean).join(' · ');
  return html`<figure class="output" data-kind=${kind}>
    ${media}
    <figcaption>
      <span class="muted">${facts}</span>
      ${src && html`<a class="button" href=${src} download=${name}>${t('task.download')}</a>`}
      ${src && !media && html`<a href=${src} target="_blank" rel="noopener noreferrer">${t('task.open')}</a>`}
    </figcaption>
  </figure>`;
}

function summary(e, t) {
  const d = e.data || {};
  if (e.type === 'progress') return [typeof d.fraction === 'number' ? `${Math.round(d.fraction * 100)}%` : '', d.message].filter(Boolean).join(' ');
  if (e.type === 'error') return [d.kind, d.code, d.message].filter(Boolean).join(' · ');
  if (e.type === 'output') return [d.kind, d.mime].filter(Boolean).join(' ');
  if (e.type === 'state') return [d.from && `${t(`state.${d.from}`)} →`, t(`state.${e.state}`), d.cost && cost(d.cost)].filter(Boolean).join(' ');
  return '';
}

function Deliveries({ id, version }) {
  const { t, lang } = useCtx();
  const list = useLoad(() => api(`/v1/tasks/${id}/deliveries`), [id, version]);
  const rows = list.data ? list.data.deliveries : [];
  return html`<section aria-labelledby="deliveries-h">
    <h3 id="deliveries-h">${t('task.deliveries')}</h3>
    <${ErrorNote} error=${list.error} />
    ${list.data && rows.length === 0 && html`<p class="muted">${t('task.no_deliveries')}</p>`}
    ${rows.length > 0 && html`<div class="scroll"><table>
      <thead><tr><th>${t('col.type')}</th><th>${t('col.target')}</th><th>${t('col.state')}</th><th>${t('col.attempts')}</th>
        <th>${t('col.next')}</th><th>${t('col.last_error')}</th></tr></thead>
      <tbody>${rows.map((d) => html`<tr key=${d.id}>
        <td>${d.kind} (${d.event_type} #${d.event_seq})</td><td class="wrap">${d.url || d.channel}</td><td>${d.state}</td>
        <td>${d.attempts}</td><td>${time(d.next_attempt_at, lang)}</td><td class="wrap">${d.last_error || ''}</td></tr>`)}
      </tbody></table></div>`}
  </section>`;
}

export function TaskPage({ id }) {
  const { t, lang, bus } = useCtx();
  const now = useNow();
  const loaded = useLoad(() => Promise.all([
    api(`/v1/tasks/${encodeURIComponent(id)}`),
    api(`/v1/tasks/${encodeURIComponent(id)}/events`),
  ]), [id]);
  const [task, setTask] = useState(null);
  const [events, setEvents] = useState([]);
  const [skill, setSkill] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    if (!loaded.data) return;
    const [tk, evs] = loaded.data;
    // the task and its events are read side by side, and stream events may have come before
    // either: whatever is newer than the task's own seq is applied on top of it
    setEvents((old) => {
      const all = merge(old, evs);
      setTask(all.filter((e) => e.seq > (tk.seq || 0)).reduce(applyEvent, tk));
      return all;
    });
  }, [loaded.data]);
  useEffect(() => {
    if (task && task.skill) skillDetail(task.skill).then(setSkill, () => setSkill(null));
  }, [task && task.skill]);

  useEffect(() => bus.on((m) => {
    if (m.status === 'live') loaded.reload();
    const e = m.event;
    if (!e || e.task !== id) return;
    setEvents((old) => merge(old, [e]));
    setTask((tk) => (tk && tk.id === e.task ? applyEvent(tk, e) : tk));
    // outputs and their signed links come with the task itself
    if (e.type === 'output' || (e.type === 'state' && TERMINAL.includes(e.state))) {
      api(`/v1/tasks/${encodeURIComponent(id)}`).then(setTask, setError);
    }
  }), [bus, id, loaded.reload]);

  if (!task) {
    return html`<section><a href="#/tasks">${t('task.back')}</a><${ErrorNote} error=${loaded.error} /><${Loading} when=${loaded.loading} /></section>`;
  }
  const cancel = async () => {
    try {
      setTask(await api(`/v1/tasks/${task.id}/cancel`, { method: 'POST', body: {} }));
    } catch (e) {
      setError(e);
    }
  };
  // progress talks at every step: only its latest word stays; the result is said twice (its
  // output, then success) in the same words: shown once
  const lastProgress = events.filter((e) => e.type === 'progress' && e.message).pop();
  const messages = events.filter((e, i) => e.message && (e.type !== 'progress' || e === lastProgress)
    && !events.slice(0, i).some((p) => p.message === e.message));
  const outputs = task.outputs || [];
  return html`<section class="task" aria-labelledby="task-h" data-task=${task.id} data-state=${task.state}>
    <a href="#/tasks">${t('task.back')}</a>
    <h2 id="task-h">${t('task.title', { id: task.id })}</h2>
    <div class="card summary">
      <p class="headline"><${StateBadge} state=${task.state} />
        <${ProgressBar} task=${task} label=${t('progress.of', { id: task.id })} />
        <span class="eta">${eta(task, skill, now, t, lang)}</span></p>
      <dl>
        <dt>${t('col.skill')}</dt><dd>${task.skill || '—'}</dd>
        <dt>${t('col.provider')}</dt><dd>${task.provider}${task.provider_version ? ` ${task.provider_version}` : ''}</dd>
        <dt>${t('task.operation')}</dt><dd>${task.operation}</dd>
        <dt>${t('task.created')}</dt><dd>${time(task.created_at, lang)}</dd>
        <dt>${t('task.updated')}</dt><dd>${time(task.updated_at, lang)}</dd>
      </dl>
      ${task.error && html`<p class="error" role="alert"><strong>${t('task.error')}: </strong>${task.error.message}
        ${task.error.kind ? ` (${task.error.kind}${task.error.code ? ` ${task.error.code}` : ''})` : ''}</p>`}
      ${!TERMINAL.includes(task.state) && html`<button type="button" class="danger" onClick=${cancel}>${t('task.cancel')}</button>`}
      <${ErrorNote} error=${error} />
    </div>
    ${task.state === 'awaiting_confirmation' && html`<${Confirm} task=${task} events=${events} onDone=${setTask} />`}
    <section aria-labelledby="outputs-h">
      <h3 id="outputs-h">${t('task.outputs')}</h3>
      ${outputs.length === 0 ? html`<p class="muted">${t('task.no_outputs')}</p>`
        : html`<div class="outputs">${outputs.map((o, i) => html`<${Output} key=${i} task=${task} output=${o} n=${i + 1} />`)}</div>`}
    </section>
    <section aria-labelledby="messages-h">
      <h3 id="messages-h">${t('task.messages')}</h3>
      ${messages.length === 0 ? html`<p class="muted">${t('task.no_messages')}</p>`
        : html`<ol class="messages">${messages.map((e) => html`<li key=${e.seq}><time>${time(e.at, lang)}</time>
            <p><${Linked} text=${e.message} /></p></li>`)}</ol>`}
    </section>
    <details>
      <summary>${t('task.params')} · ${t('task.inputs')}</summary>
      <${Json} value=${task.params} label=${t('task.params')} />
      <${Json} value=${task.inputs} label=${t('task.inputs')} />
    </details>
    <section aria-labelledby="timeline-h">
      <h3 id="timeline-h">${t('task.timeline')}</h3>
      <div class="scroll"><table class="timeline">
        <thead><tr><th>${t('col.seq')}</th><th>${t('col.at')}</th><th>${t('col.type')}</th><th>${t('col.detail')}</th></tr></thead>
        <tbody>${events.map((e) => html`<tr key=${e.seq} data-type=${e.type}>
          <td>${e.seq}</td><td>${time(e.at, lang)}</td><td>${e.type}</td><td class="wrap">${summary(e, t)}</td></tr>`)}</tbody>
      </table></div>
    </section>
    <${Deliveries} id=${task.id} version=${TERMINAL.includes(task.state) ? 'end' : 'open'} />
  </section>`;
}

/** Events by seq, each once. */
function merge(old, more) {
  const bySeq = new Map(old.map((e) => [e.seq, e]));
  for (const e of more) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
