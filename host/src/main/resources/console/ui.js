// Pieces every page uses: the html tag, the shared context, loading and error display.
import { h, createContext } from 'preact';
import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import htm from 'htm';

export const html = htm.bind(h);

/** {t, lang, bus, live}: the translator, the language, stream events, the stream's status. */
export const Ctx = createContext(null);
export const useCtx = () => useContext(Ctx);

/**
 * Runs {load} now and whenever {deps} change or reload() is called; answers
 * {data, error, loading, reload}. A reply that arrives after a newer call started is dropped.
 */
export function useLoad(load, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error) => current && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);
  return { ...state, reload };
}

export function ErrorNote({ error }) {
  const { t } = useCtx();
  if (!error) return null;
  const detail = error.status === 0 ? t('error.network') : error.message;
  return html`<p class="error" role="alert">${t('error.generic', { detail })}</p>`;
}

export function Loading({ when }) {
  const { t } = useCtx();
  return when ? html`<p class="muted" aria-live="polite">${t('loading')}</p>` : null;
}

export function StateBadge({ state }) {
  const { t } = useCtx();
  return html`<span class=${`badge state-${state}`} data-state=${state}>${t(`state.${state}`)}</span>`;
}

/** A <progress> with its percent beside it; indeterminate while nothing is known. */
export function ProgressBar({ task, label }) {
  const p = typeof task.progress === 'number' ? task.progress : task.state === 'succeeded' ? 1 : null;
  const pct = p === null ? '' : `${Math.round(p * 100)}%`;
  return html`<span class="progress">
    ${p === null
      ? html`<progress aria-label=${label}></progress>`
      : html`<progress max="1" value=${p} aria-label=${label}></progress>`}
    <span class="pct">${pct}</span>
  </span>`;
}

/** Text with its http(s) links made clickable (task messages carry result links). */
export function Linked({ text }) {
  if (!text) return null;
  const parts = String(text).split(/(https?:\/\/[^\s]+)/g);
  return parts.map((part, i) => (i % 2 === 1
    ? html`<a href=${part} target="_blank" rel="noopener noreferrer">${part}</a>`
    : part));
}

export function Json({ value, label }) {
  if (value === undefined || value === null) return null;
  return html`<pre class="json" aria-label=${label}>${JSON.stringify(value, null, 2)}</pre>`;
}
