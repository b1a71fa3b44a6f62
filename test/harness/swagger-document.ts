import { join } from 'node:path';
import { SwaggerModule } from '@nestjs/swagger';

type PluginMetadata = Record<string, Record<string, [Promise<Record<string, unknown>>, Record<string, unknown>][]>>;

/** Written by the global setup (swagger-plugin-metadata.mjs); read by path, so tsc does not need it to exist. */
const METADATA_FILE = join(__dirname, '..', '.generated', 'swagger-plugin-metadata');

/**
 * Gives this suite's classes what the swagger CLI plugin gives them under `nest build`, so the document the
 * suite serves is the one users get. Classes a module does not export (a controller made by a factory) are
 * left out: the loader could not reach them, and their routes say everything with explicit decorators.
 */
export async function loadSwaggerPluginMetadata(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const generated: () => Promise<PluginMetadata> = require(METADATA_FILE).default;
  const metadata = await generated();
  const reachable: PluginMetadata = {};
  for (const [pkg, sections] of Object.entries(metadata)) {
    reachable[pkg] = {};
    for (const [section, files] of Object.entries(sections)) {
      reachable[pkg][section] = await Promise.all(
        files.map(async ([file, classes]) => {
          const exports = await file;
          const kept = Object.fromEntries(Object.entries(classes).filter(([name]) => exports[name] !== undefined));
          return [Promise.resolve(exports), kept] as [Promise<Record<string, unknown>>, Record<string, unknown>];
        }),
      );
    }
  }
  await SwaggerModule.loadPluginMetadata(async () => reachable);
}
