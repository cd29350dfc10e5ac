// New task: in words with attached files (route preview, then submit exactly what it showed), or
// a skill and operation with a form generated from the manifest (GET /v1/skills/{id}).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, roleOf, skillDetail, upload } from '../api.js';
import { bytes, cost } from '../format.js';
import { ErrorNote, html, Json, Loading, useCtx, useLoad } from '../ui.js';

/** Uploads as they are picked: [{id, name, mime, size, preview}] plus a busy name and an error. */
function useUploads() {
  const [files, setFiles] = useState([]);
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const add = async (list, role) => {
    setError(null);
    for (const file of list) {
      setBusy(file.name);
      try {
        const info = await upload(file);
        const preview = file.type.startsWith('image/') ? URL.createObjectURL(file) : null;
        setFiles((f) => [...f, { ...info, name: file.name, preview, role: role || roleOf(info.mime) }]);
      } catch (e) {
        setError(e);
      }
    }
    setBusy(null);
  };
  const remove = (id) => setFiles((f) => f.filter((x) => x.id !== id));
  return { files, busy, error, add, remove };
}

function Attached({ uploads }) {
  const { t } = useCtx();
  return html`<ul class="attached">
    ${uploads.files.map((f) => html`<li key=${f.id} data-file=${f.id}>
      ${f.preview && html`<img src=${f.preview} alt="" />`}
      <span>${f.name} <span class="muted">${f.role} · ${f.mime} · ${bytes(f.size)}</span></span>
      <button type="button" class="link" aria-label=${t('new.remove', { name: f.name })} onClick=${() => uploads.remove(f.id)}>×</button>
    </li>`)}
    ${uploads.busy && html`<li class="muted" aria-live="polite">${t('new.uploading', { name: uploads.busy })}</li>`}
  </ul>`;
}

/** What the route still needs, in the page's language (the API's reasons are English words). */
function needsSaid(needs, provider, t) {
  if (needs.provider_loaded === undefined) return needs.reasons || [];
  const out = [];
  if (!needs.provider_loaded) out.push(t('new.route.needs.plugin', { id: provider }));
  if (needs.secrets && needs.secrets.length > 0) out.push(t('new.route.needs.secrets', { list: needs.secrets.join(', ') }));
  if (needs.login) out.push(t('new.route.needs.login'));
  if (needs.problem) out.push(needs.problem);
  return out;
}

function RoutePreview({ answer }) {
  const { t } = useCtx();
  if (answer.kind === 'unsupported') {
    return html`<div class="card route" role="status"><p>${t('new.route.unsupported')} <strong>${answer.skill}</strong></p>
      <p class="message">${answer.message}</p></div>`;
  }
  const confirm = answer.confirm || {};
  const needs = answer.needs || {};
  const reasons = needsSaid(needs, answer.provider, t);
  return html`<div class="card route" role="status" aria-labelledby="route-h">
    <h3 id="route-h">${t('new.route.title')}</h3>
    <dl>
      <dt>${t('new.route.skill')}</dt><dd class="route-skill">${answer.skill} <span class="muted">(${answer.provider})</span></dd>
      <dt>${t('new.route.operation')}</dt><dd class="route-operation">${answer.operation}</dd>
      <dt>${t('new.route.eta')}</dt><dd>${answer.eta ? answer.eta.text : '—'}</dd>
      <dt>${t('new.route.estimate')}</dt><dd class="route-estimate">${cost(answer.estimate) || '—'}</dd>
      <dt>${t('new.route.confirm')}</dt><dd class="route-confirm">${confirm.needed === true ? t('new.route.confirm.yes')
        : confirm.needed === false ? t('new.route.confirm.no') : t('new.route.confirm.maybe')}
        ${confirm.condition && html` <code>${confirm.condition}</code>`}</dd>
      <dt>${t('new.route.ready')}</dt><dd class=${answer.ready ? 'ok' : 'error'}>${answer.ready ? t('yes') : t('no')}</dd>
      ${reasons.length > 0 && html`<dt>${t('new.route.needs')}</dt><dd class="route-needs">${reasons.join('; ')}
        ${needs.login && html` · <a href="#/providers">${t('providers.login', { id: answer.provider })}</a>`}</dd>`}
    </dl>
    ${answer.message && html`<p class="muted">${t('new.route.message')}</p><p class="message route-message">${answer.message}</p>`}
    <p class="muted">${t('new.route.params')}</p>
    <${Json} value=${answer.params} label=${t('new.route.params')} />
    <${Candidates} list=${answer.candidates} />
  </div>`;
}

