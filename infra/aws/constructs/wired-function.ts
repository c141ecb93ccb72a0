/**
 * One function of the wiring (functions/wiring.ts): the NodejsFunction with its own role
 * (only what its FunctionSpec grants), its log group, its environment and its alarms. What
 * triggers it (route, queue, schedule, authorizer) the stack wires from the same spec.
 */
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  RuntimeFamily,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { defaultSite } from '#functions/shared/site.ts';
import {
  type Deployment,
  environmentFor,
  type FunctionName,
  type FunctionSpec,
} from '#functions/wiring.ts';
import {
  attachmentStatements,
  exportStatements,
  mailSendStatement,
  queueSendStatement,
  tableStatement,
} from '../access.ts';
import { lambdaBundling, lockFile, nodeMajor, nodeOptions, repositoryRoot } from '../bundling.ts';
import { metricsEnvironment } from '../business-alarms.ts';
import type { Alarms } from './alarms.ts';
import { FlatConstruct } from './flat.ts';
import { pascal } from './names.ts';

/** Lambda's Node.js runtime (named explicitly should the installed CDK lack the constant). */
export const lambdaRuntime =
  (Runtime as unknown as Record<string, Runtime | undefined>)[`NODEJS_${nodeMajor}_X`] ??
  new Runtime(`nodejs${nodeMajor}.x`, RuntimeFamily.NODEJS);

export interface WiredFunctionProps {
  name: FunctionName;
  spec: FunctionSpec;
  /** Where everything is: the function's environment is its spec's share of it. */
  deployment: Deployment;
  stage: string;
  logRetentionDays: RetentionDays;
  tracing: boolean;
  table: TableV2;
  /** The ARN of each queue the spec sends to. */
  queueArn: (name: FunctionSpec['sendsTo'][number]) => string;
  /** The identities and configuration sets a mail-sending function may send through. */
  mailResources: string[];
  /** The stateful stack's bucket, by name. */
  attachments: IBucket;
  alarms: Alarms;
}

/** Its id is the function's name in PascalCase (the function is its 'Default' child: see flat.ts). */
export class WiredFunction extends FlatConstruct {
  readonly function: NodejsFunction;
  readonly role: Role;

  constructor(scope: Construct, props: WiredFunctionProps) {
    const { name, spec } = props;
    const id = pascal(name);
    super(scope, id);
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: props.logRetentionDays });
    const role = new Role(this, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${name} function: only what the wiring description grants it`,
    });
    this.role = role;
    logGroup.grantWrite(role);
    if (props.tracing) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing: xray:PutTraceSegments and PutTelemetryRecords accept no resource but *.',
      });
    }
    const fn = new NodejsFunction(this, 'Default', {
      entry: `${repositoryRoot}/${spec.entry}`,
      handler: 'handler',
      projectRoot: repositoryRoot,
      depsLockFilePath: lockFile,
      runtime: lambdaRuntime,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      description: spec.description,
      environment: {
        ...environmentFor(spec, props.deployment),
        ...metricsEnvironment(props.stage),
        NODE_OPTIONS: nodeOptions,
      },
      awsSdkConnectionReuse: false,
      tracing: props.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      bundling: lambdaBundling(props.deployment.site ?? defaultSite),
    });
    this.function = fn;
    this.grant(props);
    props.alarms.function(this, id, name, fn, spec.timeoutSeconds * 1000);
  }

  /** Exactly what the spec asks for: its table access, queues, mail and bucket prefixes. */
  private grant(props: WiredFunctionProps): void {
    const { spec, attachments } = props;
    const role = this.role;
    const tableAccess = tableStatement(spec.table, props.table.tableArn);
    if (tableAccess) role.addToPrincipalPolicy(tableAccess);
    const sendStatement = queueSendStatement(spec.sendsTo.map((queue) => props.queueArn(queue)));
    if (sendStatement) role.addToPrincipalPolicy(sendStatement);
    if (spec.sendsEmail) role.addToPrincipalPolicy(mailSendStatement(props.mailResources));
    const stack = Stack.of(this);
    const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
    const bucketArn = `arn:${partition}:s3:::aftercare-${props.stage}-files-<AWS::AccountId>-<AWS::Region>`;
    if (spec.attachments) {
      for (const statement of attachmentStatements(attachments)) {
        role.addToPrincipalPolicy(statement);
      }
      // cdk-nag names each wildcard resource in the finding: one acknowledgement per prefix.
      Validations.of(role).acknowledge(
        ...['incoming', 'complaints'].map((prefix) => ({
          id: `AwsSolutions-IAM5[Resource::${bucketArn}/${prefix}/*]`,
          reason:
            'Object keys are made per upload (incoming/<complaint>/<upload>/<file name>) and ' +
            'per kept file (complaints/…): the statements name those two prefixes, nothing wider.',
        })),
      );
    }
    if (spec.exports) {
      for (const statement of exportStatements(attachments)) {
        role.addToPrincipalPolicy(statement);
      }
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${bucketArn}/exports/*]`,
        reason: 'Each export is a new object exports/<uuid>.<csv|xlsx>: the prefix, nothing wider.',
      });
    }
  }
}
