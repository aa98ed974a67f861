import { RemovalPolicy } from 'aws-cdk-lib';
import type { DeploymentConfig, RemovalPolicyName } from '../config/deployment.ts';

/**
 * What happens to stored data (tables, keys, queues, logs, buckets) when its stack is deleted.
 * `removalPolicy` defaults by stage (prod retains, dev destroys); prod can never destroy.
 */
export function removalPolicyFor(config: Pick<DeploymentConfig, 'removalPolicy'>): RemovalPolicy {
  return config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
}

/** Retained data is also deletion-protected, so neither a stack deletion nor a console click loses it. */
export function protectsData(config: { readonly removalPolicy: RemovalPolicyName }): boolean {
  return config.removalPolicy === 'retain';
}

export function isProd(config: Pick<DeploymentConfig, 'stage'>): boolean {
  return config.stage === 'prod';
}
