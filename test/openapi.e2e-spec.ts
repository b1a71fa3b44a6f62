import { CRM_API_TAGS } from '../modules';
import { TestApp } from './harness/test-app';

/*
 * The Swagger document as admins read it in Swagger UI and host teams feed it to client generators:
 * every operation says what it does, every parameter what it means, the tags come in order with a line each.
 */

interface Parameter { name: string; in: string; description?: string }
interface Operation { summary?: string; tags?: string[]; parameters?: Parameter[] }
interface OpenApiDocument { tags?: { name: string; description?: string }[]; paths: Record<string, Record<string, Operation>> }

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
});
