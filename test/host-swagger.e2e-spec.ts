import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { addCrmSwagger, CRM_API_TAGS, CRM_SECURITY_SCHEMES } from '../modules';
import { TestApp } from './harness/test-app';

/*
 * A host documents the CRM in its own Swagger document the README's way (`addCrmSwagger(new DocumentBuilder()...)`).
 * That document must pass an OpenAPI linter: the intake route refers to the `intake-api-key` scheme, which a
 * document without the CRM's schemes never defines (`security-defined`), and Swagger UI then cannot authorize it.
 */

interface LintProblem { ruleId: string; severity: string; message: string }

const REDOCLY = join(__dirname, '..', 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');

let t: TestApp;
let dir: string;

beforeAll(async () => {
  t = await TestApp.start();
  dir = await mkdtemp(join(tmpdir(), 'crm-host-swagger-'));
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

/** `redocly lint` with its recommended rules on the document; its problems (it exits 1 when one is an error). */
async function lint(name: string, document: object): Promise<LintProblem[]> {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(document));
  const { stdout } = await promisify(execFile)(process.execPath, [REDOCLY, 'lint', file, '--format=json'], { maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { problems: LintProblem[] };
  return report.problems;
}

const hostDocument = (builder: DocumentBuilder) => SwaggerModule.createDocument(t.app, builder.setTitle('Host app').setVersion('1.0.0').addServer('/').build());

describe("A host's Swagger document", () => {
  it('built with addCrmSwagger defines the schemes CRM routes refer to and passes lint', async () => {
    const document = hostDocument(addCrmSwagger(new DocumentBuilder()));
    expect(document.components?.securitySchemes).toEqual(CRM_SECURITY_SCHEMES);
    expect(document.paths['/crm/intake/leads'].post?.security).toEqual([{ 'intake-api-key': [] }]);
    expect(document.tags?.map((tag) => tag.name)).toEqual(CRM_API_TAGS.map((tag) => tag.name));
    const problems = await lint('with-crm-swagger', document);
    expect(problems.filter((p) => p.ruleId === 'security-defined')).toEqual([]);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it("keeps the host's own bearer scheme added after it", () => {
    const document = hostDocument(addCrmSwagger(new DocumentBuilder()).addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Host JWT' }));
    expect(document.components?.securitySchemes?.bearer).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Host JWT' });
    expect(document.components?.securitySchemes?.['intake-api-key']).toEqual(CRM_SECURITY_SCHEMES['intake-api-key']);
  });

  it('built without it fails lint on the routes that refer to undefined schemes (what the helper is for)', async () => {
    const problems = await lint('without-crm-swagger', hostDocument(new DocumentBuilder()));
    expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'security-defined', severity: 'error' })]));
  });
});