function Candidates({ list }) {
  const { t } = useCtx();
  if (!list || list.length === 0) return null;
  return html`<details open>
    <summary>${t('new.route.candidates')} (${list.length})</summary>
    <div class="scroll"><table class="candidates">
      <thead><tr><th>${t('new.route.skill')}</th><th>${t('new.route.operation')}</th><th>${t('new.route.why')}</th></tr></thead>
      <tbody>${list.map((c, i) => html`<tr key=${i}><td>${c.skill}</td><td>${c.operation}</td>
        <td class="wrap">${c.reason}${c.example ? html` <span class="muted">${t('new.route.example', { text: c.example })}</span>` : ''}</td></tr>`)}</tbody>
    </table></div>
  </details>`;
}

function inputsOf(files) {
  return files.map((f) => ({ role: f.role, file: f.id }));
}

function Words({ onCreated }) {
  const { t, lang } = useCtx();
  const [text, setText] = useState('');
  const uploads = useUploads();
  const [answer, setAnswer] = useState(null);
  const [problem, setProblem] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setAnswer(null), [text, uploads.files]);

  const preview = async (e) => {
    e.preventDefault();
    setError(null);
    setProblem(null);
    setBusy(true);
    try {
      setAnswer(await api('/v1/route', { method: 'POST', body: { text, attachments: uploads.files.map((f) => f.id), locale: lang } }));
    } catch (err) {
      if (err instanceof ApiError && err.problem.type && String(err.problem.type).includes('no-route')) setProblem(err.problem);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = { skill: answer.skill, operation: answer.operation, params: answer.params, text, inputs: inputsOf(uploads.files), locale: lang };
      onCreated(await api('/v1/tasks', { method: 'POST', body }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return html`<form class="card" onSubmit=${preview}>
    <label for="new-text">${t('new.text')}</label>
    <textarea id="new-text" name="text" rows="3" required placeholder=${t('new.text.placeholder')}
      value=${text} onInput=${(e) => setText(e.target.value)}></textarea>
    <label for="new-files">${t('new.files')}</label>
    <input id="new-files" name="files" type="file" multiple accept="image/*,video/*,audio/*"
      onChange=${(e) => { uploads.add([...e.target.files]); e.target.value = ''; }} />
    <${Attached} uploads=${uploads} />
    <${ErrorNote} error=${uploads.error} />
    <div class="actions">
      <button type="submit" disabled=${busy || !!uploads.busy}>${t('new.preview')}</button>
      <button type="button" class="primary" disabled=${busy || !answer || answer.kind !== 'route'} onClick=${submit}>
        ${answer && answer.kind === 'route' && !answer.ready ? t('new.submit_anyway') : t('new.submit')}</button>
    </div>
    ${answer && html`<${RoutePreview} answer=${answer} />`}
    ${problem && html`<div class="card route" role="status"><p class="error">${t('new.route.none')}</p>
      <p class="muted">${problem.detail}</p><${Candidates} list=${problem.candidates} /></div>`}
    <${ErrorNote} error=${error} />
  </form>`;
}

/** One field per parameter the manifest names: enums as a select, numbers with their range. */
function ParamField({ name, limit, value, onChange }) {
  const id = `param-${name}`;
  if (limit && Array.isArray(limit.enum)) {
    return html`<label for=${id}>${name}</label>
      <select id=${id} name=${name} value=${value ?? ''} onChange=${(e) => onChange(e.target.value === '' ? undefined : coerce(limit.enum, e.target.value))}>
        <option value="">—</option>
        ${limit.enum.map((v) => html`<option value=${String(v)}>${String(v)}</option>`)}
      </select>`;
  }
  const numeric = (limit && (limit.min !== undefined || limit.max !== undefined)) || typeof value === 'number';
  return html`<label for=${id}>${name}${limit && limit.min !== undefined ? ` (${limit.min}–${limit.max ?? '…'})` : ''}</label>
    <input id=${id} name=${name} type=${numeric ? 'number' : 'text'} step="any" min=${limit && limit.min} max=${limit && limit.max}
      value=${value ?? ''} onInput=${(e) => onChange(e.target.value === '' ? undefined : numeric ? Number(e.target.value) : e.target.value)} />`;
}

function coerce(options, text) {
  const match = options.find((o) => String(o) === text);
  return match === undefined ? text : match;
}

function Form({ onCreated }) {
  const { t, lang } = useCtx();
  const skills = useLoad(() => api('/v1/skills'), []);
  const [skillId, setSkillId] = useState('');
  const [opName, setOpName] = useState('');
  const [params, setParams] = useState({});
  const [prompt, setPrompt] = useState('');
  const [extra, setExtra] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const uploads = useUploads();
  const skill = useLoad(() => (skillId ? skillDetail(skillId) : Promise.resolve(null)), [skillId]);
  const op = skill.data && opName ? skill.data.operations[opName] : null;
  // The defaults are set when the operation is chosen, in the same render: set from an effect
  // they landed after the fields were shown, over what the user had typed in the meantime.
  const chooseOp = (name) => {
    const chosen = name && skill.data ? skill.data.operations[name] : null;
    setOpName(name);
    setParams(chosen ? { ...(chosen.defaults || {}) } : {});
  };

  const live = (skills.data ? skills.data.skills : []).filter((s) => s.live);
  const names = op ? [...new Set([...Object.keys(op.limits || {}), ...Object.keys(op.defaults || {})])] : [];
  const roles = op ? Object.entries(op.inputs || {}) : [];
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    let more = {};
    if (extra.trim()) {
      try {
        more = JSON.parse(extra);
      } catch {
        more = null;
      }
      if (!more || typeof more !== 'object' || Array.isArray(more)) {
        setError(new ApiError(400, { detail: t('new.extra.bad') }));
        return;
      }
    }
    const all = { ...params, ...more };
    if (prompt.trim()) all.prompt = prompt.trim();
    setBusy(true);
    try {
      onCreated(await api('/v1/tasks', {
        method: 'POST',
        body: { skill: skillId, operation: opName, params: all, inputs: inputsOf(uploads.files), locale: lang },
      }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return html`<form class="card" onSubmit=${submit}>
    <${ErrorNote} error=${skills.error} />
    <label for="form-skill">${t('new.skill')}</label>
    <select id="form-skill" name="skill" value=${skillId} required onChange=${(e) => { setSkillId(e.target.value); setOpName(''); setParams({}); }}>
      <option value="">${t('new.choose')}</option>
      ${live.map((s) => html`<option value=${s.skill}>${s.skill} ${s.version}</option>`)}
    </select>
    ${skill.data && html`<p class="muted">${skill.data.description}</p>
      <label for="form-operation">${t('new.operation')}</label>
      <select id="form-operation" name="operation" value=${opName} required onChange=${(e) => chooseOp(e.target.value)}>
        <option value="">${t('new.choose')}</option>
        ${Object.keys(skill.data.operations).map((name) => html`<option value=${name}>${name}</option>`)}
      </select>`}
    ${op && html`<p class="muted">${op.description}</p>
      <div class="grid">
        ${names.map((name) => html`<div class="field"><${ParamField} name=${name} limit=${(op.limits || {})[name]} value=${params[name]}
          onChange=${(v) => setParams((p) => { const next = { ...p }; if (v === undefined) delete next[name]; else next[name] = v; return next; })} /></div>`)}
      </div>
      <label for="form-prompt">${t('new.prompt')}</label>
      <textarea id="form-prompt" name="prompt" rows="2" value=${prompt} onInput=${(e) => setPrompt(e.target.value)}></textarea>
      ${roles.map(([role, need]) => html`<label for=${`form-input-${role}`}>${t('new.input', { role, need: t(need === 'required' ? 'new.required' : 'new.optional') })}</label>
        <input id=${`form-input-${role}`} type="file" name=${role} required=${need === 'required' && !uploads.files.some((f) => f.role === role)}
          onChange=${(e) => { uploads.add([...e.target.files], role); e.target.value = ''; }} />`)}
      <${Attached} uploads=${uploads} />
      <label for="form-extra">${t('new.extra')}</label>
      <textarea id="form-extra" name="extra" rows="2" spellcheck="false" placeholder='{"seed": 7}' value=${extra}
        onInput=${(e) => setExtra(e.target.value)}></textarea>
      <div class="actions"><button type="submit" class="primary" disabled=${busy || !!uploads.busy}>${busy ? t('new.submitting') : t('new.submit')}</button></div>`}
    <${Loading} when=${skill.loading && skillId} />
    <${ErrorNote} error=${uploads.error || error || skill.error} />
  </form>`;
}

export function NewTaskPage() {
  const { t } = useCtx();
  const [mode, setMode] = useState('words');
  const created = (task) => {
    location.hash = `#/tasks/${task.id}`;
  };
  return html`<section aria-labelledby="new-h">
    <h2 id="new-h">${t('new.title')}</h2>
    <div class="tabs" role="radiogroup" aria-label=${t('new.mode')}>
      ${[['words', 'new.mode.words'], ['form', 'new.mode.form']].map(([id, label]) => html`<label class=${mode === id ? 'on' : ''}>
        <input type="radio" name="mode" value=${id} checked=${mode === id} onChange=${() => setMode(id)} />${t(label)}</label>`)}
    </div>
    ${mode === 'words' ? html`<${Words} onCreated=${created} />` : html`<${Form} onCreated=${created} />`}
  </section>`;
}
