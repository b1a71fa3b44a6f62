import { ValidationPipe, type ArgumentMetadata, type ValidationPipeOptions } from '@nestjs/common';
import type { Response, Test } from 'supertest';

/**
 * The global `ValidationPipe` setups hosts commonly register. CRM routes must answer the same under
 * each (the fixture hosts in test/host-fixtures/ build the same four from these names).
 */
export const HOST_PIPE_SETUPS = {
  none: undefined,
  whitelist: { whitelist: true },
  forbidNonWhitelisted: { whitelist: true, forbidNonWhitelisted: true },
  implicitConversion: { transform: true, transformOptions: { enableImplicitConversion: true } },
} satisfies Record<string, ValidationPipeOptions | undefined>;

export type HostPipeSetup = keyof typeof HOST_PIPE_SETUPS;

/** A host's `ValidationPipe` that also records the param types it was handed. */
export class RecordingValidationPipe extends ValidationPipe {
  readonly seenTypes: string[] = [];

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    this.seenTypes.push(metadata.type);
    return super.transform(value, metadata);
  }
}

/** What a CRM client offers: the harness's `TestApp.as()`, or the fixture suite's client of a host process. */
export interface CrmClient {
  get(url: string): Test;
  post(url: string, body?: object): Test;
  patch(url: string, body?: object): Test;
}

export type ClientAs = (role: 'manager' | 'agent' | 'anonymous') => CrmClient;

/** One answer: the status and the body, with what differs from run to run (times, key secrets) masked. */
export interface ProbeAnswer {
  probe: string;
  status: number;
  body: unknown;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function masked(value: unknown): unknown {
  if (typeof value === 'string') return ISO_TIME.test(value) ? '<time>' : value.startsWith('ik_') ? '<intake key>' : value;
  if (Array.isArray(value)) return value.map(masked);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v)]));
  return value;
}

/**
 * Runs the same CRM calls, in the same order, against a freshly migrated CRM and returns every answer.
 * The calls are those a host's global pipe changed before CRM params were shielded: boolean and
 * number query strings, unknown fields (top level, nested, in the query), path ids, a dry run, the
 * intake API. Each answer is also checked against what the CRM documents, so equal transcripts mean
 * equal *and* right answers.
 */
export async function pipeProbeTranscript(as: ClientAs): Promise<ProbeAnswer[]> {
  const answers: ProbeAnswer[] = [];
  const probe = async (name: string, test: Test, expected: number, check?: (res: Response) => void): Promise<Response> => {
    const res = await test;
    if (res.status !== expected) throw new Error(`${name}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`);
    check?.(res);
    answers.push({ probe: name, status: res.status, body: masked(res.body) });
    return res;
  };
  const manager = as('manager');
  const agent = as('agent');
  const validation = (field: string, rule?: string) => (res: Response) => {
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, ...(rule ? { rule } : {}) })]));
  };

  const fair = await probe('create source', manager.post('/crm/sources', { code: 'probe_fair', name: 'Probe Fair', type: 'event_exhibition', sequence: 5 }), 201);
  const other = await probe('create another source', manager.post('/crm/sources', { code: 'probe_other', name: 'Probe Other', type: 'website' }), 201);
  await probe('archive it', manager.post(`/crm/sources/${fair.body.id}/archive`), 200);
  const codes = (res: Response) => res.body.items.map((s: { code: string }) => s.code);
  await probe('picker without archived', agent.get('/crm/sources?includeArchived=false&limit=200'), 200, (res) => expect(codes(res)).not.toContain('probe_fair'));
  await probe('picker with archived', agent.get('/crm/sources?includeArchived=true&limit=200'), 200, (res) => expect(codes(res)).toContain('probe_fair'));
  await probe('boolean query that is not one', agent.get('/crm/sources?includeArchived=no'), 400, validation('includeArchived', 'isBoolean'));
  await probe('page bounds', agent.get('/crm/sources?limit=0'), 400, validation('limit', 'min'));
  await probe('numeric query that is not one', agent.get('/crm/leads?sourceId=abc'), 400, validation('sourceId'));
  await probe('unknown query parameter', agent.get('/crm/sources?colour=red'), 400, validation('colour', 'unknownField'));
  await probe('path id that is not one', agent.get('/crm/sources/abc'), 400, validation('id', 'isInt'));
  await probe('unknown body field', manager.post('/crm/sources', { code: 'probe_x', name: 'X', type: 'website', colour: 'red' }), 400, validation('colour', 'unknownField'));
  await probe('invalid body field', manager.post('/crm/sources', { code: 'Probe X', name: 'X', type: 'website' }), 400, validation('code', 'matches'));
  await probe('number sent as a string', manager.post('/crm/sources', { code: 'probe_y', name: 'Y', type: 'website', sequence: '7' }), 400, validation('sequence', 'isInt'));
  await probe('merge dry run', manager.post(`/crm/sources/${other.body.id}/merge?dryRun=true`, { intoId: 1 }), 200);
  await probe('merge for real', manager.post(`/crm/sources/${other.body.id}/merge?dryRun=false`, { intoId: 1 }), 200);
  await probe('merged source is archived', agent.get(`/crm/sources/${other.body.id}`), 200, (res) => expect(res.body.active).toBe(false));
  await probe('stale version by If-Match', manager.patch(`/crm/sources/${fair.body.id}`, { name: 'Renamed' }).set('If-Match', '999'), 409);

  const lead = {
    name: 'Probe vans',
    sourceId: 1,
    salesDirectionId: 1,
    newCompany: { name: 'Probe Corp', website: 'https://probe.example', tin: '7701234567' },
    newContact: { firstName: 'Pat', lastName: 'Probe', email: 'pat@probe.example' },
  };
  await probe('unknown nested field', agent.post('/crm/leads', { ...lead, newCompany: { ...lead.newCompany, colour: 'red' } }), 400, validation('newCompany.colour', 'unknownField'));
  await probe('lead with new company and contact', agent.post('/crm/leads', lead), 201, (res) => expect(res.body).toMatchObject({ companyName: 'Probe Corp', contactName: 'Pat Probe' }));
  await probe('lead list filtered by number', agent.get('/crm/leads?sourceId=1&page=1&limit=10'), 200, (res) => expect(res.body.total).toBe(1));
  await probe('person by string id', manager.post('/crm/people', { id: '42', displayName: 'Numeric Id' }), 201, (res) => expect(res.body.id).toBe('42'));

  const key = await probe('intake key', manager.post('/crm/intake/keys', { name: 'Probe site' }), 201);
  const intake = (body: object) => as('anonymous').post('/crm/intake/leads', body).set('X-Api-Key', key.body.key);
  await probe('intake unknown field', intake({ source: 'inbound_call', lastName: 'Kim', firstName: 'Jo', email: 'jo@kim.example', colour: 'red' }), 400, validation('colour', 'unknownField'));
  await probe('intake submission', intake({ source: 'inbound_call', salesDirection: 'general', lastName: 'Kim', firstName: 'Jo', email: 'jo@kim.example' }), 200, (res) => expect(res.body.status).toBe('created'));
  return answers;
}
