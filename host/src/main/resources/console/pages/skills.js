// Skills: every manifest file, its live version, each problem as file:line:column with the hint,
// a refused edit; a live skill's operations and examples on demand.
import { useEffect } from 'preact/hooks';
import { api, skillDetail } from '../api.js';
import { time } from '../format.js';
import { ErrorNote, html, Loading, useCtx, useLoad } from '../ui.js';

/** file:line:column, with the file shown by its name (the host gives its full path). */
function where(p) {
  const file = String(p.file || '').split('/').pop();
  return `${file}:${p.line}:${p.column}`;
}

function Problems({ list }) {
  const { t } = useCtx();
  if (!list.length) return html`<p class="ok">${t('skills.ok')}</p>`;
  return html`<ul class="problems" aria-label=${t('skills.problems')}>
    ${list.map((p, i) => html`<li key=${i} class=${`problem ${String(p.severity || '').toLowerCase()}`}>
      <code class="where">${where(p)}</code>
      <span class="badge">${String(p.severity || '').toLowerCase()}</span>
      <span class="msg">${p.message}</span>
      ${p.pointer && html` <code class="muted">${p.pointer}</code>`}
      ${p.hint && html`<p class="hint"><strong>${t('skills.hint')}: </strong>${p.hint}</p>`}
    </li>`)}
  </ul>`;
}

function Detail({ id }) {
  const { t } = useCtx();
  const skill = useLoad(() => skillDetail(id), [id]);
  if (!skill.data) return html`<${Loading} when=${skill.loading} /><${ErrorNote} error=${skill.error} />`;
  const s = skill.data;
  return html`<div class="detail">
    <p>${s.description}${s.requires && s.requires.login ? html` <span class="badge">${t('skills.login')}</span>` : ''}</p>
    <h4>${t('skills.operations')}</h4>
    <ul>${Object.entries(s.operations).map(([name, op]) => html`<li key=${name}><code>${name}</code> — ${op.description}
      ${op.eta && html` <span class="muted">(${op.eta.default.join('–')} s)</span>`}
      ${op.confirm && html` <code class="muted">confirm: ${op.confirm}</code>`}</li>`)}</ul>
    <h4>${t('skills.examples')} (${s.examples.length})</h4>
    <p class="muted">${t('skills.examples.passed')}</p>
    <ul class="examples">${s.examples.map((e, i) => html`<li key=${i} data-example="pass"><span class="badge ok" aria-label=${t('skills.example.pass')}>✓</span> “${e.text}” <span class="muted">${e.locale} → ${e.expect}</span></li>`)}</ul>
  </div>`;
}

export function SkillsPage() {
  const { t, lang } = useCtx();
  const list = useLoad(() => api('/v1/skills'), []);
  // the host reloads an edited manifest within ~100 ms; look again every 2 s while this page is open
  useEffect(() => {
    const timer = setInterval(list.reload, 2000);
    return () => clearInterval(timer);
  }, [list.reload]);
  const skills = list.data ? list.data.skills : [];
  return html`<section aria-labelledby="skills-h">
    <h2 id="skills-h">${t('skills.title')}</h2>
    <button type="button" onClick=${list.reload}>${t('tasks.refresh')}</button>
    <${ErrorNote} error=${list.error} />
    <${Loading} when=${list.loading && !list.data} />
    <ul class="cards">
      ${skills.map((s) => html`<li class=${`card skill${s.refused ? ' refused' : ''}`} key=${s.file} data-file=${String(s.file).split('/').pop()}>
        <h3>${s.skill || String(s.file).split('/').pop()}
          ${s.version ? html` <span class="badge ok">${s.version}</span>` : html` <span class="badge bad">${t('skills.none_live')}</span>`}</h3>
        <dl>
          <dt>${t('skills.file')}</dt><dd><code>${s.file}</code></dd>
          <dt>${t('skills.checked')}</dt><dd>${time(s.checked_at, lang)}</dd>
        </dl>
        ${s.refused && html`<p class="error" role="alert">${s.live ? t('skills.refused') : t('skills.refused_none')}</p>`}
        <${Problems} list=${s.problems || []} />
        ${s.live && s.skill && html`<details><summary>${t('skills.operations')} · ${t('skills.examples')}</summary><${Detail} id=${s.skill} /></details>`}
      </li>`)}
    </ul>
  </section>`;
}
