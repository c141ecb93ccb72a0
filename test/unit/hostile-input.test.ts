/** Prototype keys, deep nesting and numbers the table cannot hold, refused before validation reads them. */
import { describe, expect, it } from 'vitest';
import { parseComplaintSubmission } from '#functions/contract/complaint-submission.ts';
import { parseCustomerRecord } from '#functions/contract/customer-csv.ts';
import { dropBlankStrings, isStorableNumber } from '#functions/contract/fields.ts';
import { maxNestingDepth, nestsDeeperThan } from '#functions/contract/plain-data.ts';
import { parseSurveyAnswer } from '#functions/contract/survey-answer.ts';
import { formToObject, parseBody, pathParameter } from '#functions/shared/http.ts';

const customer = {
  name: 'Li',
  email: 'li@customer.example',
  market: 'domestic',
  region: '广东',
};
const valid = { customer, category: 'quality', subject: 'Peeling', description: 'It peels.' };

function errorsOf(input: unknown): Record<string, string> {
  const result = parseComplaintSubmission(input);
  if (result.ok) throw new Error('expected a validation failure');
  return result.errors;
}

/** A body as JSON.parse reads it: `__proto__` is then an own key, as in any posted body. */
function posted(json: string): unknown {
  return JSON.parse(json);
}

function nested(depth: number, leaf: unknown = 'x'): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

function jsonEvent(body: string) {
  return { body, headers: { 'content-type': 'application/json' }, isBase64Encoded: false };
}

describe('prototype keys in JSON', () => {
  it('does not take a field from an object smuggled under __proto__', () => {
    const { category: _category, ...withoutCategory } = valid;
    const body = posted(
      JSON.stringify(withoutCategory).replace('{', '{"__proto__":{"category":"delivery"},'),
    );
    expect(body).toHaveProperty('__proto__');
    expect(Object.keys(errorsOf(body))).toEqual(['category']);
  });

  it('does not take the customer address from __proto__', () => {
    const { email: _email, ...withoutEmail } = customer;
    const body = posted(
      JSON.stringify({ ...valid, customer: withoutEmail }).replace(
        '"customer":{',
        '"customer":{"__proto__":{"email":"x@example.org"},',
      ),
    );
    expect(errorsOf(body)).toHaveProperty(['customer.email']);
  });

  it('leaves prototype keys out of the copy validation reads, at every level', () => {
    const cleaned = dropBlankStrings(
      posted(
        '{"__proto__":{"a":1},"constructor":{"b":2},"x":{"prototype":3,"__proto__":[4],"y":5}}',
      ),
    );
    expect(Object.getPrototypeOf(cleaned)).toBeNull();
    expect(Object.keys(cleaned as object)).toEqual(['x']);
    expect(Object.keys((cleaned as { x: object }).x)).toEqual(['y']);
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });

  it('keeps valid fields beside prototype keys', () => {
    const body = posted(JSON.stringify(valid).replace('{', '{"constructor":{"name":"x"},'));
    expect(parseComplaintSubmission(body).ok).toBe(true);
  });

  it('refuses prototype keys in survey answers and customer rows', () => {
    const answer = parseSurveyAnswer(posted('{"__proto__":{"quality":5,"recommend":9}}'));
    expect(answer.ok).toBe(false);
    const row = parseCustomerRecord({ ...customer, market: 'constructor' });
    expect(row.ok ? row.value : row.errors).toHaveProperty('market');
    expect(parseCustomerRecord({ ...customer, language: 'toString' }).ok).toBe(false);
  });
});

describe('prototype keys in forms', () => {
  it('skips __proto__, constructor and prototype at any position of a dotted name', () => {
    const form = formToObject(
      new URLSearchParams(
        '__proto__.category=delivery&customer.__proto__.email=x%40example.org&constructor=1&customer.prototype=2&subject=s',
      ),
    );
    expect(Object.getPrototypeOf(form)).toBeNull();
    expect(Object.keys(form)).toEqual(['subject']);
    expect(form.category).toBeUndefined();
  });

  it('keeps fields named like Object.prototype members', () => {
    const form = formToObject(new URLSearchParams('toString=a&valueOf.x=b&hasOwnProperty=c'));
    expect(Object.keys(form).sort()).toEqual(['hasOwnProperty', 'toString', 'valueOf']);
  });

  it('does not let a form smuggle a category into the complaint', () => {
    const form = formToObject(
      new URLSearchParams({
        '__proto__.category': 'delivery',
        'customer.name': 'Li',
        'customer.email': 'li@customer.example',
        'customer.market': 'domestic',
        'customer.region': '广东',
        subject: 's',
        description: 'd',
      }),
    );
    expect(Object.keys(errorsOf(form))).toEqual(['category']);
  });
});

