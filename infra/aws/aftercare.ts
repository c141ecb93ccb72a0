/**
 * The whole system on AWS: a stateful stack (table, SES identity and configuration set)
 * and a stateless stack generated from the wiring description, checked by cdk-nag's
 * AwsSolutions rules on every synth.
 */
import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type StageConfig, stageConfigFrom } from './config.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export interface Aftercare {
  config: StageConfig;
  stateful: StatefulStack;
  stateless: StatelessStack;
}

export function buildAftercare(app: App): Aftercare {
  const config = stageConfigFrom((key) => app.node.tryGetContext(key));
  const env = {
    account: config.account ?? process.env.CDK_DEFAULT_ACCOUNT,
    region: config.region ?? process.env.CDK_DEFAULT_REGION,
  };
  const prefix = `Aftercare-${config.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    env,
    config,
    description: `Aftercare ${config.stage}: complaint register table and SES sending identity (kept on deletion)`,
    terminationProtection: config.terminationProtection,
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    env,
    config,
    description: `Aftercare ${config.stage}: functions, API, queues, schedules and alarms`,
    terminationProtection: config.terminationProtection,
    table: stateful.table,
    mailIdentityArn: stateful.identity.emailIdentityArn,
    configurationSetName: stateful.configurationSet.configurationSetName,
    configurationSetArn: stateful.configurationSetArn,
    surveyConfigurationSetName: stateful.surveyConfigurationSet.configurationSetName,
    surveyConfigurationSetArn: stateful.surveyConfigurationSetArn,
    staffUserPoolId: stateful.staffPool.userPoolId,
    staffClientId: stateful.staffClient.userPoolClientId,
  });
  Tags.of(app).add('application', 'aftercare');
  Tags.of(app).add('stage', config.stage);
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );
  return { config, stateful, stateless };
}
