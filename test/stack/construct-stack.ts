/** A small stack for one construct's tests: flat logical ids as in StatelessStack, no bundling. */
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type StageConfig, stageConfigFrom } from '#infra/aws/config.ts';
import { Alarms } from '#infra/aws/constructs/alarms.ts';
import { flatLogicalId } from '#infra/aws/constructs/flat.ts';
import { cdkContext, stageContext } from './synth.ts';

export class ConstructTestStack extends Stack {
  protected override allocateLogicalId(element: CfnElement): string {
    return flatLogicalId(element);
  }
}

export interface ConstructTest {
  stack: ConstructTestStack;
  config: StageConfig;
  alarms: Alarms;
}

/** A stack under the `test` stage (dev's configuration with the overrides merged in). */
export function constructTest(overrides: Record<string, unknown> = {}): ConstructTest {
  const context = { ...cdkContext, ...stageContext('test', overrides) };
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new ConstructTestStack(app, 'Test', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const config = stageConfigFrom((key) => context[key]);
  const alarms = new Alarms(stack, 'Alarms', { stage: config.stage, emails: config.alarms.emails });
  return { stack, config, alarms };
}

/** A function with inline code, for constructs that only wire one. */
export function plainFunction(stack: Stack, id: string): LambdaFunction {
  return new LambdaFunction(stack, id, {
    runtime: Runtime.NODEJS_LATEST,
    handler: 'index.handler',
    code: Code.fromInline('export const handler = async () => {};'),
  });
}
