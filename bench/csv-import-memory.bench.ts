/**
 * `npm run bench:csv-memory`: writes a 1,000,000-row lead CSV to a temporary file, boots the demo
 * host on a SQLite file, uploads the CSV to `POST /crm/imports/csv` over HTTP (streamed, as a
 * client would), follows the run to its end and prints the peak resident memory of the process
 * (`process.resourceUsage().maxRSS`: host, HTTP client side and import). Fails when the peak
 * passes 300 MB.
 *
 * `npm run bench:csv-memory` compiles it to JavaScript first (so the memory measured is the
 * import's, not an in-process TypeScript compiler's) and runs it WITHOUT a V8 heap cap. The live
 * heap is ~45 MB whatever the file size (mostly the loaded code); the peak is decided by the
 * garbage V8 lets pile up in the old generation before a full collection, up to about four times
 * the live heap on a machine with memory to spare. What put garbage there (found with
 * `--log-maps`, `--trace-gc-object-stats` and the sampling heap profiler): a hidden class per row
 * from `{ ...obj, extra }` objects, a prepared statement per failed row (TypeORM writes numbers
 * into SQLite's SQL text), and objects held for a whole batch. The dry run fits; the import
 * (`--write`) does not yet: see the README for the figures and what is left.
 *
 * Defaults to a dry run (every row matched and validated, nothing written). `--write` imports the
 * rows into the SQLite database instead; `--rows=N` changes the row count; `--statement-cache=N` sets
 * TypeORM's better-sqlite3 `statementCacheSize`; `--batch-size=N` sets `intake.csvBatchSize`.
 */
import 'reflect-metadata';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { join } from 'node:path';
import { createApp } from '../src/bootstrap';
import { CRM_ENTITIES, CRM_MIGRATIONS } from '../modules';

const ROWS = Number(process.argv.find((a) => a.startsWith('--rows='))?.slice(7) ?? 1_000_000);
const WRITE = process.argv.includes('--write');
/** TypeORM's better-sqlite3 `statementCacheSize` (default 100). */
const STATEMENT_CACHE = process.argv.find((a) => a.startsWith('--statement-cache='))?.slice(18);
const BATCH_SIZE = process.argv.find((a) => a.startsWith('--batch-size='))?.slice(13);
const LIMIT_MB = 300;
const TOKEN = 'bench-manager-token';

async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write('name,source,first_name,last_name,email,phone,city,sales_direction,product,external_id\n');
  for (let i = 1; i <= rows; i++) {
    const email = i % 50 === 0 ? 'not-an-email' : `lead${i}@bench.example`;
    await write(`"Lead ${i}, bench",${i % 2 ? 'bench' : 'Bench Source'},First${i},Last${i},${email},+1 555 ${String(i).padStart(7, '0')},City ${i % 97},fleet,van,B-${i}\n`);
  }
  out.end();
  await once(out, 'finish');
}

async function api(base: string, method: string, path: string, body?: object): Promise<any> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A multipart upload whose file part is piped from disk, never held in memory. */
function uploadCsv(port: number, path: string, bytes: number, dryRun: boolean): Promise<any> {
  const boundary = `----crm-bench-${Date.now()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="leads.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        port,
        method: 'POST',
        path: `/crm/imports/csv?dryRun=${dryRun}`,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + bytes + tail.length },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => (res.statusCode === 202 ? resolve(JSON.parse(text)) : reject(new Error(`upload: ${res.statusCode} ${text}`))));
      },
    );
    req.on('error', reject);
    req.write(head);
    const file = createReadStream(path);
    file.on('error', reject);
    file.on('end', () => req.end(tail));
    file.pipe(req, { end: false });
  });
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Where the resident memory is: V8's heap (used, and committed: what RSS sees), and what lives outside it (Buffers among it). */
function memoryLine(): string {
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return `rss ${mb(rss)} MB, heap ${mb(heapUsed)} MB used of ${mb(heapTotal)} MB, external ${mb(external)} MB (buffers ${mb(arrayBuffers)} MB)`;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-csv-bench-'));
  const csvPath = join(dir, 'leads.csv');
  try {
    let started = Date.now();
    await writeCsv(csvPath, ROWS);
    const { size } = await stat(csvPath);
    console.log(`CSV: ${ROWS.toLocaleString('en')} rows, ${mb(size)} MB on disk, written in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const app = await createApp(
      {
        database: {
          type: 'better-sqlite3',
          database: join(dir, 'crm.sqlite'),
          enableWAL: true,
          entities: CRM_ENTITIES,
          migrations: CRM_MIGRATIONS,
          synchronize: false,
          ...(STATEMENT_CACHE === undefined ? {} : { statementCacheSize: Number(STATEMENT_CACHE) }),
        },
        migrate: true,
        tokens: [{ token: TOKEN, user: { id: 'bench', roles: ['crm_manager'] } }],
        crm: { intake: { csvMaxBytes: 2 * 1024 * 1024 * 1024, ...(BATCH_SIZE === undefined ? {} : { csvBatchSize: Number(BATCH_SIZE) }) } },
      },
      false,
    );
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;
    await api(base, 'POST', '/crm/sales-directions', { name: 'Fleet', code: 'fleet' });
    await api(base, 'POST', '/crm/products', { name: 'Cargo Van', code: 'van' });
    await api(base, 'POST', '/crm/sources', { code: 'bench', name: 'Bench Source', type: 'campaign' });

    started = Date.now();
    const queued = await uploadCsv(port, csvPath, size, !WRITE);
    console.log(`Upload answered 202 (run ${queued.id}) after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    let run = queued;
    let lastLog = 0;
    while (run.status === 'queued' || run.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 500));
      run = await api(base, 'GET', `/crm/imports/runs/${queued.id}`);
      if (Date.now() - lastLog > (process.env.BENCH_LOG_MS ? Number(process.env.BENCH_LOG_MS) : 10_000)) {
        lastLog = Date.now();
        console.log(`  ${run.status}: ${run.processed.toLocaleString('en')}/${run.total?.toLocaleString('en') ?? '?'} rows, ${memoryLine()}`);
      }
    }
    const seconds = (Date.now() - started) / 1000;
    await app.close();

    const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(
      `Run ${run.status} (${WRITE ? 'import into SQLite' : 'dry run'}): total ${run.total}, processed ${run.processed}, created ${run.created}, updated ${run.updated}, skipped ${run.skipped}, failed ${run.failed} in ${seconds.toFixed(1)} s (${Math.round(run.processed / seconds).toLocaleString('en')} rows/s)`,
    );
    console.log(`Peak RSS (process.resourceUsage().maxRSS): ${peakMb} MB (limit ${LIMIT_MB} MB; V8 heap limit ${mb(getHeapStatistics().heap_size_limit)} MB)`);
    if (run.status !== 'succeeded') throw new Error(`run ${run.status}: ${run.error}`);
    if (peakMb > LIMIT_MB) throw new Error(`peak RSS ${peakMb} MB is over ${LIMIT_MB} MB`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ""}` : error);
  process.exit(1);
});
