/**
 * The stateful part: what must outlive any deployment of the code. The table is retained
 * when the stack is deleted and guarded by deletion protection; the SES identity and its
 * configuration set hold the sending reputation and settings.
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { tableIndexes, tableKeys, ttlAttribute } from '../../functions/data/table.ts';
import type { StageConfig } from './config.ts';

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

export class StatefulStack extends Stack {
  readonly table: TableV2;
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  /** ARN of the configuration set (the L2 construct does not expose one). */
  readonly configurationSetArn: string;

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
        projectionType: ProjectionType.ALL,
      })),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.configurationSet = new ConfigurationSet(this, 'MailSettings', {
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
      sendingEnabled: true,
    });
    this.configurationSetArn = this.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });

    const identityValue = config.mail.identity;
    this.identity = new EmailIdentity(this, 'MailIdentity', {
      identity: identityValue.includes('@')
        ? Identity.email(identityValue)
        : Identity.domain(identityValue),
      configurationSet: this.configurationSet,
    });

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
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
  }
}
