import { CRM_API_TAGS } from '../modules';
import { OpenApiResponseCheck } from './harness/openapi-responses';
import { TestApp } from './harness/test-app';

/*
 * The Swagger document as admins read it in Swagger UI and host teams feed it to client generators:
 * every operation says what it does, every parameter what it means, the tags come in order with a line each.
 */

interface Parameter { name: string; in: string; description?: string }
interface Media { schema?: Record<string, unknown> }
interface Operation { summary?: string; tags?: string[]; parameters?: Parameter[]; requestBody?: { content: Record<string, Media> }; responses: Record<string, { content?: Record<string, Media> }> }
interface OpenApiDocument { tags?: { name: string; description?: string }[]; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } }

let t: TestApp;
let document: OpenApiDocument;
const operations = () =>
  Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })));

beforeAll(async () => {
  t = await TestApp.start();
  document = (await t.as('anonymous').get('/docs-json').expect(200)).body;
});
afterAll(() => t.close());

describe('The Swagger document', () => {
  it('gives every operation a summary', () => {
    const all = operations();
    expect(all.length).toBeGreaterThanOrEqual(90);
    expect(all.filter(({ operation }) => !operation.summary?.trim()).map(({ route }) => route)).toEqual([]);
  });

  it('gives every operation a summary of its own', () => {
    const bySummary = new Map<string, string[]>();
    for (const { route, operation } of operations()) bySummary.set(`${operation.tags}: ${operation.summary}`, [...(bySummary.get(`${operation.tags}: ${operation.summary}`) ?? []), route]);
    expect([...bySummary.values()].filter((routes) => routes.length > 1)).toEqual([]);
  });

  it('describes every parameter', () => {
    const bare = operations().flatMap(({ route, operation }) => (operation.parameters ?? []).filter((p) => !p.description?.trim()).map((p) => `${route} ${p.in} ${p.name}`));
    expect(bare).toEqual([]);
  });

  it('lists the CRM tags in their order, each with a description, and files every operation under one of them', () => {
    expect(document.tags).toEqual(CRM_API_TAGS.map(({ name, description }) => ({ name, description })));
    const names = new Set<string>(CRM_API_TAGS.map((tag) => tag.name));
    expect(operations().filter(({ operation }) => operation.tags?.length !== 1 || !names.has(operation.tags[0])).map(({ route }) => route)).toEqual([]);
  });

  it('documents Accept-Language where names come translated, and If-Match on the source edit', () => {
    const header = (route: string, name: string) => {
      const [method, path] = route.split(' ');
      return document.paths[path][method.toLowerCase()].parameters?.find((p) => p.in === 'header' && p.name === name);
    };
    for (const route of ['GET /crm/sources', 'GET /crm/sources/{id}', 'POST /crm/sources', 'PATCH /crm/sources/{id}', 'GET /crm/leads/board']) {
      expect(header(route, 'Accept-Language')).toMatchObject({ required: false, description: expect.stringContaining('Languages') });
    }
    expect(header('PATCH /crm/sources/{id}', 'If-Match')).toMatchObject({ required: false, description: expect.stringContaining('version') });
  });

  it('documents path ids as positive integers naming their record', () => {
    const id = document.paths['/crm/sources/{id}'].get.parameters?.find((p) => p.in === 'path');
    expect(id).toMatchObject({ name: 'id', required: true, schema: { type: 'integer', minimum: 1 }, description: 'Id of the lead or customer source' });
  });

  it('puts no `default` in request bodies, so generated clients keep those fields optional', () => {
    // openapi-typescript (by default) types a component property with a default as always present.
    const seen = new Set<string>();
    const defaults: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${at}/${i}`));
      if (!node || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      if (typeof schema.$ref === 'string') {
        const name = schema.$ref.split('/').pop()!;
        if (!seen.has(name)) {
          seen.add(name);
          walk(document.components.schemas[name], name);
        }
        return;
      }
      if ('default' in schema) defaults.push(at);
      for (const [key, value] of Object.entries(schema)) if (key !== 'example' && key !== 'examples') walk(value, `${at}/${key}`);
    };
    for (const { route, operation } of operations()) walk(operation.requestBody?.content, route);
    expect(seen.size).toBeGreaterThan(20);
    expect(defaults).toEqual([]);
  });

  it('declares CSV downloads as text, and their errors as JSON', () => {
    const csvRoutes = ['GET /crm/imports/runs/{id}/errors.csv', 'GET /crm/reports/attribution'];
    for (const route of csvRoutes) {
      const [method, path] = route.split(' ');
      const { responses } = document.paths[path][method.toLowerCase()];
      expect(responses['200'].content?.['text/csv']?.schema).toEqual({ type: 'string' });
      for (const [status, response] of Object.entries(responses).filter(([status]) => status >= '400')) {
        expect([route, status, Object.keys(response.content ?? {})]).toEqual([route, status, ['application/json']]);
      }
    }
  });
});

describe('The response check of the e2e harness', () => {
  it('fails a response that drifts from its schema, naming the operation, the status and the schema path', () => {
    const check = new OpenApiResponseCheck(document as never);
    const source = (body: object) => ({ status: 200, type: 'application/json', text: JSON.stringify(body), body });
    expect(() => check.check('GET', '/crm/sources/1', source({ id: 1 }))).toThrow(
      /GET \/crm\/sources\/\{id\} \(SourcesController_get\) answered 200: the body does not match the document:\n {2}body must have required property 'code' — schema #\/components\/schemas\/SourceDto\/required/,
    );
  });

  it('fails a field the schema does not name, a status the operation does not list, and a media type it does not declare', () => {
    const check = new OpenApiResponseCheck(document as never);
    const page = { items: [], total: 0, totalCapped: false, page: 1, limit: 50 };
    expect(() => check.check('GET', '/crm/sources?page=1', { status: 200, type: 'application/json', text: '{}', body: page })).not.toThrow();
    expect(() => check.check('GET', '/crm/sources', { status: 200, type: 'application/json', text: '{}', body: { ...page, cursor: 'x' } })).toThrow(/must NOT have additional properties \(cursor\)/);
    expect(() => check.check('GET', '/crm/sources', { status: 418, type: 'application/json', text: '{}', body: {} })).toThrow(/answered 418: the document lists only 200, 400, 401, 403/);
    expect(() => check.check('GET', '/crm/sources', { status: 200, type: 'text/csv', text: 'a,b', body: {} })).toThrow(/text\/csv, but the document declares application\/json/);
  });

  it('leaves alone what is not an operation of the document', () => {
    const check = new OpenApiResponseCheck(document as never);
    expect(() => check.check('GET', '/docs-json', { status: 200, type: 'application/json', text: '{}', body: {} })).not.toThrow();
    expect(check.checked).toBe(0);
  });
});
