// Jest's global setup: the Swagger document in tests is the one `nest build` serves.
//
// Why: `nest build` runs the @nestjs/swagger CLI plugin (nest-cli.json: classValidatorShim, introspectComments),
// which writes into every DTO what its class-validator rules say (lengths, bounds, patterns, formats). Jest
// compiles with swc, which runs no TypeScript plugin, so without this the suites would see a poorer document
// than users do. This runs the same plugin's visitors in read-only mode (Nest's documented way for swc builds:
// PluginMetadataGenerator + ReadonlyVisitor) over the project, with the options of nest-cli.json, and writes
// test/.generated/swagger-plugin-metadata.ts; the harness loads it with SwaggerModule.loadPluginMetadata.
// Skipped when the sources, the plugin options and the @nestjs/swagger version are those it was made from.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT_DIR = join(ROOT, 'test', '.generated');
const FILE = 'swagger-plugin-metadata.ts';
const SOURCE_DIRS = ['src', 'modules', 'migrations', 'seeds'];

function swaggerPluginOptions() {
  const cli = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8'));
  const plugin = (cli.compilerOptions?.plugins ?? []).find((p) => (typeof p === 'string' ? p : p.name) === '@nestjs/swagger');
  if (!plugin) return undefined;
  return typeof plugin === 'string' ? {} : (plugin.options ?? {});
}

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

function fingerprint(options) {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(options));
  hash.update(readFileSync(join(ROOT, 'node_modules', '@nestjs', 'swagger', 'package.json')));
  hash.update(readFileSync(join(ROOT, 'tsconfig.json')));
  for (const dir of SOURCE_DIRS) {
    for (const file of tsFiles(join(ROOT, dir))) hash.update(file).update(readFileSync(file));
  }
  return hash.digest('hex');
}

export default async function generateSwaggerPluginMetadata() {
  const options = swaggerPluginOptions();
  const target = join(OUT_DIR, FILE);
  mkdirSync(OUT_DIR, { recursive: true });
  if (!options) {
    // No plugin in the build: the document in tests is already the built one.
    writeFileSync(target, 'export default async () => ({});\n');
    return;
  }
  const stamp = `// fingerprint ${fingerprint(options)}\n`;
  if (existsSync(target) && readFileSync(target, 'utf8').startsWith(stamp)) return;

  const { default: ts } = await import('typescript');
  const { PluginMetadataGenerator } = await import('@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator.js');
  const { ReadonlyVisitor } = await import('@nestjs/swagger/plugin');
  const parsed = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  // CommonJS resolution, as swc compiles the tests: the metadata's imports then carry no `.js` suffix jest could not resolve.
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: { ...parsed.options, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, noEmit: true },
  });
  new PluginMetadataGenerator().generate({
    visitors: [new ReadonlyVisitor({ ...options, pathToSource: OUT_DIR })],
    outputDir: OUT_DIR,
    filename: FILE,
    tsProgramRef: program,
  });
  writeFileSync(target, stamp + readFileSync(target, 'utf8'));
}
