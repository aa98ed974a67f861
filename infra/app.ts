// The CDK entry point (cdk.json: "node infra/app.ts"). Builds the deployment named by
// `-c env=NAME` from `restore:deployments` in cdk.json (see infra/config/deployment.ts).
import { App } from 'aws-cdk-lib';
import { APP_CONTEXT, addDeployment } from './app-builder.ts';
import { DeploymentConfigError, deploymentFromContext } from './config/deployment.ts';
import { acknowledgements, enableNag, formatNagSummary, nagModeFromContext, nagSummary } from './nag.ts';

const app = new App({ context: APP_CONTEXT });
try {
  const nag = nagModeFromContext(app.node);
  enableNag(app, nag);
  const { config } = addDeployment(app, deploymentFromContext(app.node));
  const assembly = app.synth();
  if (nag !== 'off') {
    console.error(
      formatNagSummary(config.envName, nag, nagSummary(assembly.directory), acknowledgements(app)),
    );
  }
} catch (error) {
  if (error instanceof DeploymentConfigError) {
    console.error(`Invalid deployment configuration in cdk.json:\n${error.message}`);
    process.exit(1);
  }
  throw error;
}
