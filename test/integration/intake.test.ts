/** Complaint intake over real HTTP against the local host and its stand-ins. */

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '#functions/data/keys.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { localTableName } from '#infra/local/host.ts';
import {
  postForm,
  postJson,
  useTestHost,
  validComplaint,
  waitFor,
} from '#test/support/local-host.ts';
import { storedComplaint, storedComplaints } from '#test/support/table.ts';

const host = useTestHost();

async function complaintCount(): Promise<number> {
  return (await storedComplaints()).length;
}

describe('POST /complaints with JSON', () => {
  it('stores the complaint and answers 202 with its reference and status URL', async () => {
    const before = await complaintCount();
    const response = await postJson(host(), '/complaints', validComplaint());
    expect(response.status).toBe(202);
    const body = (await response.json()) as Record<string, string>;
    expect(body).toEqual({
      id: expect.any(String),
      reference: expect.stringMatching(/^FB-\d{4}-\d{6}$/),
      status: 'received',
      // A fresh access token of this complaint, never the customer's address.
      statusUrl: expect.stringMatching(
        new RegExp(`^${host().url}/complaints/${body.reference}\\?access=[A-Za-z0-9_-]{43}$`),
      ),
    });
    expect(await complaintCount()).toBe(before + 1);

    const stored = await documentClient().send(
      new QueryCommand({
        TableName: localTableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.complaintPartition(body.id as string) },
      }),
    );
    const complaint = stored.Items?.find((item) => item.sk === 'COMPLAINT');
    expect(complaint).toMatchObject({
      reference: body.reference,
      // Routing picks it up at once: either is right this early.
      status: expect.stringMatching(/^(received|routed)$/),
      channel: 'web',
      language: 'zh',
      customer: { region: 'CN-GD', market: 'domestic' },
    });
    // Routing confirms the message it got (intake writes nothing after the send).
    const confirmed = await waitFor(async () => {
      const item = await storedComplaint(body.id as string);
      return item?.enqueuedAt ? item : undefined;
    }, 'routing to confirm the enqueue');
    expect(confirmed.enqueuedAt).toEqual(expect.any(String));
    expect(confirmed.dueKey).not.toBe('DUE#enqueue');
  });

  it('numbers references sequentially within the year', async () => {
    const first = (await (await postJson(host(), '/complaints', validComplaint())).json()) as {
      reference: string;
    };
    const second = (await (await postJson(host(), '/complaints', validComplaint())).json()) as {
      reference: string;
    };
    const number = (reference: string) => Number(reference.split('-')[2]);
    expect(number(second.reference)).toBe(number(first.reference) + 1);
    expect(second.reference.slice(0, 8)).toBe(first.reference.slice(0, 8));
  });

  it('defaults export customers to English and normalises their country', async () => {
    const response = await postJson(
      host(),
      '/complaints',
      validComplaint({
        customer: {
          name: 'Anna Schmidt',
          email: 'anna@kunde.example',
          market: 'export',
          region: 'de',
        },
        category: 'wrong_goods',
      }),
    );
    expect(response.status).toBe(202);
  });
});

