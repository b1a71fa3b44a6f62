import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { addCrmSwagger } from 'nest-crm';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { settingsFromEnv } from './host-settings';

async function main(): Promise<void> {
  const settings = settingsFromEnv();
  const app = await NestFactory.create(AppModule.register(settings), { logger: ['error', 'warn'] });
  // The strictest usual global pipe: it must not change CRM answers, and keeps validating the host's own routes.
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, transformOptions: { enableImplicitConversion: true } }));
  // The README's way of documenting the CRM in the host's own Swagger document.
  const config = addCrmSwagger(new DocumentBuilder()).setTitle('Fixture host').setVersion('1.0.0').addServer('/').addBearerAuth().addSecurityRequirements('bearer').build();
  SwaggerModule.setup('docs', app, SwaggerModule.createDocument(app, config));
  app.enableShutdownHooks();
  await app.listen(settings.port, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  console.log(`HOST LISTENING ${port} (${settings.mount}, ${settings.dbUrl.split(':')[0]})`);
}

main().catch((error) => {
  console.error('HOST FAILED', error);
  process.exit(1);
});
