import { hmsError } from '@hms-sys/common';
import type { Router } from '../../http/router.js';
import type { ControlVerb, PatchOrchestrator } from './patchOrchestrator.js';
import { planView, runSummary, runView } from './patchView.js';

const VERBS: readonly ControlVerb[] = ['pause', 'resume', 'cancel'];

/**
 * SPEC §3 patch runs:
 *   POST /v1/patches                      operator  body: PatchRequest (patchRequest.ts) → 201 run
 *   GET  /v1/patches                      viewer    newest first (`?limit=N`, default 50)
 *   GET  /v1/patches/ID                   viewer    `{id, state, nodes: [{name, state, …}], …}`; ID `latest` = the newest
 *   POST /v1/patches/ID/pause|resume|cancel  operator  409 when it does not apply to the run's state
 *   POST /v1/patches/plan                 viewer    what a run would do now; changes nothing
 */
export function addPatchRoutes(router: Router, patches: PatchOrchestrator): void {
  const find = (id: string): ReturnType<PatchOrchestrator['get']> => {
    const live = id === 'latest' ? patches.list(1)[0] : patches.get(id);
    if (!live) throw hmsError('HMS_NOT_FOUND', id === 'latest' ? 'no patch run yet' : `no patch run ${id}`, { hint: 'list them with: hms-sys patch status' });
    return live;
  };
  router
    .add('POST', '/v1/patches/plan', 'viewer', async (req) => {
      const text = (await req.text()).trim();
      return { body: planView(patches.plan(text === '' ? {} : parseJson(text))) };
    })
    .add('POST', '/v1/patches', 'operator', async (req) => ({ status: 201, body: runView(patches.create(await req.json())) }))
    .add('GET', '/v1/patches', 'viewer', (req) => {
      const limit = Math.min(500, Math.max(1, Number(req.query.get('limit') ?? '50') || 50));
      return { body: patches.list(limit).map(runSummary) };
    })
    .add('GET', '/v1/patches/:id', 'viewer', (req) => ({ body: runView(find(req.params.id ?? '') as NonNullable<ReturnType<typeof find>>) }))
    .add('POST', '/v1/patches/:id/:verb', 'operator', async (req) => {
      const verb = req.params.verb as ControlVerb;
      if (!VERBS.includes(verb)) throw hmsError('HMS_NOT_FOUND', `no such action "${req.params.verb}": use pause, resume or cancel`);
      const text = (await req.text()).trim();
      let reason: string | undefined;
      if (text) {
        const body = parseJson(text) as { reason?: unknown };
        if (body.reason !== undefined && typeof body.reason !== 'string') throw hmsError('HMS_INPUT_INVALID', 'reason must be a string');
        reason = body.reason as string | undefined;
      }
      const id = (find(req.params.id ?? '') as NonNullable<ReturnType<typeof find>>).state.run;
      return { body: runView(patches.control(id, verb, reason)) };
    });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw hmsError('HMS_INPUT_INVALID', `request body is not valid JSON: ${(err as Error).message}`);
  }
}
