/** Operator-owned configuration kept in the table: departments (and, later, outlets). */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Department } from '../domain/departments.ts';
import { documentClient } from '../shared/aws/dynamodb.ts';
import { isConditionFailure, tableName } from './db.ts';
import { keys } from './keys.ts';

/** Writes a department only if it is not configured yet: an operator's edits are never overwritten. */
export async function seedDepartment(department: Department): Promise<boolean> {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.configuration('DEPARTMENT', department.code), ...department },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function listDepartments(): Promise<Department[]> {
  const kind = keys.configurationKind('DEPARTMENT');
  const result = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': kind.pk, ':prefix': kind.skPrefix },
    }),
  );
  return (result.Items ?? []).map(({ code, name, email }) => ({ code, name, email }) as Department);
}
