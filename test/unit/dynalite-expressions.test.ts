import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { cacheDynaliteExpressions } from '#infra/local/dynalite-expressions.ts';

type Parse = (expression: string, options: { context: unknown }) => unknown;

const require = createRequire(import.meta.url);
const parsers = ['conditionParser', 'updateParser', 'projectionParser'] as const;
type ParserName = (typeof parsers)[number];

/** The parser's `parse` as it is now (`live`), or as it was before the cache (`shipped`). */
function parseOf(name: ParserName): { live: Parse; shipped: Parse } {
  const parser: unknown = require(`dynalite/db/${name}.js`);
  const shipped: unknown = Reflect.get(Object(parser), 'parse');
  if (typeof shipped !== 'function') throw new Error(`dynalite/db/${name}.js has no parse`);
  return {
    shipped: (expression, options) => Reflect.apply(shipped, parser, [expression, options]),
    live: (expression, options) =>
      Reflect.apply(Reflect.get(Object(parser), 'parse'), parser, [expression, options]),
  };
}
const parse = Object.fromEntries(parsers.map((name) => [name, parseOf(name)]));
cacheDynaliteExpressions();

function fail(): never {
  throw new Error('no such parser');
}

type Values = Record<string, Record<string, unknown>> | undefined;

function context(names: Record<string, string> | undefined, values: Values, keyCondition = false) {
  return {
    attrNames: names,
    attrVals: values,
    unusedAttrNames: Object.fromEntries(Object.keys(names ?? {}).map((name) => [name, true])),
    unusedAttrVals: Object.fromEntries(Object.keys(values ?? {}).map((value) => [value, true])),
    isReserved: (name: string) => name.toUpperCase() === 'STATUS',
    compare: (comparison: string, x: { S?: string; N?: string }, y: { S?: string; N?: string }) =>
      comparison === 'GT' &&
      (x.N !== undefined ? Number(x.N) > Number(y.N) : (x.S ?? '') > (y.S ?? '')),
    ...(keyCondition ? { isKeyCondition: true } : {}),
  };
}

/** What a parse gives: its result (or error) and the names and values it left unused. */
function outcome(parse: Parse, expression: string, made: ReturnType<typeof context>) {
  let result: unknown;
  try {
    result = parse(expression, { context: made });
  } catch (error) {
    result = { error: error instanceof Error ? error.message : String(error) };
  }
  return { result, unusedNames: made.unusedAttrNames, unusedValues: made.unusedAttrVals };
}

const cases: [ParserName, string, Record<string, string> | undefined, Values[], boolean?][] = [
  ['conditionParser', 'attribute_not_exists(pk)', undefined, [undefined]],
  [
    'conditionParser',
    'attribute_not_exists(pk) OR (#state = :released AND #lease < :now)',
    { '#state': 'state', '#lease': 'leaseUntil' },
    [
      { ':released': { S: 'released' }, ':now': { S: '2026-01-01' } },
      { ':released': { S: 'free' }, ':now': { S: '2027-01-01' } },
      { ':released': { S: 'free' }, ':now': { N: '5' } },
    ],
  ],
  [
    'conditionParser',
    'size(:text) > :n',
    undefined,
    [
      { ':text': { S: 'abc' }, ':n': { N: '1' } },
      { ':text': { N: '3' }, ':n': { N: '1' } },
    ],
  ],
  [
    'conditionParser',
    'fanOutCursor = :from',
    undefined,
    [{ ':from': { S: 'a' } }, { ':other': { S: 'b' } }],
  ],
  [
    'conditionParser',
    'pk = :pk AND sk BETWEEN :low AND :high',
    undefined,
    [
      { ':pk': { S: 'P' }, ':low': { S: 'a' }, ':high': { S: 'b' } },
      { ':pk': { S: 'P' }, ':low': { S: 'b' }, ':high': { S: 'a' } },
    ],
    true,
  ],
  [
    'conditionParser',
    'attribute_type(#a, :t)',
    { '#a': 'a' },
    [{ ':t': { S: 'S' } }, { ':t': { S: 'NOPE' } }],
  ],
  ['conditionParser', 'status = :s', undefined, [{ ':s': { S: 'x' } }]],
  [
    'updateParser',
    'SET #n = :n, sentAt = :at REMOVE claimToken ADD attempts :one',
    { '#n': 'name' },
    [
      { ':n': { S: 'a' }, ':at': { S: 't' }, ':one': { N: '1' } },
      { ':n': { M: { x: { S: 'y' } } }, ':at': { S: 'u' }, ':one': { N: '2' } },
      { ':n': { S: 'a' }, ':at': { S: 't' }, ':one': { S: 'x' } },
    ],
  ],
  [
    'updateParser',
    'SET history = list_append(if_not_exists(history, :empty), :entry)',
    undefined,
    [
      { ':empty': { L: [] }, ':entry': { L: [{ S: 'one' }] } },
      { ':empty': { L: [] }, ':entry': { S: 'not a list' } },
    ],
  ],
  ['projectionParser', 'pk, sk, #d', { '#d': 'description' }, [undefined]],
];

describe("the local host's cache of dynalite's parsed expressions", () => {
  it('gives what dynalite would: the same result or error, the same names and values left unused', () => {
    for (const [parser, expression, names, valueSets, keyCondition] of cases) {
      for (let round = 0; round < 2; round++) {
        for (const values of valueSets) {
          const expected = outcome(
            parse[parser]?.shipped ?? fail(),
            expression,
            context(names, values, keyCondition),
          );
          const actual = outcome(
            parse[parser]?.live ?? fail(),
            expression,
            context(names, values, keyCondition),
          );
          expect(actual, `${parser} ${expression} ${JSON.stringify(values)}`).toEqual(expected);
        }
      }
    }
  });

  it("puts this request's own values in a fresh copy", () => {
    const live = parse.updateParser?.live ?? fail();
    const first = { ':v': { S: 'first' } };
    const second = { ':v': { S: 'second' } };
    const one = live('SET a = :v', { context: context(undefined, first) });
    const two = live('SET a = :v', { context: context(undefined, second) });
    expect(JSON.stringify(two)).toContain('second');
    expect(JSON.stringify(two)).not.toContain('first');
    expect(JSON.stringify(one)).toContain('first');
    const found: unknown[] = [];
    JSON.stringify(two, (_key, value: unknown) => {
      found.push(value);
      return value;
    });
    expect(found).toContain(second[':v']);
  });
});
