// Adds lock entries for platform-specific optional packages that the local registry mirror does not serve,
// so that `npm ci` (which wants every optional edge in the lock) accepts the lock; npm skips them by os/cpu.
const fs = require('fs');
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
const pkgs = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [name, range] of Object.entries(meta.optionalDependencies || {})) {
    const base = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    if (pkgs[base] || pkgs[`node_modules/${name}`]) continue;
    const m = name.match(/-(darwin|linux|win32|freebsd|android|openharmony|sunos|netbsd|openbsd|aix)-(x64|arm64|arm|ia32|ppc64|s390x|riscv64|loong64|wasm32|universal)(?:-(gnu|musl|msvc|gnueabihf|musleabihf|eabi))?/);
    if (!m) { console.error('cannot infer platform of', name); continue; }
    const cpu = m[2] === 'universal' ? ['x64', 'arm64'] : [m[2]];
    const entry = { version: range.replace(/^[\^~=]/, ''), dev: !!meta.dev, optional: true, os: [m[1]], cpu };
    if (/gnu/.test(m[3] || '')) entry.libc = ['glibc'];
    if (/musl/.test(m[3] || '')) entry.libc = ['musl'];
    pkgs[`node_modules/${name}`] = entry;
    added++;
  }
}
fs.writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log('added', added, 'entries');
