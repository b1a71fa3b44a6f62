import { HOST_PIPE_SETUPS, HostPipeSetup, pipeProbeTranscript, ProbeAnswer, RecordingValidationPipe } from './harness/pipe-probes';
import { TestApp } from './harness/test-app';

/** CRM routes answer the same whatever global ValidationPipe the host registers. */
describe("A host's global ValidationPipe (e2e)", () => {
  // A setup whose calls went wrong keeps its error, so that each test reports its own setup.
  const transcripts: Partial<Record<HostPipeSetup, ProbeAnswer[] | Error>> = {};
  const seen: Partial<Record<HostPipeSetup, string[]>> = {};
  let document: { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>> };

  beforeAll(async () => {
    for (const [setup, options] of Object.entries(HOST_PIPE_SETUPS) as [HostPipeSetup, (typeof HOST_PIPE_SETUPS)[HostPipeSetup]][]) {
      const pipe = options && new RecordingValidationPipe(options);
      const t = await TestApp.start({ hostPipes: pipe ? [pipe] : [] });
      try {
        if (setup === 'none') document = (await t.as('anonymous').get('/docs-json').expect(200)).body;
        transcripts[setup] = await pipeProbeTranscript((role) => t.as(role));
      } catch (error) {
        transcripts[setup] = error as Error;
      } finally {
        await t.close();
      }
      if (pipe) seen[setup] = pipe.seenTypes;
    }
  });

  const answersOf = (setup: HostPipeSetup): ProbeAnswer[] => {
    const answers = transcripts[setup];
    if (answers instanceof Error) throw answers;
    return answers ?? [];
  };

  it('gives the documented answers with no host pipe', () => {
    expect(answersOf('none').length).toBeGreaterThan(20);
  });

  it.each(['whitelist', 'forbidNonWhitelisted', 'implicitConversion'] as const)('gives the same answers, error bodies included, under %s', (setup) => {
    expect(answersOf(setup)).toEqual(answersOf('none'));
  });

  it.each(['whitelist', 'forbidNonWhitelisted', 'implicitConversion'] as const)('hands the host pipe (%s) every CRM param as a custom one, which it leaves alone', (setup) => {
    expect(seen[setup]?.length).toBeGreaterThan(0);
    expect(new Set(seen[setup])).toEqual(new Set(['custom']));
  });

  it('leaves the Swagger document describing every shielded param where it comes from', () => {
    const places = (path: string, method: string) => document.paths[path][method].parameters?.map((p) => `${p.in}:${p.name}`);
    expect(places('/crm/sources/{id}/merge', 'post')).toEqual(expect.arrayContaining(['path:id', 'query:dryRun']));
    expect(document.paths['/crm/sources/{id}/merge'].post.requestBody).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/MergeSourceDto' } } } });
    expect(places('/crm/sources', 'get')).toEqual(expect.arrayContaining(['query:q', 'query:appliesTo', 'query:includeArchived', 'query:page', 'query:limit']));
    expect(places('/crm/sources/{id}', 'patch')).toEqual(['path:id', 'header:Accept-Language', 'header:If-Match']);
    expect(places('/crm/people/{id}', 'get')).toEqual(['path:id']);
  });
});
