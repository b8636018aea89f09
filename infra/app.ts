import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createBdpApp } from './create-app';

/** `npx cdk synth` / `npx cdk deploy` (cdk.json runs this file with tsx). cdk-nag AwsSolutions checks every synth. */
const app = new App();
createBdpApp(app);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
