/**
 * `npm run fire -- <schedule> [--at 2027-01-10T09:00:00+08:00]`: fires one schedule on the
 * running local host, now or as if at the given time (its input's `scheduledTime`), so
 * escalation and digests can be tried without waiting.
 */
import { parseArgs } from 'node:util';

const usage =
  'Usage: npm run fire -- <schedule-name> [--at <ISO 8601 time>]   (e.g. sla-escalation --at 2027-01-10T09:00:00+08:00)';
let name: string | undefined;
let at: string | undefined;
try {
  const parsed = parseArgs({ allowPositionals: true, options: { at: { type: 'string' } } });
  name = parsed.positionals[0];
  at = parsed.values.at;
} catch {
  console.error(usage);
  process.exit(2);
}
if (!name || (at !== undefined && Number.isNaN(Date.parse(at)))) {
  console.error(usage);
  process.exit(2);
}
const port = Number(process.env.PORT ?? 3000);
const query = at ? `?${new URLSearchParams({ at: new Date(at).toISOString() })}` : '';
try {
  const response = await fetch(
    `http://127.0.0.1:${port}/__local/schedules/${encodeURIComponent(name)}${query}`,
    { method: 'POST' },
  );
  const body = await response.text();
  if (!response.ok) {
    console.error(`Firing ${name} failed (${response.status}): ${body}`);
    process.exit(1);
  }
  console.info(`Fired ${name}${at ? ` as if at ${at}` : ''}: ${body}`);
} catch {
  console.error(`No local host answers on port ${port}. Start it with npm start (or set PORT).`);
  process.exit(1);
}
