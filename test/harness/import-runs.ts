import type { TestApp } from './test-app';

/** An import run as `GET /crm/imports/runs/:id` answers it (the fields the suites read). */
export interface RunBody {
  id: number;
  status: string;
  dryRun: boolean;
  total: number | null;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  error: string | null;
}

/** Follows a run until it has finished (imports run in the background), as the manager. */
export async function finishedRun(t: TestApp, id: number): Promise<RunBody> {
  for (let i = 0; i < 500; i++) {
    const res = await t.as('manager').get(`/crm/imports/runs/${id}`).expect(200);
    if (res.body.status === 'succeeded' || res.body.status === 'failed') return res.body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`run ${id} did not finish`);
}
