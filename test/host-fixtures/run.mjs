// Fixture hosts: installs nest-crm the way a user does (`npm pack`, then `npm install` of the tarball, no
// overrides) into a small host app on each supported Nest major, boots it with CrmModule.forRoot and with
// forRootAsync on SQLite (and on MariaDB when CRM_TEST_MYSQL_URL is set; the Nest 12 host on PostgreSQL too when
// CRM_TEST_POSTGRES_URL is set), and under each usual global
// ValidationPipe setup, runs smoke.mjs through it and lints its Swagger document with @redocly/cli. `.ci/run` calls it; by hand: `node test/host-fixtures/run.mjs`.
//
// The hosts are installed outside the repository (CRM_FIXTURE_DIR, default <tmp>/nest-crm-host-fixtures), so
// nothing resolves through the repository's own node_modules; each host is installed once per run.
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const work = process.env.CRM_FIXTURE_DIR ?? join(tmpdir(), 'nest-crm-host-fixtures');
const mysqlUrl = process.env.CRM_TEST_MYSQL_URL;
const postgresUrl = process.env.CRM_TEST_POSTGRES_URL;
const databases = ['sqlite', ...(mysqlUrl ? ['mariadb'] : [])];
// PostgreSQL on the Nest 12 host: the stack of most NestJS apps on it (TypeORM 1.x, pg).
const HOSTS = [
  { name: 'nest11', label: 'NestJS 11 + TypeORM 0.3', databases },
  { name: 'nest12', label: 'NestJS 12 + TypeORM 1.x', databases: [...databases, ...(postgresUrl ? ['postgres'] : [])] },
];
// Each database with both ways of mounting, under the strictest usual host pipe; then, on SQLite, the other
// global ValidationPipe setups hosts register (none, whitelist, + forbidNonWhitelisted, transform + implicit conversion).
const allCasesOf = (host) => [
  ...host.databases.flatMap((db) => ['forRoot', 'forRootAsync'].map((mount) => ({ db, mount, pipe: 'strict' }))),
  ...['none', 'whitelist', 'forbid', 'transform'].map((pipe) => ({ db: 'sqlite', mount: 'forRoot', pipe })),
];
const caseName = (host, c) => `${host.name} ${c.db} ${c.mount} pipe=${c.pipe}`;
// By hand, CRM_FIXTURE_ONLY=<text> runs only the cases whose name contains it (`nest12 postgres`); a host with none is not installed.
const only = process.env.CRM_FIXTURE_ONLY;
const casesOf = (host) => allCasesOf(host).filter((c) => !only || caseName(host, c).includes(only));
const run = promisify(execFile);

const log = (line) => console.log(`[host-fixtures] ${line}`);

async function sh(command, args, cwd, { quiet = false } = {}) {
  try {
    const { stdout } = await run(command, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } });
    return stdout;
  } catch (error) {
    if (!quiet) console.log(`${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${error.code})`);
  }
}

/** `npm pack` of the repository (its prepack builds it), as work/nest-crm.tgz, the path the hosts depend on. */
async function pack() {
  await mkdir(work, { recursive: true });
  const [info] = JSON.parse(await sh('npm', ['pack', '--json', '--pack-destination', work], repo));
  await rename(join(work, info.filename), join(work, 'nest-crm.tgz'));
  log(`packed ${info.filename}: ${info.entryCount} files, ${(info.size / 1024).toFixed(0)} kB`);
}

/** The distinct installed copies of a package in a host (npm query sees nested ones too). */
async function copies(dir, pkg) {
  const nodes = JSON.parse(await sh('npm', ['query', `#${pkg}`], dir));
  return [...new Set(nodes.map((n) => `${n.version} at ${n.location}`))];
}

