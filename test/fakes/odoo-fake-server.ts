/**
 * `npm run odoo:fake`: the Odoo fake on loopback for trying the distributor sync by hand, with the
 * environment `npm start` and `npm run sync` need to pull from it. ODOO_FAKE_PORT (default 8069),
 * ODOO_FAKE_RECORDS (records per model, default 200) and ODOO_FAKE_VERSION (17, 18 or 19, default 19:
 * JSON-2; 17 and 18 speak JSON-RPC only) adjust it. Ctrl+C stops it.
 */
import { FAKE_ODOO, OdooFake } from './odoo-fake';

async function main(): Promise<void> {
  const recordsPerModel = Number(process.env.ODOO_FAKE_RECORDS ?? 200);
  const version = Number(process.env.ODOO_FAKE_VERSION ?? 19) as 17 | 18 | 19;
  if (![17, 18, 19].includes(version)) throw new Error(`ODOO_FAKE_VERSION must be 17, 18 or 19 (got ${process.env.ODOO_FAKE_VERSION})`);
  const fake = await OdooFake.start({ port: Number(process.env.ODOO_FAKE_PORT ?? 8069), recordsPerModel, duplicateEvery: 10, version });
  console.log(`Odoo ${version} fake at ${fake.url}: ${recordsPerModel} records in each of ${[...fake.models.keys()].join(' and ')}`);
  console.log('Point the demo host at it:');
  const credentials =
    version >= 19
      ? `CRM_DISTRIBUTOR_API_KEY=${FAKE_ODOO.apiKey}`
      : `CRM_DISTRIBUTOR_PROTOCOL=jsonrpc CRM_DISTRIBUTOR_LOGIN=${FAKE_ODOO.login} CRM_DISTRIBUTOR_PASSWORD=${FAKE_ODOO.password}`;
  console.log(`  export CRM_DISTRIBUTOR_URL=${fake.url} CRM_DISTRIBUTOR_DATABASE=${FAKE_ODOO.database} ${credentials}`);
  console.log('  npm run sync          # or npm start, then POST /crm/imports/distributor/run');
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
