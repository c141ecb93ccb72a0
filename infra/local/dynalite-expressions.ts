/**
 * dynalite parses every expression of every request (conditions, updates, key conditions,
 * projections) with parsers generated without memoisation: 0.5–3 ms each, a third of its
 * thread's time under the survey bench, for the dozen expressions our code writes. Parsed
 * once here per expression, attribute names and value types, and given back with the
 * request's own values in place: the result dynalite would have built, in a copy of its own.
 */
import { createRequire } from 'node:module';

type Parse = (expression: string, options: { context: unknown }) => unknown;

/** Where a request's value goes in a cached parse. */
class ValueSlot {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}

/** The parsers' checks read a value's type only, except these (bounds compared, a type name read). */
const readsValues = /between|attribute_type/i;
const valueTypes = ['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M'];
const largest = 2000;

interface Cached {
  template: unknown;
  usedNames: string[];
  usedValues: string[];
}

const patched = Symbol('dynalite expressions cached');

/** Wraps dynalite's three expression parsers (once per thread). */
export function cacheDynaliteExpressions(): void {
  const require = createRequire(import.meta.url);
  for (const name of ['conditionParser', 'updateParser', 'projectionParser']) {
    const parser: unknown = require(`dynalite/db/${name}.js`);
    const parse: unknown = Reflect.get(Object(parser), 'parse');
    if (typeof parse !== 'function')
      throw new Error(`dynalite changed: db/${name}.js has no parse`);
    if (Reflect.get(parse, patched)) continue;
    const original: Parse = (expression, options) =>
      Reflect.apply(parse, parser, [expression, options]);
    const cache = new Map<string, Cached>();
    const cached: Parse = (expression, options) => {
      const context = options.context;
      const names = record(Reflect.get(Object(context), 'attrNames'));
      const values = record(Reflect.get(Object(context), 'attrVals'));
      const unusedNames = record(Reflect.get(Object(context), 'unusedAttrNames'));
      const unusedValues = record(Reflect.get(Object(context), 'unusedAttrVals'));
      if (!unusedNames || !unusedValues) return original(expression, options);
      const key = JSON.stringify([
        expression,
        names ?? null,
        Reflect.get(Object(context), 'isKeyCondition') === true,
        readsValues.test(expression)
          ? (values ?? null)
          : Object.entries(values ?? {}).map(([value, content]) => [value, typeOf(content)]),
      ]);
      const hit = cache.get(key);
      if (hit) {
        for (const used of hit.usedNames) delete unusedNames[used];
        for (const used of hit.usedValues) delete unusedValues[used];
        return instantiate(hit.template, values ?? {});
      }
      const namesBefore = Object.keys(unusedNames);
      const valuesBefore = Object.keys(unusedValues);
      const result = original(expression, options);
      const usedValues = valuesBefore.filter((value) => !(value in unusedValues));
      const template = templateOf(result, values ?? {}, new Set(), 0);
      // Cached only when every value used is in the result as itself (not read into something else).
      if (template.ok && usedValues.every((value) => template.slots.has(value))) {
        if (cache.size >= largest) cache.clear();
        cache.set(key, {
          template: template.value,
          usedNames: namesBefore.filter((used) => !(used in unusedNames)),
          usedValues,
        });
      }
      return result;
    };
    Reflect.set(cached, patched, true);
    Reflect.set(Object(parser), 'parse', cached);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

/** The type the parsers see (their getImmediateType). */
function typeOf(value: unknown): string | null {
  const fields = record(value);
  if (!fields) return null;
  return valueTypes.find((type) => fields[type] !== undefined && fields[type] !== null) ?? null;
}

type Template = { ok: true; value: unknown; slots: Set<string> } | { ok: false };

/** The parse with each of the request's value objects replaced by its slot; plain data only. */
function templateOf(
  node: unknown,
  values: Record<string, unknown>,
  slots: Set<string>,
  depth: number,
): Template {
  if (depth > 50) return { ok: false };
  if (node === null || typeof node !== 'object') {
    return typeof node === 'function' || typeof node === 'symbol'
      ? { ok: false }
      : { ok: true, value: node, slots };
  }
  for (const [name, value] of Object.entries(values)) {
    if (value === node) {
      slots.add(name);
      return { ok: true, value: new ValueSlot(name), slots };
    }
  }
  if (Array.isArray(node)) {
    const copy: unknown[] = [];
    for (const entry of node) {
      const inner = templateOf(entry, values, slots, depth + 1);
      if (!inner.ok) return inner;
      copy.push(inner.value);
    }
    return { ok: true, value: copy, slots };
  }
  const prototype: unknown = Object.getPrototypeOf(node);
  if (prototype !== Object.prototype && prototype !== null) return { ok: false };
  const copy: Record<string, unknown> = Object.create(prototype === null ? null : Object.prototype);
  for (const [field, entry] of Object.entries(node)) {
    const inner = templateOf(entry, values, slots, depth + 1);
    if (!inner.ok) return inner;
    copy[field] = inner.value;
  }
  return { ok: true, value: copy, slots };
}

/** A fresh copy of a template with this request's values in their slots. */
function instantiate(node: unknown, values: Record<string, unknown>): unknown {
  if (node instanceof ValueSlot) return values[node.name];
  if (Array.isArray(node)) return node.map((entry) => instantiate(entry, values));
  if (isRecord(node)) {
    const copy: Record<string, unknown> = Object.create(Object.getPrototypeOf(node));
    for (const [field, entry] of Object.entries(node)) copy[field] = instantiate(entry, values);
    return copy;
  }
  return node;
}
