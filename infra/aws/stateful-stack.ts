/**
 * The stateful part: what must outlive any deployment of the code. The table is retained
 * when the stack is deleted and guarded by deletion protection; the SES identity and its
 * configuration set hold the sending reputation and settings.
 */
import {
  Aws,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import {
  AttributeType,
  Billing,
  ProjectionType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { CfnMalwareProtectionPlan } from 'aws-cdk-lib/aws-guardduty';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  CfnBucket,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  Identity,
  MailFromBehaviorOnMxFailure,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { type IndexSpec, tableIndexes, tableKeys, ttlAttribute } from '#functions/data/table.ts';
import { incomingExpiryDays } from '#functions/domain/attachments.ts';
import { passwordPolicy } from '#functions/domain/staff-password.ts';
import { staffPool } from '#infra/staff-identity.ts';
import type { StageConfig } from './config.ts';

/**
 * A fixed name (account and region make it unique): the stateless stack builds the bucket's
 * ARNs from it, so its IAM statements carry no cross-stack reference.
 */
export function attachmentsBucketName(stage: string): string {
  return `aftercare-${stage}-files-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

export class StatefulStack extends Stack {
  readonly table: TableV2;
  /** Customers' photos and documents: private, encrypted, TLS only, versioned, kept. */
  readonly attachments: Bucket;
  readonly identity: EmailIdentity;
  /** Transactional mail: acknowledgements, case mail, staff alerts. */
  readonly configurationSet: ConfigurationSet;
  /** ARN of the configuration set (the L2 construct does not expose one). */
  readonly configurationSetArn: string;
  /**
   * The yearly survey's bulk mail, tracked apart (its events carry this set's name), so a
   * bad survey list shows in its own figures and cannot hide behind complaint mail.
   */
  readonly surveyConfigurationSet: ConfigurationSet;
  readonly surveyConfigurationSetArn: string;
  readonly staffPool: UserPool;
  readonly staffClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: tableKeys.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableKeys.sortKey, type: AttributeType.STRING },
      // Every index from the data module. DynamoDB creates at most one new index per
      // update: when adding several to a deployed table, deploy them one at a time.
      globalSecondaryIndexes: Object.entries(tableIndexes).map(([indexName, index]) => ({
        indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...projectionOf(index),
      })),
      billing: Billing.onDemand(),
      ...(config.records.customerManagedKey
        ? { encryption: TableEncryptionV2.customerManagedKey(this.createRecordsKey()) }
        : {}),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.attachments = this.createAttachmentsBucket(config);

    // REQUIRE only where the stage asks: SES then drops mail to any server that cannot do
    // TLS (some customers' older mail servers) instead of delivering it in the clear.
    const mailSettings = {
      tlsPolicy: config.mail.requireTls
        ? ConfigurationSetTlsPolicy.REQUIRE
        : ConfigurationSetTlsPolicy.OPTIONAL,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
      sendingEnabled: true,
    };
    this.configurationSet = new ConfigurationSet(this, 'MailSettings', mailSettings);
    this.configurationSetArn = this.configurationSetArnOf(this.configurationSet);
    this.surveyConfigurationSet = new ConfigurationSet(this, 'SurveyMailSettings', mailSettings);
    this.surveyConfigurationSetArn = this.configurationSetArnOf(this.surveyConfigurationSet);

    const identityValue = config.mail.identity;
    this.identity = new EmailIdentity(this, 'MailIdentity', {
      identity: identityValue.includes('@')
        ? Identity.email(identityValue)
        : Identity.domain(identityValue),
      configurationSet: this.configurationSet,
      ...(config.mail.mailFromDomain
        ? {
            mailFromDomain: config.mail.mailFromDomain,
            // Until its MX record is in place SES falls back to amazonses.com (not aligned)
            // rather than refusing to send.
            mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
          }
        : {}),
    });

    this.createBackupPlan(config);
    ({ pool: this.staffPool, client: this.staffClient } = this.createStaffPool(config));

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'StaffUserPoolId', {
      value: this.staffPool.userPoolId,
      description: 'Set as STAFF_USER_POOL_ID for npm run staff:add and staff:list',
    });
    new CfnOutput(this, 'AttachmentsBucketName', { value: this.attachments.bucketName });
    new CfnOutput(this, 'MailIdentityName', { value: this.identity.emailIdentityName });
    if (!identityValue.includes('@')) {
      // The three DKIM CNAME records that verify the domain: add them to its DNS.
      this.identity.dkimRecords.forEach((record, index) => {
        new CfnOutput(this, `DkimRecord${index + 1}`, {
          value: `${record.name} CNAME ${record.value}`,
          description: `DKIM record ${index + 1} of 3 for ${identityValue}`,
        });
      });
    }
    const mailFrom = config.mail.mailFromDomain;
    if (mailFrom) {
      // The custom MAIL FROM domain: bounces come back to SES through the MX; SPF for it.
      new CfnOutput(this, 'MailFromMxRecord', {
        value: `${mailFrom} MX 10 feedback-smtp.${this.region}.amazonses.com`,
        description: `MAIL FROM domain ${mailFrom}: its MX record`,
      });
      new CfnOutput(this, 'MailFromTxtRecord', {
        value: `${mailFrom} TXT "v=spf1 include:amazonses.com ~all"`,
        description: `MAIL FROM domain ${mailFrom}: its SPF record`,
      });
    }
  }

  private configurationSetArnOf(set: ConfigurationSet): string {
    return this.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: set.configurationSetName,
    });
  }

  /**
   * Staff sign in here: email as user name, no self sign-up, one group per department.
   * Kept on deletion like the table: the accounts and their group memberships are records.
   */
  private createStaffPool(config: StageConfig): { pool: UserPool; client: UserPoolClient } {
    const pool = new UserPool(this, 'StaffUsers', {
      userPoolName: `aftercare-${config.stage}-staff`,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      selfSignUpEnabled: false,
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      passwordPolicy: {
        minLength: passwordPolicy.minLength,
        requireLowercase: passwordPolicy.requireLowercase,
        requireUppercase: passwordPolicy.requireUppercase,
        requireDigits: passwordPolicy.requireDigits,
        requireSymbols: passwordPolicy.requireSymbols,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: config.staff.mfa === 'required' ? Mfa.REQUIRED : Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const plusPlanReason =
      'Threat protection (advanced security) needs the Plus feature plan, priced per user; ' +
      'staff are a few dozen accounts behind a 12-character policy, optional TOTP, ' +
      'Cognito\u2019s own lockout and a WAF rate rule on the sign-in page.';
    const acknowledgements = [
      { id: 'AwsSolutions-COG3', reason: plusPlanReason },
      { id: 'AwsSolutions-COG8', reason: plusPlanReason },
    ];
    if (config.staff.mfa === 'optional') {
      acknowledgements.push({
        id: 'AwsSolutions-COG2',
        reason:
          'TOTP MFA is offered to every staff user; a stage makes it required with staff.mfa = "required".',
      });
    }
    Validations.of(pool).acknowledge(...acknowledgements);
    const client = pool.addClient('StaffConsole', {
      userPoolClientName: staffPool.clientName,
      authFlows: { userPassword: true },
      generateSecret: false,
      idTokenValidity: Duration.minutes(staffPool.idTokenValidityMinutes),
      accessTokenValidity: Duration.minutes(staffPool.idTokenValidityMinutes),
      refreshTokenValidity: Duration.hours(staffPool.refreshTokenValidityHours),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });
    for (const group of staffPool.groups) {
      new CfnUserPoolGroup(this, `StaffGroup-${group.name}`, {
        userPoolId: pool.userPoolId,
        groupName: group.name,
        description: group.description,
      });
    }
    return { pool, client };
  }

  /** The stage's own key for the complaint register: rotated yearly, kept on deletion. */
  private createRecordsKey(): Key {
    return new Key(this, 'RecordsKey', {
      description: 'Encrypts the Aftercare table: complaints, history, customers, surveys',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Daily backups for 35 days and monthly ones for the stage's years, in a retained vault. */
  private createBackupPlan(config: StageConfig): void {
    const vault = new BackupVault(this, 'RecordsVault', {
      backupVaultName: `aftercare-${config.stage}-records`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const plan = new BackupPlan(this, 'RecordsBackup', {
      backupPlanName: `aftercare-${config.stage}-records`,
      backupVault: vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: Schedule.cron({ hour: '18', minute: '0' }),
          deleteAfter: Duration.days(35),
        }),
        new BackupPlanRule({
          ruleName: 'Monthly',
          scheduleExpression: Schedule.cron({ day: '1', hour: '18', minute: '0' }),
          deleteAfter: Duration.days(365 * config.records.backupYears),
        }),
      ],
    });
    const selection = plan.addSelection('Table', {
      resources: [BackupResource.fromArn(this.table.tableArn)],
    });
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason:
        'The role AWS Backup assumes to back up the table: AWS maintains this service policy for exactly that.',
    });
  }

  private createAttachmentsBucket(config: StageConfig): Bucket {
    // Server access logs: the bucket holds the files and a second bucket would hold who
    // fetched them; the functions' own logs and CloudTrail data events (an account choice)
    // cover it instead.
    const bucket = new Bucket(this, 'Attachments', {
      bucketName: attachmentsBucketName(config.stage),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'unrecorded-uploads',
          prefix: 'incoming/',
          expiration: Duration.days(incomingExpiryDays),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          // Register exports are fetched through a five-minute link: a day is plenty.
          id: 'register-exports',
          prefix: 'exports/',
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'replaced-versions',
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // Uploads are plain form posts, which need no CORS; a script on our own name may.
      cors: config.api.customDomain
        ? [
            {
              allowedMethods: [HttpMethods.POST],
              allowedOrigins: [`https://${config.api.customDomain.name}`],
              allowedHeaders: ['*'],
              maxAge: 3600,
            },
          ]
        : [],
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'No server access log bucket: uploads and reads go through the functions, whose logs ' +
        'record them; CloudTrail S3 data events are the account-wide choice for more.',
    });
    if (config.attachments.malwareProtection) this.protectFromMalware(bucket);
    return bucket;
  }

  /** GuardDuty scans each new object and tags it; the role is what GuardDuty needs for that. */
  private protectFromMalware(bucket: Bucket): void {
    const role = new Role(this, 'MalwareProtectionRole', {
      assumedBy: new ServicePrincipal('malware-protection-plan.guardduty.amazonaws.com'),
      description: 'GuardDuty Malware Protection for S3: reads and tags the attachments',
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:PutObjectTagging',
          's3:GetObjectTagging',
          's3:PutObjectVersionTagging',
          's3:GetObjectVersionTagging',
        ],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: [
          's3:ListBucket',
          's3:GetBucketNotification',
          's3:PutBucketNotification',
          's3:GetBucketLocation',
        ],
        resources: [bucket.bucketArn],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: [
          'events:PutRule',
          'events:DeleteRule',
          'events:PutTargets',
          'events:RemoveTargets',
          'events:DescribeRule',
        ],
        resources: [
          this.formatArn({
            service: 'events',
            resource: 'rule',
            resourceName: 'DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*',
          }),
        ],
      }),
    );
    const plan = new CfnMalwareProtectionPlan(this, 'MalwareProtection', {
      role: role.roleArn,
      protectedResource: { s3Bucket: { bucketName: bucket.bucketName } },
      actions: { tagging: { status: 'ENABLED' } },
    });
    plan.node.addDependency(role);
    const reason =
      'GuardDuty scans every object of this one bucket, and manages EventBridge rules it ' +
      'names DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3…: the policy AWS documents.';
    const cfnBucket = bucket.node.defaultChild;
    if (!(cfnBucket instanceof CfnBucket)) throw new Error('The bucket has no CfnBucket');
    const bucketId = this.getLogicalId(cfnBucket);
    Validations.of(role).acknowledge(
      { id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`, reason },
      {
        id: `AwsSolutions-IAM5[Resource::arn:${named(this.partition, 'Partition')}:events:${named(this.region, 'Region')}:${named(this.account, 'AccountId')}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*]`,
        reason,
      },
    );
  }
}

/** How cdk-nag names a stack value in a finding: itself when known, the pseudo parameter if not. */
function named(value: string, pseudo: string): string {
  return Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value;
}

/** The index's projection as the table construct takes it (table.ts says what each copies). */
function projectionOf(index: IndexSpec) {
  if (index.projection === 'all') return { projectionType: ProjectionType.ALL };
  if (index.projection === 'keys') return { projectionType: ProjectionType.KEYS_ONLY };
  return { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection] };
}
