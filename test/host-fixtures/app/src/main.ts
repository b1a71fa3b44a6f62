import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { addCrmSwagger } from 'nest-crm';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { HOST_PIPES, settingsFromEnv } from './host-settings';

async function main(): Promise<void> {
  const settings = settingsFromEnv();
  const app = await NestFactory.create(AppModule.register(settings), { logger: ['error', 'warn'] });
  // The host's global pipe, in one of the usual setups: none of them may change CRM answers.
  if (settings.pipe) app.useGlobalPipes(new ValidationPipe(HOST_PIPES[settings.pipe]));
  // The README's way of documenting the CRM in the host's own Swagger document.
  const config = addCrmSwagger(new DocumentBuilder()).setTitle('Fixture host').setVersion('1.0.0').addServer('/').addBearerAuth().addSecurityRequirements('bearer').build();
  SwaggerModule.setup('docs', app, SwaggerModule.createDocument(app, config));
  app.enableShutdownHooks();
  await app.listen(settings.port, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  console.log(`HOST LISTENING ${port} (${settings.mount}, ${settings.dbUrl.split(':')[0]}, pipe ${settings.pipe ?? 'none'})`);
}

main().catch((error) => {
  console.error('HOST FAILED', error);
  process.exit(1);
});
