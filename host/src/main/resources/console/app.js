// The console's shell: sign-in, the live stream, navigation (hash routes) and the language switch.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, Bus, session, setApiLanguage, Stream, ApiError } from './api.js';
import { initialLang, LANGS, saveLang, translator } from './i18n.js';
import { Ctx, html } from './ui.js';
import { TasksPage } from './pages/tasks.js';
import { TaskPage } from './pages/task.js';
import { NewTaskPage } from './pages/new.js';
import { SkillsPage } from './pages/skills.js';
import { ProvidersPage } from './pages/providers.js';
import { DeliveriesPage } from './pages/deliveries.js';

/** '#/tasks/t_1' → ['tasks', 't_1']; '' → ['tasks']. */
function parseHash() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return parts.length ? parts : ['tasks'];
}

function SignIn({ t, onKey }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('/v1/tasks?limit=1', { key: key.trim() });
      onKey(key.trim());
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('signin.bad') : err.message);
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="card signin" onSubmit=${submit}>
    <h2>${t('signin.title')}</h2>
    <p class="muted">${t('signin.intro')}</p>
    <label for="api-key">${t('signin.key')}</label>
    <input id="api-key" name="key" type="password" autocomplete="off" spellcheck="false" required
      value=${key} onInput=${(e) => setKey(e.target.value)} />
    <button type="submit" disabled=${busy}>${t('signin.submit')}</button>
    ${error && html`<p class="error" role="alert">${error}</p>`}
  </form>`;
}

function Nav({ t, route }) {
  const items = [['tasks', 'nav.tasks'], ['new', 'nav.new'], ['skills', 'nav.skills'], ['providers', 'nav.providers'],
    ['deliveries', 'nav.deliveries']];
  return html`<nav aria-label=${t('nav.label')}>
    ${items.map(([id, label]) => html`<a href=${`#/${id}`} aria-current=${route[0] === id ? 'page' : undefined}>${t(label)}</a>`)}
  </nav>`;
}

function Page({ route }) {
  switch (route[0]) {
    case 'tasks':
      // keyed by id: going from one task's page straight to another's (back, forward, a link)
      // starts afresh instead of applying the new task's events to the old one's state
      return route[1] ? html`<${TaskPage} key=${route[1]} id=${route[1]} />` : html`<${TasksPage} />`;
    case 'new':
      return html`<${NewTaskPage} />`;
    case 'skills':
      return html`<${SkillsPage} />`;
    case 'providers':
      return html`<${ProvidersPage} />`;
    case 'deliveries':
      return html`<${DeliveriesPage} />`;
    default:
      return html`<${TasksPage} />`;
  }
}

function App() {
  const [lang, setLang] = useState(initialLang());
  const [key, setKey] = useState(session.key());
  const [route, setRoute] = useState(parseHash());
  const [live, setLive] = useState('connecting');
  const bus = useMemo(() => new Bus(), []);
  const t = useMemo(() => translator(lang), [lang]);

  useEffect(() => {
    saveLang(lang);
    setApiLanguage(lang);
    document.title = t('app.title');
  }, [lang]);
  useEffect(() => {
    const onHash = () => setRoute(parseHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (!key) return undefined;
    const stream = new Stream(key, (e) => bus.emit({ event: e }), (s) => {
      setLive(s);
      bus.emit({ status: s });
    });
    stream.open();
    return () => stream.close();
  }, [key]);

  const signOut = () => {
    session.clear();
    setKey(null);
  };
  const ctx = useMemo(() => ({ t, lang, bus, live }), [t, lang, bus, live]);

  return html`<${Ctx.Provider} value=${ctx}>
    <header>
      <h1><a href="#/tasks">${t('app.title')}</a></h1>
      <div class="tools">
        ${key && html`<span class=${`live live-${live}`} role="status" aria-label=${t('live.label')}>${t(`live.${live}`)}</span>`}
        <label class="lang">
          <span class="sr-only">${t('lang.label')}</span>
          <select aria-label=${t('lang.label')} value=${lang} onChange=${(e) => setLang(e.target.value)}>
            ${LANGS.map(([id, name]) => html`<option value=${id}>${name}</option>`)}
          </select>
        </label>
        ${key && html`<button class="link" type="button" onClick=${signOut}>${t('signin.out')}</button>`}
      </div>
      ${key && html`<${Nav} t=${t} route=${route} />`}
    </header>
    <main>
      ${key ? html`<${Page} route=${route} />` : html`<${SignIn} t=${t} onKey=${(k) => {
        session.save(k);
        setKey(k);
      }} />`}
    </main>
  <//>`;
}

render(html`<${App} />`, document.getElementById('app'));
