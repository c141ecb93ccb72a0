/**
 * What became of a mail after SES accepted it, from SES's events: on its marker
 * (`deliveryOutcome`: delivered, bounced, complained; written with the event, see
 * `recordMailEvent`) and, for the customer's mail about a
 * complaint that bounced for good, on the complaint itself.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableName, writeIf } from './db.ts';
import { type ItemKey, keys } from './keys.ts';

export type DeliveryOutcome = 'delivered' | 'bounced' | 'complained';

/** The complaint and notification a marker stands for, when it is mail to the customer. */
export function customerMailOf(
  marker: ItemKey,
): { complaintId: string; notification: string } | undefined {
  const prefix = keys.complaintPartition('');
  const notificationPrefix = keys.notification('', '').sk;
  if (!marker.pk.startsWith(prefix) || !marker.sk.startsWith(notificationPrefix)) return undefined;
  const notification = marker.sk.slice(notificationPrefix.length);
  if (!notification.endsWith(':customer')) return undefined;
  return { complaintId: marker.pk.slice(prefix.length), notification };
}

/** The first bounce is kept; false when the complaint is gone. */
export function recordCustomerMailBounce(
  complaintId: string,
  notification: string,
  at: string,
): Promise<boolean> {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.complaint(complaintId),
      UpdateExpression: 'SET customerMailBounce = if_not_exists(customerMailBounce, :bounce)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':bounce': { at, notification } },
    }),
  );
}
