/**
 * Stands in for `@aws-sdk/credential-provider-node` in Lambda bundles (aliased in bundling.ts).
 *
 * Lambda always hands a function its role's credentials in environment variables, so the full
 * default chain (SSO, INI files, STS web identity, process, IMDS) is dead weight there: dropping
 * it saves ~100 KB of bundle and ~20 ms of cold start. Local runs and tests are not bundled and
 * keep the SDK's real default chain.
 */
import type { FromEnvInit } from '@aws-sdk/credential-provider-env';
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: FromEnvInit) => fromEnv(init);
