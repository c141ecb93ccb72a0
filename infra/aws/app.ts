/** The CDK app (cdk.json runs it): `npx cdk synth|deploy -c stage=<name>`. */
import { App } from 'aws-cdk-lib';
import { buildAftercare } from './aftercare.ts';
import { StageConfigError } from './config.ts';

const app = new App();
try {
  buildAftercare(app);
} catch (error) {
  if (!(error instanceof StageConfigError)) throw error;
  console.error(`\n${error.message}\n`);
  process.exit(1);
}
app.synth();
