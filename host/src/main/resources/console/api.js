// The host's HTTP and WebSocket API, same origin. The key lives in sessionStorage: this tab only,
// gone when it closes, never in a cookie or in localStorage.

const KEY = 'skillhost.key';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  save: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

/** A failed call: the HTTP status and the host's problem+json document when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

let language = 'en';

/** The UI language, sent as Accept-Language so the host's own messages come in it. */
export function setApiLanguage(lang) {
  language = lang;
}

/**
 * One call. {body} is sent as JSON, {form} as multipart; answers the parsed JSON (or null).
 * {key} overrides the stored key (sign-in checks a key before keeping it).
 */
export async function api(path, { method = 'GET', body, form, key } = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': language };
  const k = key ?? session.key();
  if (k) headers.Authorization = `Bearer ${k}`;
  let payload;
  if (form) {
    payload = form;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload });
  } catch (e) {
    throw new ApiError(0, { detail: e.message });
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

const skillCache = new Map();

/** GET /v1/skills/{id}, kept for the page's life (a reloaded manifest shows on the Skills page). */
export function skillDetail(id) {
  if (!skillCache.has(id)) {
    const p = api(`/v1/skills/${encodeURIComponent(id)}`).catch((e) => {
      skillCache.delete(id);
      throw e;
    });
    skillCache.set(id, p);
  }
  return skillCache.get(id);
}

/**
 * WS /v1/stream for every task of the key: auth frame, then subscribe "*". Reconnects with a
 * growing pause; {onStatus} hears 'connecting' | 'live' | 'offline' (pages reload their lists on
 * 'live', since "*" sends live events only and some may have passed while offline).
 */
export class Stream {
  constructor(key, onEvent, onStatus) {
    this.key = key;
    this.onEvent = onEvent;
    this.onStatus = onStatus;
    this.closed = false;
    this.pause = 500;
  }

  open() {
    this.onStatus('connecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/v1/stream`);
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ op: 'auth', key: this.key }));
    ws.onmessage = (m) => {
      let frame;
      try {
        frame = JSON.parse(m.data);
      } catch {
        return;
      }
      if (frame.type === 'ready') {
        ws.send(JSON.stringify({ op: 'subscribe', task: '*' }));
      } else if (frame.type === 'subscribed') {
        this.pause = 500;
        this.onStatus('live');
      } else if (frame.task && frame.seq !== undefined) {
        this.onEvent(frame);
      }
    };
    ws.onclose = () => {
      if (this.closed) return;
      this.onStatus('offline');
      this.timer = setTimeout(() => this.open(), this.pause);
      this.pause = Math.min(this.pause * 2, 15000);
    };
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close();
  }
}

/** Fan-out of stream events and status to the pages that listen. */
export class Bus {
  constructor() {
    this.listeners = new Set();
  }

  on(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(message) {
    for (const fn of [...this.listeners]) fn(message);
  }
}

/** The input role a file plays, from its type: image, video or audio. */
export function roleOf(mime) {
  if (!mime) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return 'image';
}

/** POST /v1/uploads with one file; answers {id, mime, size, …}. */
export function upload(file) {
  const form = new FormData();
  form.append('file', file, file.name);
  return api('/v1/uploads', { method: 'POST', form });
}
