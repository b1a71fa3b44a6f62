import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp, DOCS_PATH } from './bootstrap';
import { describeDatabase } from './database/database-options';
import { hostConfigFromEnv } from './host-config';

async function main(): Promise<void> {
  const logger = new Logger('DemoHost');
  const config = hostConfigFromEnv();
  const app = await createApp(config);
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  logger.log(`Database: ${describeDatabase(config.dbUrl)}${config.migrate ? ' (migrations run at start)' : ' (CRM_DB_MIGRATE=false: migrations not run)'}`);
  logger.log(`CRM API under http://localhost:${port}/crm, Swagger UI at http://localhost:${port}/${DOCS_PATH} (JSON at /${DOCS_PATH}-json)`);
  logger.log(config.generatedTokens ? 'Demo tokens (CRM_API_TOKENS unset; new ones each start):' : 'Tokens from CRM_API_TOKENS:');
  for (const { token, user } of config.tokens) {
    logger.log(`  Authorization: Bearer ${config.generatedTokens ? token : token.slice(0, 4) + '…'}  → user ${user.id}, roles ${user.roles.join('|')}${user.partnerCompanyId ? `, partner company ${user.partnerCompanyId}` : ''}`);
  }
}

main().catch((error) => {
  // eslint-disable-next-line no-console
  console.error(`Demo host failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
