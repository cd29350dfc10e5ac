// Skillhost's MCP server driven by the official TypeScript SDK client.
//   node scenario.mjs <name>
// Environment: SKILLHOST_MCP_URL (http://127.0.0.1:<port>/mcp), SKILLHOST_KEY; per scenario
// SKILLHOST_OTHER_KEY, SKILLHOST_PHOTO, SKILLHOST_OUT, SKILLHOST_TASK_ID.
// Prints one JSON object per observation on stdout; exits 1 with one line on stderr on a failure.
import { readFileSync, writeFileSync } from 'node:fs';
import { CallToolResultSchema, CreateTaskResultSchema, McpError, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { call, connect, env, expect, observe, readOutput, run, task, text } from './client.mjs';

const CAT = { text: 'make a short video of a cat', skill: 'sim' };

const scenarios = {
  /** (a) initialize, tools, route, generate, task_wait with progress, the output resource. */
  async basic() {
    const { client, transport } = await connect();
    observe('initialize', {
      protocol_version: transport.protocolVersion, session: Boolean(transport.sessionId),
      server: client.getServerVersion(), capabilities: client.getServerCapabilities(),
    });
    const { tools } = await client.listTools();
    observe('tools', {
      names: tools.map((t) => t.name),
      task_support: Object.fromEntries(tools.map((t) => [t.name, t.execution?.taskSupport ?? null])),
      output_schema: tools.filter((t) => t.outputSchema).map((t) => t.name),
      sim_t2v: tools.find((t) => t.name === 'sim_t2v')?.inputSchema ?? null,
    });
    const route = await call(client, 'route', { text: CAT.text, locale: 'en' });
    observe('route', { kind: route.kind, skill: route.skill, operation: route.operation, eta: route.eta ?? null });

    const created = await call(client, 'generate', { ...CAT, params: { duration_ms: 1000 } });
    observe('generate', task(created));
    const updates = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => updates.push(n.params.uri));
    await client.subscribeResource({ uri: `skillhost://tasks/${created.task_id}` });

    const progress = [];
    const done = await call(client, 'task_wait', { task_id: created.task_id, timeout_s: 30 }, {
      onprogress: (p) => progress.push({ progress: p.progress, total: p.total ?? null, message: p.message ?? null }),
      resetTimeoutOnProgress: true,
    });
    observe('progress', { notifications: progress });
    expect(progress.length >= 1, 'task_wait sent no notifications/progress for a call with a progressToken');
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].progress > progress[i - 1].progress,
        `progress did not increase: ${JSON.stringify(progress.map((p) => p.progress))}`);
    }
    observe('wait', task(done));
    expect(done.state === 'succeeded', `task_wait answered state ${done.state}`);

    const out = await readOutput(client, done.outputs[0].uri);
    observe('resource', { uri: out.uri, mime: out.mime, size: out.bytes.length, magic: out.bytes.subarray(0, 6).toString('latin1') });
    const status = JSON.parse((await client.readResource({ uri: `skillhost://tasks/${created.task_id}` })).contents[0].text);
    observe('task_resource', { state: status.state });
    const { resourceTemplates } = await client.listResourceTemplates();
    observe('templates', { uris: resourceTemplates.map((t) => t.uriTemplate) });
    const listed = await call(client, 'list_tasks', { limit: 5 });
    observe('list_tasks', { ids: listed.tasks.map((t) => t.task_id), next: listed.next ?? null });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the GET stream may trail the call's answer
    observe('resource_updates', { uris: updates });
  },

  /** (b) upload a PNG as base64, local_i2v on it, the MP4 from resources/read and from its signed link. */
  async upload_i2v() {
    const { client } = await connect();
    const png = readFileSync(env('SKILLHOST_PHOTO'));
    const up = await call(client, 'upload', { data: png.toString('base64'), mime: 'image/png', name: 'photo.png' });
    observe('upload', { file: up.file, mime: up.mime, size: up.size, expected_size: png.length });

    const created = await call(client, 'local_i2v', { image: up.file, duration: 1, prompt: 'slow zoom in' });
    observe('local_i2v', task(created));
    const done = await call(client, 'task_wait', { task_id: created.task_id, timeout_s: 60 });
    observe('wait', task(done));
    expect(done.state === 'succeeded', `local i2v ended ${done.state}: ${JSON.stringify(done.error ?? null)}`);
    const out = await readOutput(client, done.outputs[0].uri);
    writeFileSync(env('SKILLHOST_OUT'), out.bytes);
    const signed = await fetch(done.outputs[0].url);
    const viaLink = Buffer.from(await signed.arrayBuffer());
    observe('resource', {
      mime: out.mime, size: out.bytes.length, box: out.bytes.subarray(4, 8).toString('latin1'),
      link_status: signed.status, link_same_bytes: viaLink.equals(out.bytes),
    });

    // the same picture by words: generate with the upload as an attachment routes to an i2v
    const worded = await call(client, 'generate', {
      text: 'animate this photo', skill: 'sim', attachments: [up.file], params: { duration_ms: 200 }, wait_s: 20,
    });
    observe('generate_attachment', task(worded));
  },

  /** (c) a task-augmented tools/call: CreateTaskResult, tasks/get polls, tasks/result. */
  async task_augmented() {
    const { client } = await connect();
    await client.listTools(); // lets the SDK validate structuredContent against each outputSchema
    const messages = [];
    const progress = []; // the call's progress token stays valid for the task's lifetime (2025-11-25)
    const stream = client.experimental.tasks.callToolStream(
      { name: 'generate', arguments: { ...CAT, params: { duration_ms: 600 } } }, undefined,
      { task: { ttl: 60000 }, timeout: 60_000, onprogress: (p) => progress.push(p.progress) });
    for await (const m of stream) {
      if (m.type === 'error') throw m.error;
      messages.push(m.type === 'result'
        ? { type: m.type, is_error: m.result.isError ?? false, structured: task(m.result.structuredContent ?? {}),
          content_types: m.result.content.map((c) => c.type) }
        : { type: m.type, task_id: m.task.taskId, status: m.task.status, ttl: m.task.ttl ?? null, poll_interval: m.task.pollInterval ?? null });
    }
    observe('stream', { messages });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the GET stream may trail tasks/result's answer
    observe('task_progress', { values: progress });
    const created = messages.find((m) => m.type === 'taskCreated');
    expect(created, `no taskCreated in ${JSON.stringify(messages.map((m) => m.type))}`);
    const { tasks } = await client.experimental.tasks.listTasks();
    observe('tasks_list', { ids: tasks.map((t) => t.taskId), statuses: Object.fromEntries(tasks.map((t) => [t.taskId, t.status])) });

    const op = client.experimental.tasks.callToolStream(
      { name: 'sim_t2v', arguments: { prompt: 'a cat', duration_ms: 300 } }, undefined, { task: {}, timeout: 60_000 });
    const types = [];
    let final = null;
    for await (const m of op) {
      if (m.type === 'error') throw m.error;
      types.push(m.type);
      if (m.type === 'result') final = task(m.result.structuredContent ?? {});
    }
    observe('operation_stream', { types, result: final });
  },

  /** (d) cancel: the cancel tool on a long sim task, and tasks/cancel on a task-augmented one. */
  async cancel() {
    const { client } = await connect();
    const created = await call(client, 'generate', { ...CAT, params: { duration_ms: 60000 } });
    observe('generate', task(created));
    const cancelled = await call(client, 'cancel', { task_id: created.task_id });
    observe('cancel', task(cancelled));
    observe('status', task(await call(client, 'task_status', { task_id: created.task_id })));

    const made = await client.request({ method: 'tools/call', params: { name: 'generate', arguments: { ...CAT, params: { duration_ms: 60000 } } } },
      CreateTaskResultSchema, { task: { ttl: 60000 } });
    observe('task_created', { task_id: made.task.taskId, status: made.task.status });
    const mcpCancelled = await client.experimental.tasks.cancelTask(made.task.taskId);
    observe('tasks_cancel', { task_id: mcpCancelled.taskId, status: mcpCancelled.status });
    const got = await client.experimental.tasks.getTask(made.task.taskId);
    observe('tasks_get', { task_id: got.taskId, status: got.status });
    observe('status2', task(await call(client, 'task_status', { task_id: made.task.taskId })));
  },

  /** (e) what goes wrong: unknown tool, wrong arguments, unknown task, another key's task, a bad key. */
  async errors() {
    const { client } = await connect();
    try {
      await client.callTool({ name: 'no_such_tool', arguments: {} });
      observe('unknown_tool', { error: null });
    } catch (e) {
      observe('unknown_tool', { error: e instanceof McpError ? { code: e.code, message: e.message } : { name: e.name, message: e.message } });
    }
    const noText = await client.callTool({ name: 'generate', arguments: { skill: 'sim' } });
    observe('missing_argument', { is_error: noText.isError ?? false, text: text(noText) });
    const unknown = await client.callTool({ name: 'task_status', arguments: { task_id: 't_nosuchtask' } });
    observe('unknown_task', { is_error: unknown.isError ?? false, text: text(unknown) });

    const mine = await call(client, 'generate', { ...CAT, params: { duration_ms: 60000 } });
    const other = (await connect({ key: env('SKILLHOST_OTHER_KEY') })).client;
    const theirs = await other.callTool({ name: 'task_status', arguments: { task_id: mine.task_id } });
    observe('other_key_status', { is_error: theirs.isError ?? false, text: text(theirs), leaked: JSON.stringify(theirs).includes('make a short video') });
    const theirCancel = await other.callTool({ name: 'cancel', arguments: { task_id: mine.task_id } });
    observe('other_key_cancel', { is_error: theirCancel.isError ?? false, text: text(theirCancel) });
    try {
      const got = await other.experimental.tasks.getTask(mine.task_id);
      observe('other_key_tasks_get', { error: null, status: got.status });
    } catch (e) {
      observe('other_key_tasks_get', { error: { code: e.code ?? null, message: e.message } });
    }
    try {
      const read = await other.readResource({ uri: `skillhost://tasks/${mine.task_id}` });
      observe('other_key_resource', { error: null, leaked: JSON.stringify(read).includes(mine.task_id) });
    } catch (e) {
      observe('other_key_resource', { error: { code: e.code ?? null, message: e.message } });
    }
    observe('still_mine', task(await call(client, 'task_status', { task_id: mine.task_id })));
    await call(client, 'cancel', { task_id: mine.task_id });

    try {
      await connect({ key: 'sk-not-a-key', quiet: true });
      observe('bad_key', { error: null });
    } catch (e) {
      observe('bad_key', { error: { code: e.code ?? null, message: e.message } });
    }
  },

  /** (f) ChatArt asks to confirm every spend: a client that can be asked (accept, then decline). */
  async confirm_elicit() {
    const asked = [];
    let answer = 'accept';
    const { client } = await connect({
      elicit: (params) => {
        asked.push({ mode: params.mode ?? null, message: params.message, schema: params.requestedSchema ?? null });
        return answer === 'accept' ? { action: 'accept', content: {} } : { action: answer };
      },
    });
    const accepted = await call(client, 'generate', { text: 'draw a red fox in the snow', skill: 'chatart', locale: 'en' });
    observe('generate', task(accepted));
    observe('elicitations', { asked: asked.splice(0) });
    const done = await call(client, 'task_wait', { task_id: accepted.task_id, timeout_s: 30 });
    observe('wait', task(done));

    answer = 'decline';
    const declined = await call(client, 'generate', { text: 'draw a blue fox in the snow', skill: 'chatart', locale: 'en' });
    observe('declined', task(declined));
    observe('elicitations_declined', { asked: asked.splice(0) });
  },

  /** (f) the same without elicitation: awaiting_confirmation, the confirm tool, task_wait. */
  async confirm_tool() {
    const { client } = await connect();
    const created = await call(client, 'generate', { text: 'draw a red fox in the snow', skill: 'chatart', locale: 'en' });
    observe('generate', task(created));
    expect(created.state === 'awaiting_confirmation', `generate answered ${created.state}, not awaiting_confirmation`);
    observe('awaiting', task(await call(client, 'task_status', { task_id: created.task_id })));
    observe('confirm', task(await call(client, 'confirm', { task_id: created.task_id })));
    observe('wait', task(await call(client, 'task_wait', { task_id: created.task_id, timeout_s: 30 })));
  },

  /**
   * (h) the test's proxy drops the connection of task_wait's answer stream after its first
   * progress note: the SDK resumes it with GET and Last-Event-ID and gets the rest and the answer.
   */
  async resume_cut() {
    const { client } = await connect();
    const created = await call(client, 'generate', { ...CAT, params: { duration_ms: 2500 } });
    const progress = [];
    const done = await call(client, 'task_wait', { task_id: created.task_id, timeout_s: 30 }, {
      onprogress: (p) => progress.push(p.progress), resetTimeoutOnProgress: true,
    });
    observe('resumed', { task_id: created.task_id, state: done.state, progress });
  },

  /** (g) phase 1: a task-augmented generate; the test restarts the host after this prints its id. */
  async resume_create() {
    const { client } = await connect();
    const made = await client.request({ method: 'tools/call', params: { name: 'generate', arguments: { ...CAT, params: { duration_ms: 2500 } } } },
      CreateTaskResultSchema, { task: { ttl: 60000 } });
    observe('task_created', { task_id: made.task.taskId, status: made.task.status });
  },

  /** (g) phase 2, in a new session of the restarted host: tasks/get, tasks/result, task_status. */
  async resume_finish() {
    const { client } = await connect();
    const id = env('SKILLHOST_TASK_ID');
    const got = await client.experimental.tasks.getTask(id);
    observe('tasks_get', { task_id: got.taskId, status: got.status });
    const result = await client.experimental.tasks.getTaskResult(id, CallToolResultSchema, { timeout: 60_000 });
    observe('tasks_result', { is_error: result.isError ?? false, structured: task(result.structuredContent ?? {}) });
    observe('status', task(await call(client, 'task_status', { task_id: id })));
  },
};

const name = process.argv[2];
if (!scenarios[name]) {
  process.stderr.write(`usage: node scenario.mjs <${Object.keys(scenarios).join('|')}>\n`);
  process.exit(2);
}
await run(name, scenarios[name]);
