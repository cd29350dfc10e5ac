// The plumbing every scenario shares: a connected SDK client per API key, observations as JSON
// lines on stdout, and one plain line on stderr for a failure (McpTypeScriptClientTest reads both).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';

/** Thrown by {@link expect}; its message is the whole stderr line. */
export class ScenarioFailure extends Error {}

export function env(name, fallback) {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') throw new ScenarioFailure(`environment variable ${name} is not set`);
  return value;
}

const started = Date.now();

/** One observation: a JSON object on one line of stdout, with the milliseconds since the start. */
export function observe(obs, fields = {}) {
  process.stdout.write(JSON.stringify({ obs, ms: Date.now() - started, ...fields }) + '\n');
}

export function expect(condition, message) {
  if (!condition) throw new ScenarioFailure(message);
}

const sessions = [];
const clientErrors = [];

/**
 * A client connected to SKILLHOST_MCP_URL with `Authorization: Bearer <key>`. With `elicit`, the
 * client declares form elicitation and answers every elicitation/create with it. Errors the SDK
 * reports outside a request (a broken GET stream, a progress token it never sent) are kept and
 * printed at the end as the `client_errors` observation.
 */
export async function connect({ key = env('SKILLHOST_KEY'), elicit, quiet = false } = {}) {
  const transport = new StreamableHTTPClientTransport(new URL(env('SKILLHOST_MCP_URL')), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  });
  const client = new Client(
    { name: 'skillhost-contract', version: '0.1.0' },
    // strict: the SDK refuses to send a request the server's capabilities do not allow
    { capabilities: elicit ? { elicitation: { form: {} } } : {}, enforceStrictCapabilities: true },
  );
  // quiet: a connection expected to fail (its error is the observation, not a stray one)
  client.onerror = quiet ? () => {} : (e) => clientErrors.push(String(e?.message ?? e));
  if (elicit) client.setRequestHandler(ElicitRequestSchema, (request) => elicit(request.params));
  await client.connect(transport);
  sessions.push({ client, transport });
  return { client, transport };
}

/** A tool call that must succeed: answers its structuredContent after checking the content shape. */
export async function call(client, name, args, options = {}) {
  const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 90_000, ...options });
  expect(!result.isError, `${name} answered isError: ${text(result)}`);
  expect(result.structuredContent && typeof result.structuredContent === 'object', `${name} answered no structuredContent`);
  expect(Array.isArray(result.content) && result.content.some((c) => c.type === 'text'),
    `${name} answered no text content: ${JSON.stringify(result.content)}`);
  return result.structuredContent;
}

export function text(result) {
  return (result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join(' ');
}

/** The fields of a task result the Java side asserts on. */
export function task(t) {
  return {
    task_id: t.task_id, state: t.state, skill: t.skill, provider: t.provider, operation: t.operation,
    progress: t.progress ?? null, message: t.message ?? null, eta: t.eta ?? null, estimate: t.estimate ?? null,
    outputs: (t.outputs ?? []).map((o) => ({
      uri: o.uri, file: o.file, mime: o.mime, size: o.size, url: o.url,
      width: o.width ?? null, height: o.height ?? null, duration_s: o.duration_s ?? null,
    })),
    error: t.error ?? null,
  };
}

/** Reads a `skillhost://tasks/<id>/outputs/<n>` resource: its mime and bytes. */
export async function readOutput(client, uri) {
  const read = await client.readResource({ uri });
  expect(read.contents.length === 1, `resources/read ${uri} answered ${read.contents.length} contents`);
  const [content] = read.contents;
  expect(typeof content.blob === 'string', `resources/read ${uri} answered no blob: ${JSON.stringify(content).slice(0, 200)}`);
  return { uri: content.uri, mime: content.mimeType, bytes: Buffer.from(content.blob, 'base64') };
}

/** Ends every session (DELETE /mcp), then reports what the SDK called errors along the way. */
export async function closeAll() {
  for (const { client, transport } of sessions.splice(0)) {
    try {
      await transport.terminateSession();
    } catch (e) {
      clientErrors.push(`terminateSession: ${e.message}`);
    }
    await client.close();
  }
  observe('client_errors', { errors: clientErrors });
}

/** Runs a scenario: exit 0 after its last observation, else one line on stderr and exit 1. */
export async function run(name, scenario) {
  try {
    await scenario();
    await closeAll();
    process.exit(0);
  } catch (e) {
    const kind = e instanceof ScenarioFailure ? '' : e instanceof McpError ? `McpError ${e.code}: ` : `${e?.name ?? 'Error'}: `;
    const cause = e?.cause ? ` (${e.cause.code ?? e.cause.message ?? e.cause})` : '';
    process.stderr.write(`${name}: ${kind}${String(e?.message ?? e).replace(/\s+/g, ' ')}${cause}\n`);
    process.exit(1);
  }
}
