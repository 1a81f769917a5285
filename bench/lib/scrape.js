// Scrapes a URL N times in sequence (a separate process, so the client's parsing does not load
// the aggregator's event loop) and prints [{ms, bytes, status}] as JSON.
const [url, count = '5', pauseMs = '200'] = process.argv.slice(2);
const out = [];
for (let i = 0; i < Number(count); i++) {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = await res.arrayBuffer();
  out.push({ ms: performance.now() - t0, bytes: body.byteLength, status: res.status });
  await new Promise((r) => setTimeout(r, Number(pauseMs)));
}
process.stdout.write(`${JSON.stringify(out)}\n`);
