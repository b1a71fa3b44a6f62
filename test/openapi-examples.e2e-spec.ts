import { TestApp } from './harness/test-app';
import { testDatabaseKind } from './harness/test-database';

/*
 * Every request body example of the document, sent as it is (what Swagger UI's "Try it out" prefills) by the
 * demo host's manager, on a fresh demo database, in the order an admin would try them: a record's edit or
 * action goes to the record that its own create example made. Each must succeed. The document does not
 * depend on the database, and the demo host runs on SQLite, so this runs once, on SQLite.
 */

interface Example { summary?: string; value: unknown }
interface Operation { requestBody?: { content: Record<string, { example?: unknown; examples?: Record<string, Example> }> } }
type Paths = Record<string, Record<string, Operation>>;

/** The admin's walk through every operation that takes a JSON body. */
const WALK = [
  'POST /crm/sources',
  'PATCH /crm/sources/{id}',
  'POST /crm/sources/{id}/merge',
  'POST /crm/sources/bulk-delete',
  'POST /crm/people',
  'PATCH /crm/people/{id}',
  'POST /crm/teams',
  'PATCH /crm/teams/{id}',
  'POST /crm/companies',
  'PATCH /crm/companies/{id}',
  'POST /crm/contacts',
  'PATCH /crm/contacts/{id}',
  'POST /crm/sales-directions',
  'PATCH /crm/sales-directions/{id}',
  'POST /crm/products',
  'PATCH /crm/products/{id}',
  'POST /crm/marketing-campaigns',
  'PATCH /crm/marketing-campaigns/{id}',
  'POST /crm/content-channels',
  'PATCH /crm/content-channels/{id}',
  'POST /crm/leads',
  'PATCH /crm/leads/{id}',
  'POST /crm/customers',
  'PATCH /crm/customers/{id}',
  'POST /crm/opportunities',
  'PATCH /crm/opportunities/{id}',
  'POST /crm/leads/{id}/convert',
  'POST /crm/intake/keys',
  'POST /crm/intake/leads',
  'POST /crm/imports/runs/{runId}/errors/{id}/replay',
];

const describeOnce = testDatabaseKind() === 'sqlite' ? describe : describe.skip;

describeOnce('The request body examples of the document', () => {
  let t: TestApp;
  let paths: Paths;
  /** What each create answered, by collection path (`/crm/leads`), for the edits and actions that follow. */
  const created = new Map<string, { id: number | string; key?: string }>();

  beforeAll(async () => {
    t = await TestApp.start();
    paths = (await t.as('anonymous').get('/docs-json').expect(200)).body.paths;
  });
  afterAll(() => t.close());

  const jsonBodyRoutes = () =>
    Object.entries(paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => operation.requestBody?.content['application/json'])
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );

  it('has one in every JSON request body, and the walk below sends each of them', () => {
    expect([...jsonBodyRoutes()].sort()).toEqual([...WALK].sort());
    const bare = WALK.filter((route) => {
      const [method, path] = route.split(' ');
      const media = paths[path][method.toLowerCase()].requestBody!.content['application/json'];
      return !media.examples || Object.keys(media.examples).length === 0;
    });
    expect(bare).toEqual([]);
  });

  /** A path with its ids: each `{id}` is the record the create example of its collection made. */
  const resolve = async (path: string): Promise<string> => {
    if (path === '/crm/imports/runs/{runId}/errors/{id}/replay') {
      const failed = await failedCsvRow();
      return `/crm/imports/runs/${failed.runId}/errors/${failed.errorId}/replay`;
    }
    const collection = path.slice(0, path.indexOf('/{id}'));
    const record = created.get(collection);
    if (!record) throw new Error(`${path}: no create example of ${collection} ran before it`);
    return path.replace('{id}', encodeURIComponent(String(record.id)));
  };

  /** An import whose one row is refused for its email: what the replay example corrects. */
  const failedCsvRow = async () => {
    const csv = ['name,source,company_name,website,tin,first_name,last_name,email,phone,city,sales_direction,product,external_id', 'Van for Roe,referral,,,,Jane,Roe,jane.roe(at)example.com,,,General,,'].join('\n');
    const upload = await t.request()
      .post('/crm/imports/csv')
      .set('Authorization', 'Bearer manager-token')
      .attach('file', Buffer.from(csv, 'utf8'), { filename: 'leads.csv', contentType: 'text/csv' })
      .expect(202);
    const runId: number = upload.body.id;
    for (let i = 0; i < 500; i++) {
      const run = await t.as('manager').get(`/crm/imports/runs/${runId}`).expect(200);
      if (run.body.status === 'succeeded' || run.body.status === 'failed') break;
      await new Promise((done) => setTimeout(done, 20));
    }
    // The API names failed rows by row number (errors.csv); the replay route takes the error's id.
    const [{ id: errorId }] = await t.query('SELECT id FROM crm_import_run_error WHERE runId = ?', [runId]);
    return { runId, errorId: Number(errorId) };
  };

  it.each(WALK)('%s: its example succeeds as sent', async (route) => {
    const [method, path] = route.split(' ');
    const { examples } = paths[path][method.toLowerCase()].requestBody!.content['application/json'];
    const [example] = Object.values(examples ?? {});
    const url = path.includes('{') ? await resolve(path) : path;
    const http = t.request()[method.toLowerCase() as 'post' | 'patch'](url);
    const intakeKey = created.get('/crm/intake/keys')?.key;
    const sent = route === 'POST /crm/intake/leads' ? http.set('X-Api-Key', intakeKey!) : http.set('Authorization', 'Bearer manager-token');
    const res = await sent.send(example.value as object);
    expect([route, example.summary, res.status, res.status < 300 ? '' : res.body]).toEqual([route, example.summary, res.status < 300 ? res.status : 'a 2xx', '']);
    if (method === 'POST' && !path.includes('{') && res.body?.id !== undefined) created.set(path, { id: res.body.id, key: res.body.key });
  });
});
