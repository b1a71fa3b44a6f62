import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { addCrmSwagger } from '../modules';
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
    addCrmSwagger(new DocumentBuilder())
      .setTitle('nest-crm')
      .setDescription(
        'Lead and customer sources, leads, customers, opportunities, attribution reports and automatic lead intake. ' +
          'Click **Authorize** and paste a bearer token (the demo host prints its tokens when it starts); lead intake submissions use an intake API key (`X-Api-Key`) instead.',
      )
      .setVersion('0.1.0')
      .setLicense('MIT', 'https://opensource.org/licenses/MIT')
      .addServer('/', 'This host')
      .addBearerAuth()
      .build(),
  );
  // persistAuthorization: the token typed into "Authorize" survives a reload of the page.
  SwaggerModule.setup(DOCS_PATH, app, document, { swaggerOptions: { persistAuthorization: true } });
  return app;
}