describe('POST /complaints with a form', () => {
  it('answers 303 to a thank-you page that shows the reference', async () => {
    const response = await postForm(host(), '/complaints', {
      'customer.name': '王芳',
      'customer.email': 'wang.fang@customer.example',
      'customer.market': 'domestic',
      'customer.region': '浙江省',
      category: 'delivery',
      subject: '交货延迟',
      description: '合同约定 11 月 1 日交货，至今未到。',
      'claim.type': '',
      'order.orderNo': 'DD-7781',
    });
    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    // Relative, so the browser stays at whatever address it opened the form at.
    expect(location).toMatch(/^\.\/thanks\?/);
    const thanks = new URL(location, `${host().url}/complaints`);
    const reference = thanks.searchParams.get('reference');
    expect(reference).toMatch(/^FB-\d{4}-\d{6}$/);
    const page = await fetch(thanks);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain(reference);
    expect(text).toContain('我们已收到您的意见');
  });

  it('confirms a reference on the thank-you page only with its receipt', async () => {
    const response = await postForm(host(), '/complaints', {
      'customer.name': '王芳',
      'customer.email': 'wang.fang@customer.example',
      'customer.market': 'domestic',
      'customer.region': '浙江',
      category: 'delivery',
      subject: '交货延迟',
      description: '合同约定 11 月 1 日交货，至今未到。',
    });
    const thanks = new URL(response.headers.get('location') ?? '', `${host().url}/complaints`);
    const reference = thanks.searchParams.get('reference') ?? '';
    const [year] = reference.split('-').slice(1);
    const page = (query: Record<string, string>) =>
      fetch(`${host().url}/thanks?${new URLSearchParams(query)}`);
    const withoutReceipt = await page({ reference });
    const wrongReceipt = await page({ reference, receipt: crypto.randomUUID() });
    const unknown = await page({ reference: `FB-${year}-999999` });
    for (const answer of [withoutReceipt, wrongReceipt, unknown]) {
      expect(answer.status).toBe(404);
      expect(await answer.clone().text()).not.toContain('我们已收到您的意见');
    }
    // An existing reference and a made-up one cannot be told apart.
    expect(await withoutReceipt.text()).toBe(await unknown.text());
  });

  it('shows the form again with the errors and the values typed so far', async () => {
    const before = await complaintCount();
    const response = await postForm(host(), '/complaints', {
      'customer.name': '王芳',
      'customer.email': 'not-an-address',
      'customer.market': 'domestic',
      'customer.region': '广东',
      category: 'delivery',
      subject: '<b>交货延迟</b>',
      description: '说明',
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('邮箱地址无效');
    expect(page).toContain('value="&lt;b&gt;交货延迟&lt;/b&gt;"');
    expect(page).not.toContain('<b>交货延迟</b>');
    expect(await complaintCount()).toBe(before);
  });
});

describe('GET / (the form)', () => {
  it('serves a bilingual form that posts to /complaints without JavaScript', async () => {
    const response = await fetch(`${host().url}/`);
    expect(response.status).toBe(200);
    const page = await response.text();
    // Relative: an absolute action breaks `form-action 'self'` at any other address.
    expect(page).toContain('action="./complaints"');
    expect(page).toContain('name="customer.email"');
    expect(page).toContain('name="idempotencyKey"');
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain('姓名');
    expect(page).not.toContain('<script');
  });

  it('serves an English page for export customers, export chosen, with the privacy notice', async () => {
    const page = await (await fetch(`${host().url}/?lang=en`)).text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('Name');
    expect(page).not.toContain('姓名');
    expect(page).toMatch(/<option value="export" selected>/);
    expect(page).toContain('name="language" value="en"');
    expect(page).toContain('Privacy notice');
    expect(page).toContain('href="./?lang=zh"');
  });
});

describe('GET /privacy', () => {
  it('shows the privacy notice in the language asked for', async () => {
    const english = await fetch(`${host().url}/privacy?lang=en`);
    expect(english.status).toBe(200);
    const text = await english.text();
    expect(text).toContain('<html lang="en">');
    expect(text).toContain('three years');
    expect(await (await fetch(`${host().url}/privacy`)).text()).toContain('三年');
  });
});

describe('form errors', () => {
  it('come in one round, in the page language, each tied to its field and listed on top', async () => {
    const response = await postForm(host(), '/complaints', {
      language: 'en',
      idempotencyKey: crypto.randomUUID(),
      'customer.name': 'Maria Rossi',
      'customer.email': 'not-an-address',
      'customer.market': 'export',
      'customer.region': 'Atlantis',
      category: 'delivery',
      subject: '',
      description: 'Container due 1 November, still not shipped.',
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('<html lang="en">');
    for (const [id, message] of [
      ['customer-email', 'Not a valid email address'],
      ['customer-region', 'Not a country name or ISO code'],
      ['subject', 'Required'],
    ] as const) {
      expect(page).toContain(`<a href="#${id}">`);
      expect(page).toContain(`<div class="error" id="${id}-error">${message}`);
      expect(page).toMatch(new RegExp(`id="${id}"[^>]*aria-describedby="[^"]*${id}-error"`));
    }
    expect(page).not.toContain('邮箱地址无效');
  });

  it('accept a country by its English or Chinese name', async () => {
    for (const region of ['Germany', '德国', 'de']) {
      const response = await postForm(host(), '/complaints', {
        'customer.name': 'Jonas Weber',
        'customer.email': 'jonas.weber@kunde.example',
        'customer.market': 'export',
        'customer.region': region,
        category: 'delivery',
        subject: 'Late delivery',
        description: 'Still not shipped.',
      });
      expect(response.status).toBe(303);
    }
  });
});
