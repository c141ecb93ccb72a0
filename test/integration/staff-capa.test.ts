/**
 * CAPA over real HTTP on the local host: creation linked to complaints (the complaint
 * shows the CAPA, the CAPA lists the complaint), the role matrix, the whole lifecycle
 * including a "not effective" round, the version check, the console forms with their CSRF
 * field, and overdue actions escalated once by the fired escalation schedule.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#functions/data/keys.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { localTableName } from '#infra/local/host.ts';
import {
  postJson,
  sentEmails,
  useTestHost,
  validComplaint,
  waitFor,
} from '#test/support/local-host.ts';
import { waitUntilQueuesIdle } from '#test/support/notifications.ts';
import { addStaff, hiddenField, idTokenOf, request, signIn } from '#test/support/staff.ts';

const host = useTestHost();
const tokens: Record<string, string> = {};

const staff = {
  sales: { email: 'sales.zhang@maker.example', name: '张经营', roles: ['sales' as const] },
  export: { email: 'export.wu@maker.example', name: 'Wu Export', roles: ['export' as const] },
  qc: { email: 'qc.li@maker.example', name: '李质检', roles: ['qc' as const] },
  vp: { email: 'vp.zhao@maker.example', name: '赵副总', roles: ['production_vp' as const] },
  gm: { email: 'gm.wang@maker.example', name: '王总', roles: ['gm' as const] },
  office: { email: 'office.chen@maker.example', name: '陈办公室', roles: ['office' as const] },
};
type Who = keyof typeof staff;

beforeAll(async () => {
  for (const [who, user] of Object.entries(staff)) {
    await addStaff(host(), user);
    tokens[who] = await idTokenOf(host(), user.email);
  }
});

async function api(who: Who, path: string, body?: unknown) {
  const response = await fetch(`${host().url}/staff/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${tokens[who]}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function routedComplaint(): Promise<string> {
  const response = await postJson(host(), '/complaints', validComplaint());
  expect(response.status).toBe(202);
  const { reference } = (await response.json()) as { reference: string };
  await waitFor(async () => {
    const detail = await api('gm', `/complaints/${reference}`);
    return detail.body.status === 'routed' ? true : undefined;
  }, `${reference} routed`);
  await waitUntilQueuesIdle(host());
  return reference;
}

function capaBody(complaints: string[], dueDate = '2099-01-31') {
  return {
    type: 'corrective',
    source: 'complaints',
    complaints,
    category: 'quality',
    productModel: 'X-200',
    problem: 'Seams split on model X-200',
    rootCause: 'Glue temperature drifted on line 2',
    actions: [
      { description: 'Recalibrate the glue line', department: 'production_vp', dueDate },
      { description: 'Inspect every batch for a month', department: 'qc', dueDate: '2099-03-31' },
    ],
    effectiveness: { method: 'No seam complaints for three months', dueDate: '2099-06-30' },
  };
}

const step = (who: Who, reference: string, body: Record<string, unknown>) =>
  api(who, `/capa/${reference}/actions`, body);

describe('creating a CAPA for complaints', () => {
  let complaint: string;
  let capa: string;

  beforeAll(async () => {
    complaint = await routedComplaint();
    const created = await api('sales', '/capa', capaBody([complaint]));
    expect(created.status).toBe(201);
    capa = String(created.body.reference);
  });

  it('gives a per-year CA reference and records who created it', async () => {
    expect(capa).toMatch(/^CA-\d{4}-\d{4}$/);
    const { status, body } = await api('office', `/capa/${capa}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      reference: capa,
      status: 'open',
      version: 1,
      complaints: [complaint],
      createdBy: { email: staff.sales.email, roles: ['sales'] },
      allowedSteps: [],
    });
    expect(body.history).toEqual([
      expect.objectContaining({
        type: 'create',
        version: 1,
        actor: { email: staff.sales.email, name: staff.sales.name, roles: ['sales'] },
      }),
    ]);
  });

  it('shows the CAPA on the complaint (API and page), and the complaint on the CAPA page', async () => {
    const detail = await api('gm', `/complaints/${complaint}`);
    expect(detail.body.capaReferences).toEqual([capa]);
    const { jar } = await signIn(host(), staff.gm.email);
    const casePage = await (
      await request(host(), `/staff/complaints/${complaint}`, { jar })
    ).text();
    expect(casePage).toContain(`href="/staff/capa/${capa}"`);
    const capaPage = await (await request(host(), `/staff/capa/${capa}`, { jar })).text();
    expect(capaPage).toContain(`href="/staff/complaints/${complaint}"`);
    const list = await (await request(host(), '/staff/capa?lang=en', { jar })).text();
    expect(list).toContain(capa);
    expect(list).toContain('href="/staff/capa?lang=en" aria-current="page"');
  });

  it('links a second CAPA to the same complaint, adding to its list, which the register shows', async () => {
    const second = await api('qc', '/capa', { ...capaBody([complaint]), type: 'preventive' });
    expect(second.status).toBe(201);
    const detail = await api('gm', `/complaints/${complaint}`);
    expect(detail.body.capaReferences).toEqual([capa, second.body.reference]);
    const register = await api('gm', '/register');
    const row = (register.body.items as { reference: string; capaReferences: string[] }[]).find(
      (item) => item.reference === complaint,
    );
    expect(row?.capaReferences).toEqual([capa, second.body.reference]);
  });

  it('refuses unknown complaints and bad fields with 400, naming them', async () => {
    const unknown = await api('sales', '/capa', capaBody(['FB-2020-999999']));
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body.fields as object)).toEqual(['complaints']);
    const bad = await api('sales', '/capa', { ...capaBody([complaint]), actions: [] });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields as object)).toEqual(['actions']);
  });

  it('lets every staff role read the list', async () => {
    for (const who of Object.keys(staff) as Who[]) {
      const { status, body } = await api(who, '/capa');
      expect(status, who).toBe(200);
      expect((body.items as { reference: string }[]).map((item) => item.reference)).toContain(capa);
    }
  });
});

describe('roles', () => {
  let capa: string;

  beforeAll(async () => {
    const created = await api('export', '/capa', {
      ...capaBody([]),
      source: 'survey',
      sourceNote: '2026 survey: delivery rated lowest',
    });
    expect(created.status).toBe(201);
    capa = String(created.body.reference);
  });

  it('lets only the owners, qc, production_vp and gm create', async () => {
    const body = { ...capaBody([]), source: 'statistics' };
    const outcomes = Object.fromEntries(
      await Promise.all(
        (Object.keys(staff) as Who[]).map(async (who) => [
          who,
          (await api(who, '/capa', body)).status,
        ]),
      ),
    );
    expect(outcomes).toEqual({ sales: 201, export: 201, qc: 201, vp: 201, gm: 201, office: 403 });
  });

  it('lets only gm approve the plan and the closure, only qc verify (403 for the rest)', async () => {
    for (const who of ['sales', 'export', 'qc', 'vp', 'office'] as const) {
      expect((await step(who, capa, { action: 'approve_plan', version: 1 })).status, who).toBe(403);
    }
    expect((await step('gm', capa, { action: 'approve_plan', version: 1 })).status).toBe(200);
    for (const who of ['sales', 'export', 'gm', 'vp', 'office'] as const) {
      const verify = { action: 'verify', version: 2, verdict: 'effective', evidence: 'e' };
      expect((await step(who, capa, verify)).status, who).toBe(403);
    }
    for (const who of ['sales', 'export', 'qc', 'vp', 'office'] as const) {
      expect((await step(who, capa, { action: 'close', version: 2 })).status, who).toBe(403);
    }
    // The department of action 1 (qc) may not record action 0 (production_vp's).
    const other = { action: 'complete_action', version: 2, index: 0, result: 'r' };
    expect((await step('qc', capa, other)).status).toBe(403);
    // A step the status does not allow (yet) is 422, naming what is.
    const early = await step('qc', capa, {
      action: 'verify',
      version: 2,
      verdict: 'effective',
      evidence: 'e',
    });
    expect(early).toMatchObject({
      status: 422,
      body: { status: 'in_progress', allowed: ['complete_action', 'note'] },
    });
  });
});

describe('the whole lifecycle', () => {
  it('runs open → in_progress → awaiting_verification → not_effective → in_progress → effective, each step on record', async () => {
    const complaint = await routedComplaint();
    const created = await api('sales', '/capa', capaBody([complaint]));
    const capa = String(created.body.reference);
    const expectStep = async (
      who: Who,
      body: Record<string, unknown>,
      status: string,
      version: number,
    ) => {
      const answer = await step(who, capa, body);
      expect(answer, `${String(body.action)} by ${who}`).toEqual({
        status: 200,
        body: { status, version },
      });
    };
    await expectStep('gm', { action: 'approve_plan', version: 1, comment: 'Go' }, 'in_progress', 2);
    await expectStep(
      'vp',
      { action: 'complete_action', version: 2, index: 0, result: 'Recalibrated' },
      'in_progress',
      3,
    );
    await expectStep(
      'qc',
      { action: 'complete_action', version: 3, index: 1, result: 'All batches inspected' },
      'in_progress',
      4,
    );
    await expectStep('sales', { action: 'submit', version: 4 }, 'awaiting_verification', 5);
    await expectStep(
      'qc',
      {
        action: 'verify',
        version: 5,
        verdict: 'not_effective',
        evidence: 'Two more splits in May',
      },
      'not_effective',
      6,
    );

    // A stale version: someone acted on version 6 first.
    const revise = {
      action: 'revise',
      comment: 'The heater, not the setting',
      rootCause: 'The heater on line 2 fails under load',
      actions: [
        { description: 'Replace the heater', department: 'production_vp', dueDate: '2099-04-30' },
      ],
    };
    const [first, second] = await Promise.all([
      step('sales', capa, { ...revise, version: 6 }),
      step('export', capa, { ...revise, version: 6 }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const stale = first.status === 409 ? first : second;
    expect(stale.body).toMatchObject({ error: 'stale_version' });
    expect((await step('sales', capa, { action: 'note', version: 6, text: 'late' })).status).toBe(
      409,
    );

    await expectStep(
      'vp',
      { action: 'complete_action', version: 7, index: 2, result: 'Replaced' },
      'in_progress',
      8,
    );
    await expectStep('sales', { action: 'submit', version: 8 }, 'awaiting_verification', 9);
    await expectStep(
      'qc',
      { action: 'verify', version: 9, verdict: 'effective', evidence: 'None since June' },
      'awaiting_verification',
      10,
    );
    await expectStep('gm', { action: 'close', version: 10 }, 'effective', 11);

    const { body } = await api('office', `/capa/${capa}`);
    expect(body).toMatchObject({
      status: 'effective',
      version: 11,
      notEffectiveCount: 1,
      rootCause: 'The heater on line 2 fails under load',
      verification: { verdict: 'effective', evidence: 'None since June' },
    });
    const history = body.history as { type: string; version: number; actor: { email: string } }[];
    expect(
      history.map((entry) => `${entry.version}:${entry.type}:${entry.actor.email.split('@')[0]}`),
    ).toEqual([
      '1:create:sales.zhang',
      '2:approve_plan:gm.wang',
      '3:complete_action:vp.zhao',
      '4:complete_action:qc.li',
      '5:submit:sales.zhang',
      '6:verify:qc.li',
      `7:revise:${first.status === 200 ? 'sales.zhang' : 'export.wu'}`,
      '8:complete_action:vp.zhao',
      '9:submit:sales.zhang',
      '10:verify:qc.li',
      '11:close:gm.wang',
    ]);
    // Closed: nothing more for anyone.
    expect((await step('gm', capa, { action: 'note', version: 11, text: 'x' })).status).toBe(422);
  });
});

describe('the console forms', () => {
  it('creates from the prefilled form and takes a step, with the CSRF field; refuses a post without it', async () => {
    const complaint = await routedComplaint();
    const { jar } = await signIn(host(), staff.qc.email);
    const form = await (
      await request(
        host(),
        `/staff/capa/new?complaints=${complaint},FB-bogus&category=quality&productModel=X-200&lang=en`,
        { jar },
      )
    ).text();
    expect(form).toContain(`value="${complaint}"`);
    expect(form).toContain('value="X-200"');
    expect(form).toMatch(/<option value="quality" selected>/);
    const csrf = hiddenField(form, 'csrf');
    const fields = {
      type: 'corrective',
      source: 'complaints',
      complaints: complaint,
      problem: 'Three split seams',
      rootCause: 'Glue',
      'actions.0.description': 'Recalibrate',
      'actions.0.department': 'production_vp',
      'actions.0.dueDate': '2099-02-01',
      'actions.1.description': '',
      'actions.1.department': '',
      'actions.1.dueDate': '',
      'effectiveness.method': 'Three months without',
      'effectiveness.dueDate': '2099-06-01',
    };
    const refused = await request(host(), '/staff/capa', { jar, form: fields });
    expect(refused.status).toBe(403);
    const created = await request(host(), '/staff/capa?lang=en', {
      jar,
      form: { csrf, ...fields },
    });
    expect(created.status).toBe(303);
    const location = created.headers.get('location') ?? '';
    expect(location).toMatch(/^\/staff\/capa\/CA-\d{4}-\d{4}\?done=created&lang=en$/);
    const page = await (await request(host(), location, { jar })).text();
    expect(page).toContain('Created.');
    expect(page).toContain('Recalibrate');

    const invalid = await request(host(), '/staff/capa', {
      jar,
      form: { csrf, ...fields, problem: '', 'actions.0.dueDate': '2099-02-30' },
    });
    expect(invalid.status).toBe(400);
    const again = await invalid.text();
    expect(again).toContain('role="alert"');
    expect(again).toContain('>Recalibrate</textarea>');

    const reference = /CA-\d{4}-\d{4}/.exec(location)?.[0] ?? '';
    const gm = await signIn(host(), staff.gm.email);
    const gmPage = await (
      await request(host(), `/staff/capa/${reference}`, { jar: gm.jar })
    ).text();
    const approved = await request(host(), `/staff/capa/${reference}/actions`, {
      jar: gm.jar,
      form: {
        csrf: hiddenField(gmPage, 'csrf'),
        action: 'approve_plan',
        version: hiddenField(gmPage, 'version'),
      },
    });
    expect(approved.headers.get('location')).toBe(`/staff/capa/${reference}?done=done`);
    expect((await api('gm', `/capa/${reference}`)).body.status).toBe('in_progress');
  });

  it('is one CAPA when the form or an API request with its Idempotency-Key is sent twice', async () => {
    const complaint = await routedComplaint();
    const { jar } = await signIn(host(), staff.qc.email);
    const form = await (await request(host(), '/staff/capa/new?lang=en', { jar })).text();
    const fields = {
      csrf: hiddenField(form, 'csrf'),
      idempotencyKey: hiddenField(form, 'idempotencyKey'),
      type: 'corrective',
      source: 'complaints',
      complaints: complaint,
      problem: 'Loose hinges',
      rootCause: 'Torque',
      'actions.0.description': 'Retorque',
      'actions.0.department': 'production_vp',
      'actions.0.dueDate': '2099-02-01',
      'effectiveness.method': 'No loose hinges for a quarter',
      'effectiveness.dueDate': '2099-06-01',
    };
    expect(fields.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    // A double click: the second post lands on the CAPA the first created.
    const [first, second] = await Promise.all([
      request(host(), '/staff/capa?lang=en', { jar, form: fields }),
      request(host(), '/staff/capa?lang=en', { jar, form: fields }),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    const formCapa = /CA-\d{4}-\d{4}/.exec(first.headers.get('location') ?? '')?.[0] ?? '';
    // The same key with the form changed is another request: refused, with a fresh key.
    const changed = await request(host(), '/staff/capa?lang=en', {
      jar,
      form: { ...fields, problem: 'Loose hinges, and squeaks' },
    });
    expect(changed.status).toBe(422);
    const page = await changed.text();
    expect(page).toContain('This form created a CAPA before');
    expect(hiddenField(page, 'idempotencyKey')).not.toBe(fields.idempotencyKey);

    const post = (key: string, body: unknown) =>
      fetch(`${host().url}/staff/api/capa`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokens.qc}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
      });
    const body = capaBody([complaint]);
    const retried = [await post('capa-retry-0001', body), await post('capa-retry-0001', body)];
    expect(retried.map((response) => response.status)).toEqual([201, 201]);
    const references = await Promise.all(
      retried.map(async (response) => ((await response.json()) as { reference: string }).reference),
    );
    const apiCapa = references[0] ?? '';
    expect(references[1]).toBe(apiCapa);
    const malformed = await post('no good', body);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ fields: { 'Idempotency-Key': 'Invalid' } });
    const reused = await post('capa-retry-0001', { ...body, problem: 'Another problem' });
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ error: 'idempotency_key_reused' });
    // A repeat after the answer spends no reference: the next CAPA follows on. (The double
    // click's twin, racing the first, may have spent one: a gap, as after any failed write.)
    const sequence = (reference: string) => Number(reference.slice(-4));
    const next = await api('qc', '/capa', capaBody([complaint]));
    expect(sequence(String(next.body.reference))).toBe(sequence(apiCapa) + 1);
    const { body: detail } = await api('gm', `/complaints/${complaint}`);
    expect(detail.capaReferences).toEqual([formCapa, apiCapa, next.body.reference]);
  });

  it('keeps the new-CAPA form from roles that may not create', async () => {
    const { jar } = await signIn(host(), staff.office.email);
    expect((await request(host(), '/staff/capa/new', { jar })).status).toBe(403);
    expect((await request(host(), '/staff/capa', { jar })).status).toBe(200);
  });
});

describe('overdue actions', () => {
  it('are escalated once each by the escalation schedule, on the CAPA’s record', async () => {
    const created = await api('gm', '/capa', {
      ...capaBody([]),
      source: 'suggestion',
      actions: [{ description: 'Train the drivers', department: 'sales', dueDate: '2030-01-10' }],
    });
    const capa = String(created.body.reference);
    expect((await step('gm', capa, { action: 'approve_plan', version: 1 })).status).toBe(200);

    // The complaints of the other tests are long overdue by then: they are escalated first.
    await host().fire('sla-escalation', new Date('2030-01-10T15:59:00.000Z'));
    let detail = await api('gm', `/capa/${capa}`);
    expect((detail.body.history as { type: string }[]).map((entry) => entry.type)).not.toContain(
      'escalated',
    );

    // Past the end of 2030-01-10 in China: the action is overdue.
    expect(await host().fire('sla-escalation', new Date('2030-01-10T16:00:01.000Z'))).toEqual({
      escalated: 1,
    });
    expect(await host().fire('sla-escalation', new Date('2030-01-10T16:15:01.000Z'))).toEqual({
      escalated: 0,
    });
    detail = await api('gm', `/capa/${capa}`);
    expect(detail.body.history).toContainEqual({
      at: '2030-01-10T15:59:59.999Z',
      type: 'escalated',
      actor: { kind: 'system' },
      fields: { action: 0, department: 'sales', notify: ['sales', 'gm'] },
    });
    expect(detail.body.version).toBe(2);
    // Mailed once to the action's department and the GM, however often the schedule runs.
    await host().fire('sla-escalation', new Date('2030-01-11T00:00:00.000Z'));
    const mails = (await sentEmails(host())).filter((mail) => mail.subject.includes(capa));
    expect(mails.map((mail) => mail.destination.to.join(',').split('@')[0]).sort()).toEqual([
      'gm',
      'sales',
    ]);
    expect(mails[0]?.subject).toBe(`逾期纠正预防措施 Overdue CAPA action ${capa} #1`);
    expect(mails[0]?.body.text).toContain('Train the drivers');

    // Done, it leaves the schedule's index: nothing more to escalate.
    expect(
      (
        await step('sales', capa, {
          action: 'complete_action',
          version: 2,
          index: 0,
          result: 'Trained',
        })
      ).status,
    ).toBe(200);
    expect(await host().fire('sla-escalation', new Date('2031-01-01T00:00:00.000Z'))).toEqual({
      escalated: 0,
    });
  });
});

describe('a crash between a step and its projection', () => {
  it('is repaired by the next read: the item follows its latest event, and the complaint link is put back once', async () => {
    const complaint = await routedComplaint();
    const created = await api('sales', '/capa', capaBody([complaint]));
    const capa = String(created.body.reference);
    expect((await step('gm', capa, { action: 'approve_plan', version: 1 })).status).toBe(200);
    const year = Number(capa.slice(3, 7));
    // As if the process died after the event of version 2 was put: the item still at version 1.
    await documentClient().send(
      new UpdateCommand({
        TableName: localTableName,
        Key: keys.capa(year, capa),
        UpdateExpression: 'SET version = :one, #status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':one': 1, ':open': 'open' },
      }),
    );
    // …and before the complaint's link was written.
    const detail = await api('gm', `/complaints/${complaint}`);
    await documentClient().send(
      new UpdateCommand({
        TableName: localTableName,
        Key: keys.complaint(String(detail.body.id)),
        UpdateExpression: 'REMOVE capaReferences',
      }),
    );
    const repaired = await api('office', `/capa/${capa}`);
    expect(repaired.body).toMatchObject({ status: 'in_progress', version: 2 });
    expect((await api('gm', `/complaints/${complaint}`)).body.capaReferences).toEqual([capa]);
    // A step on the repaired version goes on as usual; a repeat of the repair adds nothing.
    expect(
      (await step('gm', capa, { action: 'note', version: 2, text: 'after the crash' })).status,
    ).toBe(200);
    await api('office', `/capa/${capa}`);
    expect((await api('gm', `/complaints/${complaint}`)).body.capaReferences).toEqual([capa]);
    const page = await signIn(host(), staff.office.email);
    const missing = await request(host(), '/staff/capa/CA-2000-9999', { jar: page.jar });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('没有此编号的纠正预防措施');
  });
});
