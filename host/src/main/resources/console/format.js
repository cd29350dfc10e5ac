// Small formatting helpers shared by the pages.
import { useEffect, useState } from 'preact/hooks';

export const TERMINAL = ['succeeded', 'failed', 'cancelled'];
export const STATES = ['queued', 'submitting', 'running', 'awaiting_confirmation', 'succeeded', 'failed', 'cancelled', 'unknown'];
export const ACTIVE = ['queued', 'submitting', 'running', 'awaiting_confirmation'];

/** A number of seconds as "45 s", "3 min 5 s", "2 h 10 min" (或 "45 秒" …). */
export function duration(seconds, lang) {
  const zh = lang === 'zh';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return zh ? `${s} 秒` : `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) {
    const rest = s % 60;
    if (zh) return rest ? `${m} 分 ${rest} 秒` : `${m} 分钟`;
    return rest ? `${m} min ${rest} s` : `${m} min`;
  }
  const h = Math.floor(m / 60);
  if (h < 48) return zh ? `${h} 小时 ${m % 60} 分` : `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  return zh ? `${d} 天` : `${d} d`;
}

/** Seconds since an ISO instant. */
export function since(iso, now) {
  return (now - Date.parse(iso)) / 1000;
}

/**
 * What is left of a task: from its pace once it has moved (elapsed × rest ÷ done), else the
 * skill's ETA range for the operation; empty once it ended.
 */
export function eta(task, skill, now, t, lang) {
  if (!task || TERMINAL.includes(task.state) || task.state === 'awaiting_confirmation') return '';
  const p = task.progress;
  if (typeof p === 'number' && p >= 0.02 && p < 1) {
    const elapsed = since(task.created_at, now);
    return t('eta.left', { t: duration((elapsed * (1 - p)) / p, lang) });
  }
  const op = skill && skill.operations && skill.operations[task.operation];
  const range = op && op.eta && ((op.eta.models && op.eta.models[task.params && task.params.model]) || op.eta.default);
  if (range) {
    const [low, high] = range;
    const text = low === high ? duration(low, lang) : `${duration(low, lang)}–${duration(high, lang)}`;
    return t('eta.about', { t: text });
  }
  return '';
}

/** The current time, ticking every {ms} so ages and ETAs move on screen. */
export function useNow(ms = 1000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

export function time(iso, lang) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
}

export function bytes(n) {
  if (n === undefined || n === null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** "150 sim_credits" from an estimate {credits, unit}, or ''. */
export function cost(estimate) {
  if (!estimate || estimate.credits === undefined || estimate.credits === null) return '';
  return `${estimate.credits} ${estimate.unit || 'credits'}`;
}
