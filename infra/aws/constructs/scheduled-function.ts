/**
 * A schedule of the wiring (functions/wiring.ts) that invokes its function with the same
 * event the local clock and `npm run fire` send. A run that fails for good, at the Scheduler
 * or in the function after Lambda's own retries, lands in the schedules' dead-letter queue.
 */
import { Duration, TimeZone } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { scheduleInput } from '#functions/contract/messages.ts';
import type { FunctionName } from '#functions/wiring.ts';
import { FlatConstruct } from './flat.ts';
import { pascal } from './names.ts';

export interface ScheduledFunctionProps {
  name: FunctionName;
  fn: IFunction;
  /** The wiring's schedule; `expression` and `timezone` may be the stage's own. */
  trigger: { name: string; expression: string; timezone: string };
  retryAttempts: number;
  deadLetterQueue: IQueue;
}

/** Its id is `<Name>Schedule`, the schedule's own (the schedule is its 'Default' child: see flat.ts). */
export class ScheduledFunction extends FlatConstruct {
  readonly schedule: Schedule;

  constructor(scope: Construct, props: ScheduledFunctionProps) {
    const { fn, trigger, deadLetterQueue } = props;
    super(scope, `${pascal(props.name)}Schedule`);
    const { expression, timezone } = trigger;
    this.schedule = new Schedule(this, 'Default', {
      description: `${trigger.name}: ${expression} (${timezone})`,
      schedule: ScheduleExpression.expression(expression, TimeZone.of(timezone)),
      target: new InvokeFunction(fn, {
        // The same event the local clock and `npm run fire` send.
        input: ScheduleTargetInput.fromObject(
          scheduleInput(trigger.name, ContextAttribute.scheduledTime, ContextAttribute.executionId),
        ),
        retryAttempts: props.retryAttempts,
        maxEventAge: Duration.hours(1),
        deadLetterQueue,
      }),
    });
    // Scheduler invokes asynchronously: a run that fails after Lambda's own retries lands
    // in the same dead-letter queue instead of vanishing.
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(deadLetterQueue),
    });
  }
}

/** Scheduler may invoke exactly this function: no `:*` for every version and alias. */
class InvokeFunction extends LambdaInvoke {
  private readonly target: IFunction;

  constructor(target: IFunction, props: ScheduleTargetBaseProps) {
    super(target, props);
    this.target = target;
  }

  protected override addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.target.functionArn],
      }),
    );
  }
}
