/**
 * The stateless part, generated from the wiring description (functions/wiring.ts): one
 * function per entry, the REST API from its routes, a queue with dead-letter queue per
 * queue, a schedule per scheduled function, and alarms on all of it. Nothing here lists
 * functions, routes, queues or schedules a second time.
 */

import { createHash } from 'node:crypto';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  Annotations,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Token,
  Validations,
} from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestAuthorizer,
  RequestValidator,
  type Resource,
  RestApi,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  RuntimeFamily,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  EmailSendingEvent,
  EventDestination,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  type AwsSdkCall,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { scheduleInput } from '#functions/contract/messages.ts';
import { calendarKey, networkKey } from '#functions/data/configuration.ts';
import { keys } from '#functions/data/keys.ts';
import { departmentCodes, departmentNames } from '#functions/domain/departments.ts';
import {
  type Deployment,
  environmentFor,
  type FunctionName,
  type FunctionSpec,
  functionSpecs,
  type HttpMethod,
  type QueueName,
  queueNames,
  queues as queueSpecs,
  sesEventTypes,
  visibilityTimeoutSeconds,
} from '#functions/wiring.ts';
import {
  attachmentStatements,
  exportStatements,
  mailSendStatement,
  queueSendStatement,
  tableStatement,
} from './access.ts';
import { lambdaBundling, lockFile, nodeMajor, nodeOptions, repositoryRoot } from './bundling.ts';
import type { StageConfig } from './config.ts';
import { attachmentsBucketName } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  config: StageConfig;
  table: TableV2;
  mailIdentityArn: string;
  configurationSetName: string;
  configurationSetArn: string;
  staffUserPoolId: string;
  staffClientId: string;
}

/** Lambda's Node.js runtime (named explicitly should the installed CDK lack the constant). */
export const lambdaRuntime =
  (Runtime as unknown as Record<string, Runtime | undefined>)[`NODEJS_${nodeMajor}_X`] ??
  new Runtime(`nodejs${nodeMajor}.x`, RuntimeFamily.NODEJS);

export interface QueuePair {
  queue: Queue;
  deadLetterQueue: Queue;
}

export class StatelessStack extends Stack {
  readonly functions = new Map<FunctionName, NodejsFunction>();
  readonly queues = new Map<QueueName, QueuePair>();
  readonly api: RestApi;
  readonly alarmTopic: Topic;
  /** SES's events about our mail: the configuration set publishes here. */
  readonly mailEventTopic: Topic;
  readonly scheduleDeadLetterQueue: Queue;
  /** What the functions are told the public address is. */
  readonly publicBaseUrl: string;
  private readonly config: StageConfig;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    // By name, not by reference: see attachmentsBucketName.
    const attachments = Bucket.fromBucketName(
      this,
      'AttachmentsBucket',
      attachmentsBucketName(config.stage),
    );

    this.alarmTopic = this.createAlarmTopic();

    for (const name of queueNames) this.queues.set(name, this.createQueue(name));
    this.mailEventTopic = this.createMailEvents(props.configurationSetName);
    this.scheduleDeadLetterQueue = this.encryptedQueue('ScheduleDeadLetterQueue', {
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.scheduleDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: of the EventBridge Scheduler targets and of ' +
        'the scheduled functions\u2019 failed asynchronous invocations. Its alarm fires on any message.',
    });
    this.dlqAlarm('ScheduleDeadLetterQueue', this.scheduleDeadLetterQueue);

    this.api = this.createApi();
    const customDomain = config.api.customDomain;
    // Built from the API id, not from the stage's URL: Function -> Stage -> Deployment ->
    // Method -> Function would be a dependency cycle.
    this.publicBaseUrl = customDomain
      ? `https://${customDomain.name}`
      : `https://${this.api.restApiId}.execute-api.${this.region}.${this.urlSuffix}/${config.stage}`;