describe('nesting', () => {
  it('counts levels without recursion, whatever the depth', () => {
    expect(nestsDeeperThan(nested(maxNestingDepth), maxNestingDepth)).toBe(false);
    expect(nestsDeeperThan(nested(maxNestingDepth + 1), maxNestingDepth)).toBe(true);
    expect(nestsDeeperThan(nested(200_000), maxNestingDepth)).toBe(true);
    expect(nestsDeeperThan('text', 0)).toBe(false);
  });

  it.each([
    ['the body', (deep: unknown) => deep],
    ['the customer', (deep: unknown) => ({ ...valid, customer: deep })],
    ['an unknown field', (deep: unknown) => ({ ...valid, extra: [deep] })],
  ])('refuses deep nesting in %s as a validation error, not a stack overflow', (_, place) => {
    expect(errorsOf(place(nested(50_000)))).toEqual({ _: expect.stringContaining('Nested') });
  });

  it('refuses a JSON body nested thousands of levels deep before anything walks it', () => {
    const depth = 10_000;
    const result = parseBody(jsonEvent(`${'['.repeat(depth)}${']'.repeat(depth)}`), 64 * 1024);
    expect(result).toMatchObject({ ok: false, status: 400, error: 'too_deeply_nested' });
    const shallow = parseBody(jsonEvent(JSON.stringify(nested(maxNestingDepth))), 64 * 1024);
    expect(shallow.ok).toBe(true);
  });
});

describe('numbers and strings the table cannot hold', () => {
  it.each([1e-200, 5e-324, 0.001, 12.345, 1e300, Number.MAX_VALUE])(
    'refuses the amount %s with a field message',
    (amount) => {
      expect(errorsOf({ ...valid, claim: { type: 'compensation', amount } })).toHaveProperty([
        'claim.amount',
      ]);
    },
  );

  it('refuses a JSON amount of more than 38 significant digits that is not whole cents', () => {
    const body = posted(
      JSON.stringify({ ...valid, claim: { type: 'compensation', amount: 0 } }).replace(
        '"amount":0',
        '"amount":1.000000000000000000000000000000000000001',
      ),
    );
    // JSON.parse rounds it to a double; what is stored is that double, written in at most 17 digits.
    const result = parseComplaintSubmission(body);
    expect(result.ok && result.value.claim?.amount).toBe(1);
  });

  it('accepts whole cents up to the limit', () => {
    for (const amount of [0.01, 0.29, 1200.5, 999_999_999.99, 1_000_000_000]) {
      const result = parseComplaintSubmission({
        ...valid,
        claim: { type: 'compensation', amount },
      });
      expect(result.ok && result.value.claim?.amount).toBe(amount);
    }
  });

  it('knows the range DynamoDB and its SDK accept', () => {
    expect([0, 1e-130, 0.01, 9_007_199_254_740_991, -5].every(isStorableNumber)).toBe(true);
    expect(
      [1e-131, 5e-324, 2 ** 53, 1e126, Number.NaN, Number.POSITIVE_INFINITY].some(isStorableNumber),
    ).toBe(false);
  });

  it('refuses a lone surrogate in text', () => {
    expect(errorsOf({ ...valid, subject: 'broken \ud800' })).toHaveProperty('subject');
  });
});

describe('path parameters', () => {
  const event = (reference: string) => ({ pathParameters: { reference } });

  it('decodes escapes and gives undefined for a malformed one', () => {
    expect(pathParameter(event('FB-2026-000001'), 'reference')).toBe('FB-2026-000001');
    expect(pathParameter(event('%E4%B8%AD'), 'reference')).toBe('中');
    expect(pathParameter(event('%zz'), 'reference')).toBeUndefined();
    expect(pathParameter(event('%E4%B8'), 'reference')).toBeUndefined();
    expect(pathParameter(event('x'), 'token')).toBeUndefined();
  });
});