/** Copies the host app and its package.json, installs it fresh against the tarball, builds it. */
async function install(host) {
  const dir = join(work, host.name);
  await mkdir(dir, { recursive: true });
  await rm(join(dir, 'dist'), { recursive: true, force: true });
  await rm(join(dir, 'package-lock.json'), { force: true });
  // The tarball's name never changes, so npm would keep an older install of it.
  await rm(join(dir, 'node_modules', 'nest-crm'), { recursive: true, force: true });
  await cp(join(here, 'app'), dir, { recursive: true });
  await cp(join(here, host.name, 'package.json'), join(dir, 'package.json'));
  const started = Date.now();
  await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], dir);
  log(`${host.name}: npm install in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  await sh('npm', ['run', '-s', 'build'], dir);
  console.log(`[host-fixtures] ${host.name} (${host.label}): npm ls @nestjs/core`);
  console.log((await sh('npm', ['ls', '@nestjs/core'], dir)).trimEnd());
  const problems = [];
  for (const pkg of ['@nestjs/core', '@nestjs/common', 'typeorm']) {
    const found = await copies(dir, pkg);
    if (found.length !== 1) problems.push(`${pkg}: ${found.length} copies (${found.join(', ')})`);
  }
  const versions = JSON.parse(await sh('npm', ['ls', '@nestjs/core', 'typeorm', '--json', '--depth=0'], dir)).dependencies;
  host.versions = `@nestjs/core ${versions['@nestjs/core'].version}, typeorm ${versions.typeorm.version}`;
  if (problems.length) throw new Error(`${host.name}: more than one copy: ${problems.join('; ')}`);
  return dir;
}

/** A database of the case's own; returns its DB_URL and how to drop it. */
async function database(dir, db, id) {
  if (db === 'sqlite') {
    const file = join(work, `${id}.sqlite`);
    for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true });
    return { url: `sqlite:${file}`, drop: async () => {} };
  }
  const name = `crm_fixture_${id.replace(/-/g, '_')}_${process.pid}`;
  if (db === 'postgres') return postgresDatabase(dir, name);
  const mysql = createRequire(join(dir, 'package.json'))('mysql2/promise');
  const admin = await mysql.createConnection(mysqlUrl);
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(mysqlUrl);
  url.pathname = `/${name}`;
  return {
    url: `mariadb://${url.toString().slice(url.protocol.length + 2)}`,
    drop: async () => {
      const c = await mysql.createConnection(mysqlUrl);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

/** A PostgreSQL database of the case's own, through the host's own pg. */
async function postgresDatabase(dir, name) {
  const { Client } = createRequire(join(dir, 'package.json'))('pg');
  const url = new URL(postgresUrl);
  // Databases are created and dropped from the server's maintenance database.
  url.pathname = '/postgres';
  const maintenance = url.toString();
  const admin = async (sql) => {
    const client = new Client({ connectionString: maintenance });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  // WITH (FORCE): a host that died mid-boot may leave a connection behind.
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`);
  url.pathname = `/${name}`;
  return { url: `postgres://${url.toString().slice(url.protocol.length + 2)}`, drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** Boots the host; resolves with its port once it logs it, and the process to stop. */
function boot(dir, env) {
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: dir, env: { ...process.env, ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error('the host did not start within 90 s'), { output })), 90_000);
    const collect = (chunk) => {
      output += chunk;
      const match = /HOST LISTENING (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), child, output: () => output });
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`the host exited with ${code} before listening`), { output }));
    });
  });
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** `redocly lint` (recommended rules) of a host's document: its errors, none expected. */
async function lint(file) {
  const out = await run(process.execPath, [join(repo, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js'), 'lint', file, '--format=json'], { maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => r.stdout,
    (error) => error.stdout ?? '',
  );
  const problems = JSON.parse(out.slice(out.indexOf('{'))).problems;
  return problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} at ${p.location?.[0]?.pointer}: ${p.message}`);
}

async function smoke(host, dir, { db, mount, pipe }) {
  const id = `${host.name}-${db}-${mount}-${pipe}`;
  const { url, drop } = await database(dir, db, id);
  let booted;
  let twin;
  try {
    const env = { DB_URL: url, CRM_MOUNT: mount, HOST_PIPE: pipe };
    // forRootAsync migrates under the CRM's migration lock: a second instance started at the same moment on the
    // same empty database must boot too (TypeORM's own migrationsRun would fail one with "already exists").
    const starts = await Promise.allSettled([boot(dir, env), ...(mount === 'forRootAsync' ? [boot(dir, env)] : [])]);
    [booted, twin] = starts.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
    const failedStart = starts.find((s) => s.status === 'rejected');
    if (failedStart) throw failedStart.reason;
    const docs = join(work, `${id}.docs.json`);
    const result = await new Promise((resolve) => {
      const child = spawn(process.execPath, [join(here, 'smoke.mjs'), `http://127.0.0.1:${booted.port}`, docs], { env: { ...process.env, HOST_PIPE: pipe }, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.on('exit', (code) => resolve({ code, out }));
    });
    const summary = /SMOKE OK (\d+) checks/.exec(result.out);
    if (result.code !== 0 || !summary) {
      console.log(result.out.trimEnd());
      console.log(booted.output().trimEnd());
      throw new Error('smoke failed');
    }
    const errors = await lint(docs);
    if (errors.length) {
      console.log(errors.join('\n'));
      throw new Error(`redocly lint: ${errors.length} errors in the host's Swagger document`);
    }
    return `${summary[1]} checks, Swagger lint clean${twin ? ', a second instance started at once booted too' : ''}`;
  } finally {
    if (booted) await stop(booted.child);
    if (twin) await stop(twin.child);
    await drop();
  }
}

const results = [];
const started = Date.now();
let packed = true;
try {
  await pack();
} catch (error) {
  packed = false;
  log(`FAILED npm pack: ${error.message}`);
}
for (const host of HOSTS.filter((h) => casesOf(h).length > 0)) {
  let dir;
  try {
    if (!packed) throw new Error('not packed');
    dir = await install(host);
  } catch (error) {
    for (const c of casesOf(host)) results.push({ id: caseName(host, c), ok: false, detail: `install: ${error.message}` });
    log(`FAILED ${host.name} install: ${error.message}`);
    continue;
  }
  for (const c of casesOf(host)) {
    const id = caseName(host, c);
    try {
      const detail = await smoke(host, dir, c);
      results.push({ id, ok: true, detail });
      log(`ok   ${id} (${host.versions}): ${detail}`);
    } catch (error) {
      if (error.output) console.log(error.output.trimEnd());
      results.push({ id, ok: false, detail: error.message });
      log(`FAIL ${id}: ${error.message}`);
    }
  }
}
const failed = results.filter((r) => !r.ok);
const versions = HOSTS.map((h) => `${h.name}: ${h.versions ?? 'not installed'}`).join('; ');
console.log(`Host fixtures: ${results.length - failed.length} passed, ${failed.length} failed (${databases.join(' + ')} × forRoot/forRootAsync${postgresUrl ? ', postgres × forRoot/forRootAsync on nest12' : ''}, 4 more host pipes on SQLite${only ? `; only the cases with "${only}"` : ''}; ${versions}) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed.length ? 1 : 0);