    const deployment: Deployment = {
      tableName: props.table.tableName,
      attachmentsBucket: attachments.bucketName,
      queueUrls: Object.fromEntries(
        queueNames.map((name) => [name, this.queuePair(name).queue.queueUrl]),
      ) as Record<QueueName, string>,
      publicBaseUrl: this.publicBaseUrl,
      mail: {
        from: config.mail.from,
        replyTo: config.mail.replyTo,
        configurationSet: props.configurationSetName,
      },
      settings: config.settings,
      staffIdentity: {
        userPoolId: props.staffUserPoolId,
        clientId: props.staffClientId,
        issuer: `https://cognito-idp.${this.region}.${this.urlSuffix}/${props.staffUserPoolId}`,
      },
      site: config.customerPages,
    };
    const mailResources = [
      props.mailIdentityArn,
      props.configurationSetArn,
      ...config.mail.sandboxRecipients.map((address) =>
        this.formatArn({ service: 'ses', resource: 'identity', resourceName: address }),
      ),
    ];

    const integrations = new Map<FunctionName, LambdaIntegration>();
    const validator = new RequestValidator(this, 'ApiRequestValidator', {
      restApi: this.api,
      // Bodies are validated by the handlers (zod, with field-level messages); no route
      // declares a model, so API Gateway checks the required path parameters only.
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const publicMethods = new Map<Resource, Set<HttpMethod>>();
    // The authorizer's function first: every staff route below refers to it.
    const specs = functionSpecs().sort(
      ([, a], [, b]) =>
        Number(b.trigger.kind === 'authorizer') - Number(a.trigger.kind === 'authorizer'),
    );
    let staffAuthorizer: RequestAuthorizer | undefined;

    for (const [name, spec] of specs) {
      const fn = this.createFunction(name, spec, deployment);
      this.functions.set(name, fn);
      const tableAccess = tableStatement(spec.table, props.table.tableArn);
      if (tableAccess) fn.role?.addToPrincipalPolicy(tableAccess);
      const sendStatement = queueSendStatement(
        spec.sendsTo.map((queue) => this.queuePair(queue).queue.queueArn),
      );
      if (sendStatement) fn.role?.addToPrincipalPolicy(sendStatement);
      if (spec.sendsEmail) fn.role?.addToPrincipalPolicy(mailSendStatement(mailResources));
      if (spec.attachments && fn.role) {
        for (const statement of attachmentStatements(attachments)) {
          fn.role.addToPrincipalPolicy(statement);
        }
        // cdk-nag names each wildcard resource in the finding: one acknowledgement per prefix.
        const partition = Token.isUnresolved(this.partition) ? '<AWS::Partition>' : this.partition;
        const bucketArn = `arn:${partition}:s3:::aftercare-${config.stage}-files-<AWS::AccountId>-<AWS::Region>`;
        Validations.of(fn.role).acknowledge(
          ...['incoming', 'complaints'].map((prefix) => ({
            id: `AwsSolutions-IAM5[Resource::${bucketArn}/${prefix}/*]`,
            reason:
              'Object keys are made per upload (incoming/<complaint>/<upload>/<file name>) and ' +
              'per kept file (complaints/…): the statements name those two prefixes, nothing wider.',
          })),
        );
      }

      if (spec.exports && fn.role) {
        for (const statement of exportStatements(attachments)) {
          fn.role.addToPrincipalPolicy(statement);
        }
        const partition = Token.isUnresolved(this.partition) ? '<AWS::Partition>' : this.partition;
        const bucketArn = `arn:${partition}:s3:::aftercare-${config.stage}-files-<AWS::AccountId>-<AWS::Region>`;
        Validations.of(fn.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${bucketArn}/exports/*]`,
          reason:
            'Each export is a new object exports/<uuid>.<csv|xlsx>: the prefix, nothing wider.',
        });
      }

      const trigger = spec.trigger;
      if (trigger.kind === 'http') {
        let integration = integrations.get(name);
        if (!integration) {
          integration = new LambdaIntegration(fn, { allowTestInvoke: false });
          integrations.set(name, integration);
        }
        for (const route of trigger.routes) {
          const resource = this.api.root.resourceForPath(route.path);
          const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
          if (!route.public && !staffAuthorizer) {
            throw new Error(`${route.path} needs an authorizer, and the wiring has none`);
          }
          const method = resource.addMethod(route.method, integration, {
            requestValidator: validator,
            requestParameters: Object.fromEntries(
              pathParameters.map((parameter) => [`method.request.path.${parameter}`, true]),
            ),
            ...(route.public
              ? {}
              : { authorizer: staffAuthorizer, authorizationType: AuthorizationType.CUSTOM }),
          });
          if (route.public) {
            const methods = publicMethods.get(resource) ?? new Set<HttpMethod>();
            methods.add(route.method);
            publicMethods.set(resource, methods);
            Validations.of(method).acknowledge(
              {
                id: 'AwsSolutions-APIG4',
                reason:
                  'A public route: customers are anonymous by design (staff routes have the ' +
                  'authorizer). Status lookups answer only with the matching email; the WAF rate ' +
                  'rules and stage throttling guard every route.',
              },
              {
                id: 'AwsSolutions-COG4',
                reason: 'A public route for anonymous customers (see AwsSolutions-APIG4).',
              },
            );
          } else {
            Validations.of(method).acknowledge({
              id: 'AwsSolutions-COG4',
              reason:
                'Staff routes use a Lambda request authorizer that verifies the staff user ' +
                'pool\u2019s ID tokens (aws-jwt-verify): the console works without JavaScript, so ' +
                'its session is an HttpOnly cookie, which a Cognito authorizer cannot read.',
            });
          }
        }
      } else if (trigger.kind === 'authorizer') {
        staffAuthorizer = new RequestAuthorizer(this, 'StaffRequestAuthorizer', {
          handler: fn,
          authorizerName: `aftercare-${config.stage}-staff`,
          // Sessions are cookies or bearer tokens: no single header to key a cache on.
          identitySources: [],
          resultsCacheTtl: Duration.seconds(0),
        });
      } else if (trigger.kind === 'queue') {
        const { queue } = this.queuePair(trigger.queue);
        fn.addEventSource(
          new SqsEventSource(queue, {
            batchSize: trigger.batchSize,
            maxConcurrency: trigger.maxConcurrency,
            reportBatchItemFailures: true,
            // Lambda requires a batching window for batches above ten messages.
            ...(trigger.batchSize > 10 ? { maxBatchingWindow: Duration.seconds(1) } : {}),
          }),
        );
      } else {
        this.scheduleFunction(name, fn, trigger);
      }
      this.functionAlarms(name, fn);
    }

    if (config.api.corsOrigins.length > 0) {
      // Only the public routes, only the listed origins, only the methods they answer.
      for (const [resource, methods] of publicMethods) {
        resource.addCorsPreflight({
          allowOrigins: config.api.corsOrigins,
          allowMethods: [...methods],
          allowHeaders: ['Content-Type', 'Idempotency-Key'],
          maxAge: Duration.hours(1),
        });
      }
    }

    this.createFirewall();
    this.apiAlarms();
    this.tableAlarms(props.table);
    if (config.alarms.emails.length === 0) {
      Annotations.of(this).addWarningV2(
        'aftercare:no-alarm-emails',
        `Stage ${config.stage} has no alarms.emails: alarms go to a topic nobody reads. ` +
          'Add addresses, or subscribe to the AlarmTopicArn output by hand.',
      );
    }
    this.seedConfiguration(props.table);

    new CfnOutput(this, 'PublicUrl', {
      value: `${this.publicBaseUrl}/`,
      description: 'The complaint form; emails link here',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'Subscribe to receive alarms',
    });
    if (customDomain) {
      const domain = this.api.domainName;
      if (domain) {
        new CfnOutput(this, 'ApiDomainTarget', {
          value: domain.domainNameAliasDomainName,
          description: `Point ${customDomain.name} here (CNAME, or an alias record in Route 53)`,
        });
      }
    }
  }

  private queuePair(name: QueueName): QueuePair {
    const pair = this.queues.get(name);
    if (!pair) throw new Error(`No queue ${name}`);
    return pair;
  }

  private encryptedQueue(id: string, props: { retentionPeriod: Duration }): Queue {
    return new Queue(this, id, {
      ...props,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
  }

  private createQueue(name: QueueName): QueuePair {
    const id = pascal(name);
    const deadLetterQueue = this.encryptedQueue(`${id}DeadLetterQueue`, {
      retentionPeriod: Duration.days(14),
    });
    const queue = new Queue(this, `${id}Queue`, {
      visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(name)),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: {
        queue: deadLetterQueue,
        maxReceiveCount: queueSpecs[name].maxReceiveCount,
      },
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.dlqAlarm(`${id}DeadLetterQueue`, deadLetterQueue);
    this.alarm(
      `${id}QueueOldestMessageAlarm`,
      queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: Stats.MAXIMUM,
      }),
      this.config.alarms.oldestMessageAgeMinutes * 60,
      `The oldest message on the ${name} queue has waited over ${this.config.alarms.oldestMessageAgeMinutes} minutes: its consumer is failing or too slow.`,
    );
    return { queue, deadLetterQueue };
  }

  private createFunction(
    name: FunctionName,
    spec: FunctionSpec,
    deployment: Deployment,
  ): NodejsFunction {
    const id = pascal(name);
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: this.config.logRetentionDays });
    const role = new Role(this, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${name} function: only what the wiring description grants it`,
    });
    logGroup.grantWrite(role);
    if (this.config.tracing) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing: xray:PutTraceSegments and PutTelemetryRecords accept no resource but *.',
      });
    }
    return new NodejsFunction(this, id, {
      entry: `${repositoryRoot}/${spec.entry}`,
      handler: 'handler',
      projectRoot: repositoryRoot,
      depsLockFilePath: lockFile,
      runtime: lambdaRuntime,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      description: spec.description,
      environment: { ...environmentFor(spec, deployment), NODE_OPTIONS: nodeOptions },
      awsSdkConnectionReuse: false,
      tracing: this.config.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      bundling: lambdaBundling,
    });
  }

  private scheduleFunction(
    name: FunctionName,
    fn: NodejsFunction,
    trigger: { name: string; expression: string; timezone: string },
  ): void {
    const id = pascal(name);
    const { expression, timezone } = this.config.schedules[trigger.name] ?? trigger;
    new Schedule(this, `${id}Schedule`, {
      description: `${trigger.name}: ${expression} (${timezone})`,
      schedule: ScheduleExpression.expression(expression, TimeZone.of(timezone)),
      target: new InvokeFunction(fn, {
        // The same event the local clock and `npm run fire` send.
        input: ScheduleTargetInput.fromObject(
          scheduleInput(trigger.name, ContextAttribute.scheduledTime, ContextAttribute.executionId),
        ),
        retryAttempts: this.config.scheduleRetryAttempts,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.scheduleDeadLetterQueue,
      }),
    });
    // Scheduler invokes asynchronously: a run that fails after Lambda's own retries lands
    // in the same dead-letter queue instead of vanishing.
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.scheduleDeadLetterQueue),
    });
  }

  /**
   * The configuration set's event destination: SES publishes the events the wiring lists
   * to a topic (encrypted with a key SES may use; the destination construct lets SES publish
   * for this configuration set only) that delivers them raw to every queue the wiring says
   * SES's events fill.
   */
  private createMailEvents(configurationSetName: string): Topic {
    const key = new Key(this, 'MailEventTopicKey', {
      description: 'Encrypts the SES mail-event topic; SES may use it to publish',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const topic = new Topic(this, 'MailEventTopic', {
      displayName: `Aftercare ${this.config.stage} SES mail events`,
      masterKey: key,
      enforceSSL: true,
    });
    const eventNames: Record<(typeof sesEventTypes)[number], EmailSendingEvent> = {
      send: EmailSendingEvent.SEND,
      reject: EmailSendingEvent.REJECT,
      bounce: EmailSendingEvent.BOUNCE,
      complaint: EmailSendingEvent.COMPLAINT,
      delivery: EmailSendingEvent.DELIVERY,
      deliveryDelay: EmailSendingEvent.DELIVERY_DELAY,
      renderingFailure: EmailSendingEvent.RENDERING_FAILURE,
    };
    new ConfigurationSetEventDestination(this, 'MailEventDestination', {
      configurationSet: ConfigurationSet.fromConfigurationSetName(
        this,
        'MailSettings',
        configurationSetName,
      ),
      destination: EventDestination.snsTopic(topic),
      events: sesEventTypes.map((type) => eventNames[type]),
    });
    for (const name of queueNames) {
      if (queueSpecs[name].source !== 'sesEvents') continue;
      topic.addSubscription(
        new SqsSubscription(this.queuePair(name).queue, { rawMessageDelivery: true }),
      );
    }
    return topic;
  }

  private createAlarmTopic(): Topic {
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the alarm topic; CloudWatch alarms may use it to publish',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch cannot publish to a topic under the AWS-managed SNS key: grant it this one.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: `Aftercare ${this.config.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of this.config.alarms.emails) {
      topic.addSubscription(new EmailSubscription(email));
    }
    return topic;
  }

  /**
   * An alarm named with the stage, so two stages in one account never share one. It tells
   * the topic when it fires, not when it recovers: one mail per problem.
   */
  private alarm(id: string, metric: IMetric, threshold: number, description: string): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `aftercare-${this.config.stage}-${id.replace(/Alarm$/, '')}`,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    return alarm;
  }

  /**
   * Two alarms per dead-letter queue: one when anything is in it, and one each time its
   * count grows, so a queue that stays in alarm still tells about each new failure.
   */
  private dlqAlarm(id: string, queue: Queue): void {
    const visible = queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: Stats.MAXIMUM,
    });
    this.alarm(
      `${id}Alarm`,
      visible,
      1,
      `A message is in ${id}: something failed for good. Inspect it, fix the cause, then redrive.`,
    );
    this.alarm(
      `${id}GrowsAlarm`,
      new MathExpression({
        expression: 'DIFF(visible)',
        usingMetrics: { visible },
        label: `${id}: new messages`,
        period: Duration.minutes(1),
      }),
      1,
      `Another message arrived in ${id} (it may already be in alarm): something else failed for good.`,
    );
  }

  private functionAlarms(name: FunctionName, fn: NodejsFunction): void {
    const id = pascal(name);
    this.alarm(
      `${id}ErrorsAlarm`,
      fn.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }),
      1,
      `The ${name} function failed: see its log group.`,
    );
    this.alarm(
      `${id}ThrottlesAlarm`,
      fn.metricThrottles({ period: Duration.minutes(5), statistic: Stats.SUM }),
      1,
      `The ${name} function was throttled: the account's concurrency is exhausted.`,
    );
    const timeout = fn.timeout?.toMilliseconds() ?? 3000;
    this.alarm(
      `${id}NearTimeoutAlarm`,
      fn.metricDuration({ period: Duration.minutes(5), statistic: Stats.MAXIMUM }),
      Math.round(timeout * 0.8),
      `The ${name} function ran for over 80 % of its ${timeout / 1000} s timeout: it may soon be cut off.`,
    );
  }

  private tableAlarms(table: TableV2): void {
    this.alarm(
      'TableThrottlesAlarm',
      new MathExpression({
        expression: 'readThrottles + writeThrottles',
        usingMetrics: {
          readThrottles: table.metric('ReadThrottleEvents', { statistic: Stats.SUM }),
          writeThrottles: table.metric('WriteThrottleEvents', { statistic: Stats.SUM }),
        },
        label: 'Table throttle events',
        period: Duration.minutes(5),
      }),
      1,
      'DynamoDB throttled requests to the table (or an index): see its CloudWatch metrics.',
    );
    this.alarm(
      'TableSystemErrorsAlarm',
      table.metricSystemErrorsForOperations({
        operations: [
          Operation.GET_ITEM,
          Operation.PUT_ITEM,
          Operation.UPDATE_ITEM,
          Operation.QUERY,
          Operation.BATCH_WRITE_ITEM,
        ],
        period: Duration.minutes(5),
        statistic: Stats.SUM,
      }),
      1,
      'DynamoDB answered requests with a server error: check the AWS Health Dashboard.',
    );
  }

  private apiAlarms(): void {
    this.alarm(
      'ApiServerErrorsAlarm',
      // The stage's own metric: two stages in one account never share it.
      this.api.deploymentStage.metricServerError({
        period: Duration.minutes(5),
        statistic: Stats.SUM,
      }),
      1,
      'The API answered with a 5XX: see the access log and the functions\u2019 logs.',
    );
  }

  private createApi(): RestApi {
    const { config } = this;
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: config.logRetentionDays });
    const api = new RestApi(this, 'Api', {
      restApiName: `aftercare-${config.stage}`,
      description: `Aftercare ${config.stage}: complaint form, intake, status and the staff console`,
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // Execution and access logs need the account-level CloudWatch role; keep it when this
      // stack goes, as other APIs in the account may rely on it.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: config.stage,
        throttlingRateLimit: config.api.rateLimit,
        throttlingBurstLimit: config.api.burstLimit,
        loggingLevel: MethodLoggingLevel.ERROR,
        // Never log request or response bodies: they hold customers' personal data.
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: config.tracing,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        // The resource path (`/complaints/{reference}`), never the actual path or query
        // string, so no reference or email address reaches the access log.
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            ip: AccessLogField.contextIdentitySourceIp(),
            requestTime: AccessLogField.contextRequestTime(),
            method: AccessLogField.contextHttpMethod(),
            resourcePath: AccessLogField.contextResourcePath(),
            status: AccessLogField.contextStatus(),
            responseLength: AccessLogField.contextResponseLength(),
            responseLatencyMs: AccessLogField.contextResponseLatency(),
            integrationLatencyMs: AccessLogField.contextIntegrationLatency(),
            integrationError: AccessLogField.contextIntegrationErrorMessage(),
            waf: AccessLogField.contextWafResponseCode(),
          }),
        ),
      },
    });
    const customDomain = config.api.customDomain;
    if (customDomain) {
      api.addDomainName('Domain', {
        domainName: customDomain.name,
        certificate: Certificate.fromCertificateArn(
          this,
          'DomainCertificate',
          customDomain.certificateArn,
        ),
        endpointType: EndpointType.REGIONAL,
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
    }
    const cloudWatchRole = api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level role API Gateway logs with; AWS maintains this service policy for exactly that.',
      });
    }
    return api;
  }

  private createFirewall(): void {
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const managed = (priority: number, name: string, countOnly: { name: string }[] = []) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ...(countOnly.length > 0
            ? {
                ruleActionOverrides: countOnly.map(({ name: rule }) => ({
                  name: rule,
                  actionToUse: { count: {} },
                })),
              }
            : {}),
        },
      },
      visibilityConfig: visibility(name),
    });
    const aclName = `aftercare-${this.config.stage}-api`;
    const acl = new CfnWebACL(this, 'ApiFirewall', {
      name: aclName,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      description:
        'Rate-limits each client address, its staff sign-in attempts more tightly, and drops known-bad traffic',
      visibilityConfig: visibility(`aftercare-${this.config.stage}-api`),
      rules: [
        {
          name: 'RatePerClient',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: {
            rateBasedStatement: {
              limit: this.config.api.wafRequestsPerFiveMinutes,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
            },
          },
          visibilityConfig: visibility('RatePerClient'),
        },
        {
          // Password guessing: far fewer sign-in posts than page views per address.
          name: 'SignInRatePerClient',
          priority: 1,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: {
            rateBasedStatement: {
              limit: this.config.api.signInRequestsPerFiveMinutes,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'CONTAINS',
                  searchString: '/staff/login',
                  textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
                },
              },
            },
          },
          visibilityConfig: visibility('SignInRatePerClient'),
        },
        managed(2, 'AWSManagedRulesAmazonIpReputationList'),
        managed(3, 'AWSManagedRulesKnownBadInputsRuleSet'),
        // The common rule set blocks bodies over 8 KB; a complaint may be 64 KB (5,000 Chinese
        // characters are 15 KB), and the handlers enforce that limit themselves.
        managed(4, 'AWSManagedRulesCommonRuleSet', [{ name: 'SizeRestrictions_BODY' }]),
      ],
    });
    new CfnWebACLAssociation(this, 'ApiFirewallAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: acl.attrArn,
    });
    // WAF's own log: which rule blocked whom. Its name must start with aws-waf-logs-. WAF
    // never logs bodies; cookies and tokens are redacted.
    const wafLogs = new LogGroup(this, 'ApiFirewallLogs', {
      logGroupName: `aws-waf-logs-aftercare-${this.config.stage}`,
      retention: this.config.logRetentionDays,
    });
    new CfnLoggingConfiguration(this, 'ApiFirewallLogging', {
      resourceArn: acl.attrArn,
      logDestinationConfigs: [wafLogs.logGroupArn],
      redactedFields: [
        { singleHeader: { Name: 'cookie' } },
        { singleHeader: { Name: 'authorization' } },
      ],
    });
    this.alarm(
      'ApiFirewallBlocksAlarm',
      new Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: { WebACL: aclName, Region: this.region, Rule: 'ALL' },
        statistic: Stats.SUM,
        period: Duration.minutes(5),
      }),
      this.config.alarms.blockedRequestsPerFiveMinutes,
      'The firewall blocked many requests in five minutes: an attack, or a rule catching real customers. See its log group.',
    );
  }

  /**
   * Department addresses and outlets from the stage configuration, written to the table on
   * deploy in the shape the data module reads (`seedDepartment`, `seedOutlet`).
   */
  private seedConfiguration(table: TableV2): void {
    const departments = departmentCodes.map((code) => ({
      ...keys.configuration('DEPARTMENT', code),
      code,
      name: departmentNames[code],
      email: this.config.departments[code],
    }));
    // Outlets name their deployment's generation; routing reads only the current one, so
    // an outlet dropped here stops being told even though its item stays.
    const generation = createHash('sha256')
      .update(JSON.stringify(this.config.outlets))
      .digest('hex')
      .slice(0, 16);
    const outlets = this.config.outlets.map((outlet) => ({
      ...keys.configuration('OUTLET', outlet.id),
      ...outlet,
      generation,
    }));
    // The calendar rides with the departments: one write of at most 25 items.
    this.writeItems('DepartmentAddresses', table, [
      ...departments,
      { ...calendarKey, ...this.config.calendar },
    ]);
    this.writeItems('ServiceNetwork', table, [...outlets, { ...networkKey, generation }]);
    // The provider function AwsCustomResource shares across the stack, found by its fixed id.
    const provider = this.node.tryFindChild(
      `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`,
    );
    const providerRole = provider?.node.tryFindChild('ServiceRole');
    if (!providerRole) throw new Error('AwsCustomResource provider role not found');
    Validations.of(providerRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'The deploy-time function that writes the department addresses and outlets (AwsCustomResource) ' +
        'runs a few seconds per deployment and only needs to write its own logs.',
    });
  }

  /** One BatchWriteItem (at most 25 items) on every deployment that changes them. */
  private writeItems(id: string, table: TableV2, items: Record<string, unknown>[]): void {
    const write: AwsSdkCall = {
      service: 'DynamoDB',
      action: 'batchWriteItem',
      parameters: {
        RequestItems: {
          [table.tableName]: items.map((item) => ({ PutRequest: { Item: marshall(item) } })),
        },
      },
      physicalResourceId: PhysicalResourceId.of(`configuration-${id}`),
    };
    new AwsCustomResource(this, id, {
      onCreate: write,
      onUpdate: write,
      installLatestAwsSdk: false,
      logGroup: new LogGroup(this, `${id}Logs`, { retention: this.config.logRetentionDays }),
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['dynamodb:BatchWriteItem'], resources: [table.tableArn] }),
      ]),
    });
  }
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Scheduler may invoke exactly this function: no `:*` for every version and alias. */
class InvokeFunction extends LambdaInvoke {
  private readonly target: NodejsFunction;

  constructor(target: NodejsFunction, props: ScheduleTargetBaseProps) {
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
