/**
 * The stateless part, generated from the wiring description (functions/wiring.ts): one
 * function per entry, the REST API from its routes, a queue with dead-letter queue per
 * queue, a schedule per scheduled function, and alarms on all of it. Nothing here lists
 * functions, routes, queues or schedules a second time. Each part is a construct of its own
 * in infra/aws/constructs/; this stack wires them together.
 */

import { marshall } from '@aws-sdk/util-dynamodb';
import {
  Annotations,
  type CfnElement,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { LambdaIntegration, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  EmailSendingEvent,
  EventDestination,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  type AwsSdkCall,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { deployedConfigurationItems } from '#functions/data/configuration.ts';
import {
  batchingWindowSeconds,
  batchSizeFor,
  type Deployment,
  type FunctionName,
  functionSpecs,
  type QueueName,
  queueNames,
  queues as queueSpecs,
  sesEventTypes,
  surveySesEventTypes,
} from '#functions/wiring.ts';
import { addBusinessAlarms } from './business-alarms.ts';
import type { StageConfig } from './config.ts';
import { Alarms } from './constructs/alarms.ts';
import { flatLogicalId } from './constructs/flat.ts';
import { createRestApi, PublicApi } from './constructs/public-api.ts';
import { ScheduledFunction } from './constructs/scheduled-function.ts';
import { WiredFunction } from './constructs/wired-function.ts';
import { encryptedQueue, WiredQueue } from './constructs/wired-queue.ts';
import { attachmentsBucketName } from './stateful-stack.ts';

export { lambdaRuntime } from './constructs/wired-function.ts';

export interface StatelessStackProps extends StackProps {
  config: StageConfig;
  table: TableV2;
  mailIdentityArn: string;
  configurationSetName: string;
  configurationSetArn: string;
  /** The survey's own configuration set: the same event destination, its own figures. */
  surveyConfigurationSetName: string;
  surveyConfigurationSetArn: string;
  staffUserPoolId: string;
  staffClientId: string;
}

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

    const alarms = new Alarms(this, 'Alarms', {
      stage: config.stage,
      emails: config.alarms.emails,
    });
    this.alarmTopic = alarms.topic;

    for (const name of queueNames) {
      const { queue, deadLetterQueue } = new WiredQueue(this, {
        name,
        alarms,
        oldestMessageAgeMinutes: config.alarms.oldestMessageAgeMinutes,
      });
      this.queues.set(name, { queue, deadLetterQueue });
    }
    this.mailEventTopic = this.createMailEvents([
      ['MailSettings', props.configurationSetName],
      ['SurveyMailSettings', props.surveyConfigurationSetName],
    ]);
    alarms.sesReputation();
    this.scheduleDeadLetterQueue = encryptedQueue(this, 'ScheduleDeadLetterQueue', {
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.scheduleDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: of the EventBridge Scheduler targets and of ' +
        'the scheduled functions\u2019 failed asynchronous invocations. Its alarm fires on any message.',
    });
    alarms.deadLetterQueue(this, 'ScheduleDeadLetterQueue', this.scheduleDeadLetterQueue);

    this.api = createRestApi(this, config);
    const publicApi = new PublicApi(this, { api: this.api, config, alarms });
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
        surveyConfigurationSet: props.surveyConfigurationSetName,
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
      props.surveyConfigurationSetArn,
      ...config.mail.sandboxRecipients.map((address) =>
        this.formatArn({ service: 'ses', resource: 'identity', resourceName: address }),
      ),
    ];

    // The authorizer's function first: every staff route below refers to it.
    const specs = functionSpecs().sort(
      ([, a], [, b]) =>
        Number(b.trigger.kind === 'authorizer') - Number(a.trigger.kind === 'authorizer'),
    );
    for (const [name, spec] of specs) {
      const fn = new WiredFunction(this, {
        name,
        spec,
        deployment,
        stage: config.stage,
        logRetentionDays: config.logRetentionDays,
        tracing: config.tracing,
        table: props.table,
        queueArn: (queue) => this.queuePair(queue).queue.queueArn,
        mailResources,
        attachments,
        alarms,
      }).function;
      this.functions.set(name, fn);

      const trigger = spec.trigger;
      if (trigger.kind === 'http') {
        // One invoke permission per function for this API (not one per route and method):
        // a fully configured stage stays under CloudFormation's 500 resources a stack.
        const integration = new LambdaIntegration(fn, { scopePermissionToMethod: false });
        for (const route of trigger.routes) publicApi.addRoute(route, integration);
      } else if (trigger.kind === 'authorizer') {
        publicApi.setStaffAuthorizer(fn);
      } else if (trigger.kind === 'queue') {
        const { queue } = this.queuePair(trigger.queue);
        const batchSize = batchSizeFor(spec, config.settings);
        fn.addEventSource(
          new SqsEventSource(queue, {
            batchSize,
            maxConcurrency: trigger.maxConcurrency,
            reportBatchItemFailures: true,
            // Lambda requires a batching window for batches above ten messages.
            ...(batchingWindowSeconds(batchSize) > 0
              ? { maxBatchingWindow: Duration.seconds(batchingWindowSeconds(batchSize)) }
              : {}),
          }),
        );
      } else {
        const { expression, timezone } = config.schedules[trigger.name] ?? trigger;
        new ScheduledFunction(this, {
          name,
          fn,
          trigger: { name: trigger.name, expression, timezone },
          retryAttempts: config.scheduleRetryAttempts,
          deadLetterQueue: this.scheduleDeadLetterQueue,
        });
      }
    }
    publicApi.addCorsPreflights();

    alarms.table(props.table);
    addBusinessAlarms(this, config.stage, this.alarmTopic);
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

  /**
   * Logical ids as before the stack was split into constructs: flat constructs are left out
   * of them (see infra/aws/constructs/flat.ts), so a deploy replaces nothing.
   */
  protected override allocateLogicalId(element: CfnElement): string {
    return flatLogicalId(element);
  }

  private queuePair(name: QueueName): QueuePair {
    const pair = this.queues.get(name);
    if (!pair) throw new Error(`No queue ${name}`);
    return pair;
  }

  /**
   * The configuration set's event destination: SES publishes the events the wiring lists
   * to a topic (encrypted with a key SES may use; the destination construct lets SES publish
   * for this configuration set only) that delivers them raw to every queue the wiring says
   * SES's events fill.
   */
  private createMailEvents(configurationSets: [id: string, name: string][]): Topic {
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
    // One destination per configuration set; each event names its set in its
    // `ses:configuration-set` tag, so survey and transactional mail stay apart in the record.
    for (const [id, name] of configurationSets) {
      new ConfigurationSetEventDestination(
        this,
        id === 'MailSettings' ? 'MailEventDestination' : `${id}EventDestination`,
        {
          configurationSet: ConfigurationSet.fromConfigurationSetName(this, id, name),
          destination: EventDestination.snsTopic(topic),
          events: (id === 'MailSettings' ? sesEventTypes : surveySesEventTypes).map(
            (type) => eventNames[type],
          ),
        },
      );
    }
    for (const name of queueNames) {
      if (queueSpecs[name].source !== 'sesEvents') continue;
      topic.addSubscription(
        new SqsSubscription(this.queuePair(name).queue, { rawMessageDelivery: true }),
      );
    }
    return topic;
  }

  /**
   * Department addresses, the calendar and the service network from the stage configuration,
   * written to the table on deploy by the builders the local host seeds with
   * (`deployedConfigurationItems` in functions/data/configuration.ts).
   */
  private seedConfiguration(table: TableV2): void {
    const items = deployedConfigurationItems(this.config);
    const logGroup = new LogGroup(this, 'DepartmentAddressesLogs', {
      retention: this.config.logRetentionDays,
    });
    for (const item of items.departments) this.putItem(table, item, logGroup);
    // The network item names the current generation: written after its outlets.
    const outlets = items.network.slice(0, -1).map((item) => this.putItem(table, item, logGroup));
    const network = items.network.at(-1);
    if (network) this.putItem(table, network, logGroup).node.addDependency(...outlets);
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

  /**
   * One PutItem per item, on every deployment that changes it. Not BatchWriteItem: its
   * unprocessed items come back as a successful answer the custom resource would ignore,
   * while a PutItem that fails fails the deployment.
   */
  private putItem(
    table: TableV2,
    item: Record<string, unknown>,
    logGroup: LogGroup,
  ): AwsCustomResource {
    const name = `${String(item.pk)}#${String(item.sk)}`;
    const write: AwsSdkCall = {
      service: 'DynamoDB',
      action: 'putItem',
      parameters: { TableName: table.tableName, Item: marshall(item) },
      physicalResourceId: PhysicalResourceId.of(`configuration-${name}`),
    };
    // `PutCONFIGDEPARTMENTqc`: the item's key, letters and digits only.
    return new AwsCustomResource(this, `Put${name.replace(/[^A-Za-z0-9]/g, '')}`, {
      onCreate: write,
      onUpdate: write,
      installLatestAwsSdk: false,
      logGroup,
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [table.tableArn] }),
      ]),
    });
  }
}
