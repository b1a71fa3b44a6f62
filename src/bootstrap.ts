import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule, HostConfig } from './app.module';
import { demoAuthMiddleware } from './auth/demo-auth.middleware';

/** Swagger UI path; the JSON document is at `/docs-json`. */
export const DOCS_PATH = 'docs';

/** Builds the demo host (used by `main.ts` and by the e2e suites, so tests run the real host). */
export async function createApp(config: HostConfig, logger: false | undefined = undefined): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: logger ?? ['log', 'warn', 'error'], abortOnError: false });
  app.use(demoAuthMiddleware(config.tokens));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('nest-crm')
      .setDescription('Lead and customer sources, leads, customers, opportunities, attribution and lead intake.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'Lead intake API key (POST /crm/intake/leads)' }, 'intake-api-key')
      .build(),
  );
  SwaggerModule.setup(DOCS_PATH, app, document);
  return app;
}
