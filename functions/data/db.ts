/** Shared pieces of table access: the table's name and how a failed condition is recognised. */
import { requiredSetting } from '../shared/config.ts';
import { environmentNames } from '../wiring.ts';

export function tableName(): string {
  return requiredSetting(environmentNames.tableName);
}

export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Drops the key and index attributes so callers see the domain object only. */
export function withoutKeys<T>(item: Record<string, unknown>, keyAttributes: readonly string[]): T {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    if (!keyAttributes.includes(name)) result[name] = value;
  }
  return result as T;
}
