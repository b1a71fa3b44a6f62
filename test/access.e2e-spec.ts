import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { CRM_ACCESS_KEY, CrmAccessRule } from '../modules';
import { TestApp } from './harness/test-app';

describe('Access (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({
      users: {
        grantee: { id: 'grantee', roles: ['crm_sales'], permissions: ['sources.write'] },
        custom: { id: 'custom', roles: ['catalogue_keeper'] },
      },
      crm: { rolePermissions: { catalogue_keeper: ['sources.read', 'sources.write'] } },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Every route handler of every controller in the app, with its access rule. */
  function routes() {
    const discovery = new DiscoveryService(t.app.get(ModulesContainer));
    const scanner = new MetadataScanner();
    return discovery.getControllers().flatMap((wrapper) => {
      const instance = wrapper.instance as object;
      const prototype = Object.getPrototypeOf(instance);
      return scanner
        .getAllMethodNames(prototype)
        .filter((name) => Reflect.getMetadata(METHOD_METADATA, prototype[name]) !== undefined)
        .map((name) => ({
          route: `${RequestMethod[Reflect.getMetadata(METHOD_METADATA, prototype[name])]} ${wrapper.name}.${name} (${Reflect.getMetadata(PATH_METADATA, prototype[name])})`,
          rule:
            (Reflect.getMetadata(CRM_ACCESS_KEY, prototype[name]) as CrmAccessRule | undefined) ??
            (Reflect.getMetadata(CRM_ACCESS_KEY, wrapper.metatype as object) as CrmAccessRule | undefined),
        }));
    });
  }

  it('finds an access decision on every registered route', () => {
    const all = routes();
    expect(all.length).toBeGreaterThanOrEqual(10);
    expect(all.filter((r) => !r.rule).map((r) => r.route)).toEqual([]);
  });

  it('documents every CRM route in Swagger with the bearer scheme', async () => {
    const doc = await t.as('anonymous').get('/docs-json').expect(200);
    const operations = Object.values(doc.body.paths as Record<string, Record<string, { security?: object[]; responses: object }>>).flatMap(
      (path) => Object.values(path),
    );
    const guarded = routes().filter((r) => r.rule && !r.rule.public).length;
    const bearer = operations.filter((op) => op.security?.some((scheme) => 'bearer' in scheme));
    expect(bearer.length).toBe(guarded);
    for (const op of bearer) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403']));
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('honours a per-user extra permission', async () => {
    await t.as('grantee').post('/crm/sources', { code: 'granted', name: 'Granted', type: 'referral' }).expect(201);
    await t.as('agent').post('/crm/sources', { code: 'not_granted', name: 'No', type: 'referral' }).expect(403);
  });

  it('uses the role map the host gives, replacing the default', async () => {
    await t.as('custom').post('/crm/sources', { code: 'by_custom', name: 'Custom', type: 'referral' }).expect(201);
    const res = await t.as('manager').get('/crm/sources').expect(403);
    expect(res.body.message).toBe('Missing permission sources.read');
  });

  it('leaves the host routes alone: the CRM guard and filter bind to CRM controllers only', async () => {
    const res = await t.as('anonymous').get('/no-such-host-route').expect(404);
    expect(res.body.code).toBeUndefined();
  });
});
