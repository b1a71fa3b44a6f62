import type { INestApplication, PipeTransform } from '@nestjs/common';
import request from 'supertest';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { CrmModuleOptions, CrmUser } from '../../modules';
import { createApp } from '../../src/bootstrap';
import type { DemoToken } from '../../src/auth/demo-tokens';
import { OpenApiResponseCheck } from './openapi-responses';
import { portableQuery } from './portable-sql';
import { loadSwaggerPluginMetadata } from './swagger-document';
import { createTestDatabase, testDatabaseKind, type TestDatabaseKind } from './test-database';

/** The callers every suite can act as. `anonymous` sends no token. */
export const TEST_USERS = {
  admin: { id: 'admin', roles: ['crm_admin'] },
  manager: { id: 'manager', roles: ['crm_manager'] },
  agent: { id: 'agent', roles: ['crm_sales'] },
  marketeer: { id: 'marketeer', roles: ['crm_marketeer'] },
  partner: { id: 'partner', roles: ['crm_partner_supervisor'], partnerCompanyId: 1 },
  outsider: { id: 'outsider', roles: ['guest'] },
} satisfies Record<string, CrmUser>;

export type TestRole = keyof typeof TEST_USERS | 'anonymous';

export interface TestAppOptions {
  crm?: CrmModuleOptions;
  /** Extra or replaced users, by role name used in `as()`. */
  users?: Record<string, CrmUser>;
  /** Global pipes the host registers (`app.useGlobalPipes`), as a host app would. */
  hostPipes?: PipeTransform[];
  /** Changes how the host reaches the suite's database (e.g. through a `TcpProxy`); the suite's own `dataSource` is the host's. */
  database?: (options: DataSourceOptions) => DataSourceOptions;
  /**
   * Another instance of a scaled-out host: boots over `sameDatabaseAs`'s database (which must have
   * been started with `shareable`) instead of a new one, and leaves dropping it to that instance.
   */
  sameDatabaseAs?: TestApp;
  /** The database can take a second instance (`sameDatabaseAs`): on SQLite, a file instead of `:memory:`. */
  shareable?: boolean;
}

/** The demo host booted on a database of this suite's own, migrated, with a caller per role; silent unless CRM_TEST_LOG is set (then its log shows, e.g. a 500's stack). */
export class TestApp {
  private constructor(
    readonly app: INestApplication,
    readonly dataSource: DataSource,
    readonly kind: TestDatabaseKind,
    private readonly dropDatabase: () => Promise<void>,
    /** Every response a suite gets through `as()` or `request()` is checked against the document this host serves. */
    readonly responses: OpenApiResponseCheck,
  ) {}

  /** Raw SQL of the suite's own, written as for MySQL/SQLite and sent so PostgreSQL reads it the same (see `portableSql`). */
  query<T = any>(sql: string, parameters?: unknown[]): Promise<T> {
    return portableQuery<T>(this.dataSource, sql, parameters);
  }

  static async start(options: TestAppOptions = {}): Promise<TestApp> {
    await loadSwaggerPluginMetadata();
    const database = options.sameDatabaseAs
      ? { options: options.sameDatabaseAs.dataSource.options, drop: async () => undefined }
      : await createTestDatabase({ file: options.shareable });
    const users: Record<string, CrmUser> = { ...TEST_USERS, ...options.users };
    const tokens: DemoToken[] = Object.entries(users).map(([role, user]) => ({ token: `${role}-token`, user }));
    try {
      const app = await createApp({ database: options.database ? options.database(database.options) : database.options, migrate: true, tokens, crm: options.crm }, process.env.CRM_TEST_LOG ? undefined : false);
      if (options.hostPipes) app.useGlobalPipes(...options.hostPipes);
      await app.init();
      const document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
      return new TestApp(app, app.get(DataSource), testDatabaseKind(), database.drop, new OpenApiResponseCheck(document));
    } catch (error) {
      await database.drop();
      throw error;
    }
  }

  /** A supertest client of this host whose responses are checked against the OpenAPI document. */
  request() {
    const server = this.app.getHttpServer();
    const checked = (test: request.Test) => this.responses.attach(test);
    return {
      get: (url: string) => checked(request(server).get(url)),
      post: (url: string) => checked(request(server).post(url)),
      patch: (url: string) => checked(request(server).patch(url)),
      put: (url: string) => checked(request(server).put(url)),
      delete: (url: string) => checked(request(server).delete(url)),
    };
  }

  /** An HTTP client acting as `role`. */
  as(role: TestRole | string) {
    const http = this.request();
    const auth = (test: request.Test) => (role === 'anonymous' ? test : test.set('Authorization', `Bearer ${role}-token`));
    return {
      get: (url: string) => auth(http.get(url)),
      post: (url: string, body?: object) => auth(http.post(url)).send(body ?? {}),
      patch: (url: string, body?: object) => auth(http.patch(url)).send(body ?? {}),
      put: (url: string, body?: object) => auth(http.put(url)).send(body ?? {}),
      delete: (url: string) => auth(http.delete(url)),
    };
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.dropDatabase();
  }
}
