/** Operator-owned configuration kept in the table: departments, outlets and the routing policy. */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  parseCalendar,
  parseOutlet,
  parseRoutingPolicy,
} from '#functions/contract/configuration.ts';
import type { Department } from '#functions/domain/departments.ts';
import type { Outlet } from '#functions/domain/outlets.ts';
import { defaultRoutingPolicy, type RoutingPolicy } from '#functions/domain/routing.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { cachedForAWhile } from '#functions/shared/ttl-cache.ts';
import { putIfAbsent, tableName } from './db.ts';
import { keys } from './keys.ts';

/** Writes a department only if it is not configured yet: an operator's edits are never overwritten. */
export async function seedDepartment(department: Department): Promise<boolean> {
  return putIfAbsent({ ...keys.configuration('DEPARTMENT', department.code), ...department });
}

const departments = cachedForAWhile(async () =>
  (await configurationItems('DEPARTMENT')).map(
    ({ code, name, email }) => ({ code, name, email }) as Department,
  ),
);

/** The configured departments (kept for a minute by a warm environment: see `ttl-cache.ts`). */
export function listDepartments(): Promise<Department[]> {
  return departments(undefined);
}

/** Writes an outlet only if it is not configured yet. */
export async function seedOutlet(outlet: Outlet): Promise<boolean> {
  return putIfAbsent({ ...keys.configuration('OUTLET', outlet.id), ...outlet });
}

/**
 * The service network a deployment configured: outlet items carry the `generation` of the
 * deployment that wrote them, and `NETWORK#current` names the current one, so an outlet
 * dropped from the configuration is no longer told of anything. Without that item (the local
 * host seeds outlets one by one) every outlet counts.
 */
export const networkKey = keys.configuration('NETWORK', 'current');

/** Every outlet of the current network, validated: a broken entry stops routing loudly (kept for a minute). */
export function listOutlets(): Promise<Outlet[]> {
  return outlets(undefined);
}

const outlets = cachedForAWhile(async (): Promise<Outlet[]> => {
  const [items, network] = await Promise.all([
    configurationItems('OUTLET'),
    documentClient().send(new GetCommand({ TableName: tableName(), Key: networkKey })),
  ]);
  const generation = network.Item?.generation;
  return items
    .filter((item) => generation === undefined || item.generation === generation)
    .map(parseOutlet);
});

/** One outlet (kept for a minute). */
export const getOutlet = cachedForAWhile(async (id: string): Promise<Outlet | undefined> => {
  const result = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: keys.configuration('OUTLET', id) }),
  );
  return result.Item ? parseOutlet(result.Item) : undefined;
});

const routingPolicyKey = keys.configuration('ROUTING', 'policy');

export async function seedRoutingPolicy(policy: RoutingPolicy): Promise<boolean> {
  return putIfAbsent({ ...routingPolicyKey, ...policy });
}

/** The working calendar a deployment configured (holidays, 调休 working weekend days). */
export const calendarKey = keys.configuration('CALENDAR', 'current');

/**
 * The configured routing policy, or the default where none is configured; the stage's
 * calendar, where one is written, gives its holidays and working weekend days (kept for a minute).
 */
export function getRoutingPolicy(): Promise<RoutingPolicy> {
  return routingPolicy(undefined);
}

const routingPolicy = cachedForAWhile(async (): Promise<RoutingPolicy> => {
  const [policy, calendar] = await Promise.all([
    documentClient().send(new GetCommand({ TableName: tableName(), Key: routingPolicyKey })),
    documentClient().send(new GetCommand({ TableName: tableName(), Key: calendarKey })),
  ]);
  const base = policy.Item ? parseRoutingPolicy(policy.Item) : defaultRoutingPolicy;
  return calendar.Item ? { ...base, calendar: parseCalendar(calendar.Item) } : base;
});

/** The configured items of one kind, as stored (one Query). */
async function configurationItems(kind: string): Promise<Record<string, unknown>[]> {
  const prefix = keys.configurationKind(kind);
  const result = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
    }),
  );
  return result.Items ?? [];
}
