// Completes package-lock.json for `npm ci`: the registry this project installs from serves only some
// platforms' builds of optional native packages, so `npm install` records no entry for the others while
// their parents still name them, and `npm ci` then refuses the lock. Each missing entry is added as
// optional with its os/cpu, which `npm ci` skips on other platforms. Run after regenerating the lock:
// `node scripts/complete-lockfile.js package-lock.json`.
const fs = require('fs');
const path = process.argv[2];
const lock = JSON.parse(fs.readFileSync(path, 'utf8'));
const platform = (name) => {
  const os = ['android', 'darwin', 'freebsd', 'linux', 'win32', 'openharmony', 'wasm32'].find((o) => name.includes(`-${o}-`) || name.endsWith(`-${o}`));
  const cpu = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x'].find((c) => new RegExp(`-${c}(-|$)`).test(name));
  return { os, cpu };
};
let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${dep}`;
    if (lock.packages[target] || lock.packages[`${key}/${target}`]) continue;
    const { os, cpu } = platform(dep);
    lock.packages[target] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...(os ? { os: [os === 'wasm32' ? 'wasm32' : os] } : {}), ...(cpu ? { cpu: [cpu] } : {}) };
    added += 1;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(path, JSON.stringify(lock, null, 2) + '\n');
process.stdout.write(`added ${added} entries\n`);
