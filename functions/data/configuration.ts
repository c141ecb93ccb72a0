/** Operator-owned configuration kept in the table: departments, outlets and the routing policy. */
import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import {
  calendarSchema,
  outletSchema,
  routingPolicySchema,
} from '#functions/contract/configuration.ts';
import {
  type Department,
  type DepartmentCode,
  departmentCodes,
  departmentNames,
} from '#functions/domain/departments.ts';
import type { Outlet } from '#functions/domain/outlets.ts';
import { defaultRoutingPolicy, type RoutingPolicy } from '#functions/domain/routing.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { cachedForAWhile } from '#functions/shared/ttl-cache.ts';
import { putIfAbsent, tableName } from './db.ts';
import { departmentItem, itemFamily } from './items.ts';
import { keys } from './keys.ts';

/** Configuration item families; the builders below make every configuration item, wherever written. */
export const outletItem = itemFamily<Outlet>('outlet', outletSchema);
export const routingPolicyItem = itemFamily<RoutingPolicy>('routing policy', routingPolicySchema);
export type Calendar = z.output<typeof calendarSchema>;
export const calendarItem = itemFamily<Calendar>('calendar', calendarSchema);
const networkItem = itemFamily('service network', z.object({ generation: z.string() }));

export const departmentKey = (code: DepartmentCode) => keys.configuration('DEPARTMENT', code);

export function departmentToItem(department: Department): Record<string, unknown> {
  return departmentItem.toItem(departmentKey(department.code), department);
}

/** An outlet, with the generation of the network that configured it, where there is one. */
export function outletToItem(outlet: Outlet, generation?: string): Record<string, unknown> {
  const key = keys.configuration('OUTLET', outlet.id);
  return outletItem.toItem(generation === undefined ? key : { ...key, generation }, outlet);
}

/** What a stage configures, written on deploy (infra/aws) with these builders. */
export interface StageConfiguration {
  departments: Record<DepartmentCode, string>;
  outlets: Outlet[];
  calendar: Calendar;
}

/**
 * The items a deployment writes: the departments with the calendar, and the service network
 * (outlets naming their generation, then the item naming the current one: routing reads only
 * the current generation, so an outlet dropped from the configuration stops being told).
 */
export function deployedConfigurationItems(stage: StageConfiguration): {
  departments: Record<string, unknown>[];
  network: Record<string, unknown>[];
} {
  const generation = createHash('sha256')
    .update(JSON.stringify(stage.outlets))
    .digest('hex')
    .slice(0, 16);
  const departments = departmentCodes.map((code) =>
    departmentToItem({ code, name: departmentNames[code], email: stage.departments[code] }),
  );
  return {
    departments: [...departments, calendarItem.toItem(calendarKey, stage.calendar)],
    network: [
      ...stage.outlets.map((outlet) => outletToItem(outlet, generation)),
      networkItem.toItem(networkKey, { generation }),
    ],
  };
}

/** Writes a department only if it is not configured yet: an operator's edits are never overwritten. */
export async function seedDepartment(department: Department): Promise<boolean> {
  return putIfAbsent(departmentToItem(department));
}

const departments = cachedForAWhile(async () =>
  (await configurationItems('DEPARTMENT')).map(departmentItem.fromItem),
);

/** The configured departments (kept for a minute by a warm environment: see `ttl-cache.ts`). */
export function listDepartments(): Promise<Department[]> {
  return departments(undefined);
}

/** Writes an outlet only if it is not configured yet. */
export async function seedOutlet(outlet: Outlet): Promise<boolean> {
  return putIfAbsent(outletToItem(outlet));
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
    .map(outletItem.fromItem);
});

/** One outlet (kept for a minute). */
export const getOutlet = cachedForAWhile(async (id: string): Promise<Outlet | undefined> => {
  const result = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: keys.configuration('OUTLET', id) }),
  );
  return result.Item ? outletItem.fromItem(result.Item) : undefined;
});

const routingPolicyKey = keys.configuration('ROUTING', 'policy');

export async function seedRoutingPolicy(policy: RoutingPolicy): Promise<boolean> {
  return putIfAbsent(routingPolicyItem.toItem(routingPolicyKey, policy));
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
  const base = policy.Item ? routingPolicyItem.fromItem(policy.Item) : defaultRoutingPolicy;
  return calendar.Item ? { ...base, calendar: calendarItem.fromItem(calendar.Item) } : base;
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
