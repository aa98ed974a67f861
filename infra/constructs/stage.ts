import { RemovalPolicy } from 'aws-cdk-lib';
import type { Stage } from '../config/deployment.ts';

/** prod keeps data (and its keys and logs) when a stack is deleted; dev cleans up after itself. */
export function removalPolicyFor(stage: Stage): RemovalPolicy {
  return stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
}

export function isProd(stage: Stage): boolean {
  return stage === 'prod';
}
