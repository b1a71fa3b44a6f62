/**
 * `npm run odoo:fake`: the Odoo fake on loopback for trying the distributor sync by hand, with the
 * environment `npm start` and `npm run sync` need to pull from it. ODOO_FAKE_PORT (default 8069)
 * and ODOO_FAKE_RECORDS (records per model, default 200) adjust it; Ctrl+C stops it.
 */
import { FAKE_ODOO, OdooFake } from './odoo-fake';

async function main(): Promise<void> {
  const recordsPerModel = Number(process.env.ODOO_FAKE_RECORDS ?? 200);
  const fake = await OdooFake.start({ port: Number(process.env.ODOO_FAKE_PORT ?? 8069), recordsPerModel, duplicateEvery: 10 });
  console.log(`Odoo fake at ${fake.url}: ${recordsPerModel} records in each of ${[...fake.models.keys()].join(' and ')}`);
  console.log('Point the demo host at it:');
  console.log(
    `  export CRM_DISTRIBUTOR_URL=${fake.url} CRM_DISTRIBUTOR_DATABASE=${FAKE_ODOO.database} CRM_DISTRIBUTOR_LOGIN=${FAKE_ODOO.login} CRM_DISTRIBUTOR_PASSWORD=${FAKE_ODOO.password}`,
  );
  console.log('  npm run sync          # or npm start, then POST /crm/imports/distributor/run');
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
