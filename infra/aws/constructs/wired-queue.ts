/**
 * One queue of the wiring (functions/wiring.ts) with its dead-letter queue and their alarms:
 * anything in the dead-letter queue, and a message waiting too long on the queue.
 */
import { Duration } from 'aws-cdk-lib';
import { Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  type QueueName,
  queues as queueSpecs,
  visibilityTimeoutSeconds,
} from '#functions/wiring.ts';
import type { Alarms } from './alarms.ts';
import { FlatConstruct } from './flat.ts';
import { pascal } from './names.ts';

/** A queue encrypted by SQS that refuses plain HTTP. */
export function encryptedQueue(
  scope: Construct,
  id: string,
  props: { retentionPeriod: Duration },
): Queue {
  return new Queue(scope, id, {
    ...props,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
}

export interface WiredQueueProps {
  name: QueueName;
  alarms: Alarms;
  /** Alarm when the oldest message has waited this long. */
  oldestMessageAgeMinutes: number;
}

/** Its id is `<Name>Queue`, the queue's own (the queue is its 'Default' child: see flat.ts). */
export class WiredQueue extends FlatConstruct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  static idFor(name: QueueName): string {
    return `${pascal(name)}Queue`;
  }

  constructor(scope: Construct, props: WiredQueueProps) {
    const { name, alarms, oldestMessageAgeMinutes } = props;
    super(scope, WiredQueue.idFor(name));
    const id = pascal(name);
    this.deadLetterQueue = encryptedQueue(this, `${id}DeadLetterQueue`, {
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Default', {
      visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(name)),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: queueSpecs[name].maxReceiveCount,
      },
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    alarms.deadLetterQueue(this, `${id}DeadLetterQueue`, this.deadLetterQueue);
    alarms.add(
      this,
      `${id}QueueOldestMessageAlarm`,
      this.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: Stats.MAXIMUM,
      }),
      oldestMessageAgeMinutes * 60,
      `The oldest message on the ${name} queue has waited over ${oldestMessageAgeMinutes} minutes: its consumer is failing or too slow.`,
    );
  }
}
