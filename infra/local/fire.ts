/** `npm run fire -- <schedule>`: fires one schedule now on the running local host. */
const name = process.argv[2];
if (!name) {
  console.error('Usage: npm run fire -- <schedule-name>   (e.g. enqueue-sweep)');
  process.exit(2);
}
const port = Number(process.env.PORT ?? 3000);
try {
  const response = await fetch(
    `http://127.0.0.1:${port}/__local/schedules/${encodeURIComponent(name)}`,
    {
      method: 'POST',
    },
  );
  const body = await response.text();
  if (!response.ok) {
    console.error(`Firing ${name} failed (${response.status}): ${body}`);
    process.exit(1);
  }
  console.info(`Fired ${name}: ${body}`);
} catch {
  console.error(`No local host answers on port ${port}. Start it with npm start (or set PORT).`);
  process.exit(1);
}
