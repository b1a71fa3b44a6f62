/**
 * Serves the Odoo fake from a process of its own, as a distributor's Odoo runs on its own machine:
 * in the benchmark's process, the fake's work (generating, filtering and serialising records)
 * would take turns with the importer on one event loop. Options come as JSON in argv[2]; the URL
 * is printed as the first line once it listens.
 */
import { OdooFake, type OdooFakeOptions } from '../../test/fakes/odoo-fake';

async function main(): Promise<void> {
  const fake = await OdooFake.start(JSON.parse(process.argv[2] ?? '{}') as OdooFakeOptions);
  process.stdout.write(`${fake.url}\n`);
  process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
}

void main();
