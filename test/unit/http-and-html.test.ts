import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from '#functions/shared/html.ts';
import { formToObject } from '#functions/shared/http.ts';
import { httpHandler } from '#functions/shared/http-handler.ts';
import { relativeUrl, slashRedirect } from '#functions/shared/links.ts';

describe('form bodies', () => {
  it('nests dotted names', () => {
    const form = new URLSearchParams('customer.email=a%40b.c&customer.name=Li&subject=Hi');
    expect(formToObject(form)).toEqual({ customer: { email: 'a@b.c', name: 'Li' }, subject: 'Hi' });
  });

  it('ignores prototype keys and keeps the first value of a repeated name', () => {
    const form = new URLSearchParams(
      '__proto__.polluted=1&a.constructor.x=1&subject=one&subject=two',
    );
    const result = formToObject(form);
    expect(result).toEqual({ subject: 'one' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not let a plain value be overwritten by a nested one', () => {
    expect(formToObject(new URLSearchParams('customer=x&customer.name=y'))).toEqual({
      customer: 'x',
    });
  });
});

describe('html escaping', () => {
  it('escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('escapes every interpolated value but not nested templates', () => {
    const name = '<script>alert(1)</script>';
    const page = html`<p>${name}</p>${html`<br>`}${[html`<i>${'&'}</i>`]}`;
    expect(page.html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><br><i>&amp;</i>');
  });
});

describe('an unexpected error in an HTTP handler', () => {
  it('becomes a plain 500 whose log line carries no request data', async () => {
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    const previousLevel = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'info';
    process.stderr.write = (chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    };
    try {
      const handler = httpHandler(async () => {
        throw new Error('ProvisionedThroughputExceededException');
      });
      const event = {
        resource: '/complaints',
        httpMethod: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customer: { email: 'secret.person@example.org' } }),
      } as unknown as APIGatewayProxyEvent;
      const response = await handler(event, {} as Context);
      expect(response.statusCode).toBe(500);
      expect(JSON.parse(response.body)).toMatchObject({ error: 'internal_error' });
      expect(response.body).not.toContain('Provisioned');
    } finally {
      process.stderr.write = write;
      process.env.LOG_LEVEL = previousLevel;
    }
    expect(lines.join('')).toContain('"route":"/complaints"');
    expect(lines.join('')).not.toContain('secret.person');
  });
});

describe('links between pages', () => {
  it('are relative to the route, so they work at any address', () => {
    expect(relativeUrl('/', '/complaints')).toBe('./complaints');
    expect(relativeUrl('/thanks', '/status', { lang: 'en' })).toBe('./status?lang=en');
    expect(relativeUrl('/complaints/{reference}', '/status')).toBe('../status');
    expect(relativeUrl('/attachments/recorded', '/attachments')).toBe('../attachments');
  });

  it('send a stage root without its slash to the slash, and leave the rest alone', () => {
    expect(slashRedirect('/prod')).toBe('prod/');
    expect(slashRedirect('/prod', { lang: 'en' })).toBe('prod/?lang=en');
    expect(slashRedirect('/prod/')).toBeUndefined();
    expect(slashRedirect('/')).toBeUndefined();
  });
});
