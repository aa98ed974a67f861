/**
 * The one place Restore's Lambda bundles are configured. `lambdaBundling` feeds CDK's
 * NodejsFunction; `esbuildOptionsFor` gives the same settings to esbuild's JS API so the
 * benchmark (and the infra test that checks it) builds byte-identical bundles.
 */
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { functions } from '#functions/routes.ts';

/** Repository root: entries in functions/routes.ts are relative to it. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Lambda runs Node 24: nodejs24.x (keep in step with the runtime in restore-function.ts). */
export const NODE_TARGET = 'node24';

/** File name of the bundled handler inside the asset (CDK names ESM output index.mjs). */
export const BUNDLE_FILE = 'index.mjs';

/**
 * ESM bundles have no `require`; CommonJS dependencies bundled inside them (X-Ray SDK, some
 * Powertools internals) call it dynamically, so give them one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/** Module aliases: see lambda-credentials.ts for why the credential chain is replaced. */
export const MODULE_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': join(REPO_ROOT, 'infra', 'constructs', 'lambda-credentials.ts'),
};

/**
 * Left out of every bundle. The SDK's HTTP protocol loads event-stream support with a dynamic
 * import, only for operations that stream events (Bedrock, Transcribe, Kinesis SubscribeToShard…).
 * DynamoDB, SQS and Secrets Manager have none, so the 15 KB it adds to each bundle is never run.
 * If a client with such an operation is ever added, its first streaming call fails loudly with
 * ERR_MODULE_NOT_FOUND (the runtime's own SDK is not on the ESM resolution path): remove the
 * entry then. bundling.test.ts checks that no other import is left unresolved.
 */
export const EXTERNAL_MODULES: readonly string[] = [
  '@smithy/core/event-streams',
  // The S3 client asks for the CRT signer only to sign with SigV4a (multi-region access points),
  // which Restore never uses; it is an optional peer the SDK itself does not install.
  '@aws-sdk/signature-v4-crt',
];

const EVENT_STREAMS = '@smithy/core/event-streams';

/**
 * The externals of one function's bundle. The S3 client imports event-stream support statically
 * (SelectObjectContent), so a function that uses an S3 bucket (artefacts, uploads or sharing
 * export files) must bundle it: left out, the function would fail at import with
 * ERR_MODULE_NOT_FOUND.
 */
export function externalModulesFor(entry: string): string[] {
  const rel = relative(REPO_ROOT, isAbsolute(entry) ? entry : join(REPO_ROOT, entry));
  const usesS3 = Object.values(functions).some((f) => {
    const access = f.access as Record<string, unknown>;
    return f.entry === rel && ['artefactBucket', 'uploadBucket', 'exportFiles'].some((k) => k in access);
  });
  return EXTERNAL_MODULES.filter((m) => !(usesS3 && m === EVENT_STREAMS));
}

// Settings shared by both views below.
const MAIN_FIELDS = ['module', 'main'];
const MINIFY = true;
// Off to keep bundles (and cold starts) small; restore-function.ts sets --enable-source-maps
// only when this is on.
export const SOURCEMAP = false;

/** Options for NodejsFunction. The AWS SDK is bundled (not the runtime's copy): we pin it. */
export const lambdaBundling: BundlingOptions = {
  format: OutputFormat.ESM,
  target: NODE_TARGET,
  minify: MINIFY,
  sourceMap: SOURCEMAP,
  mainFields: MAIN_FIELDS,
  banner: ESM_REQUIRE_BANNER,
  bundleAwsSDK: true,
  externalModules: [...EXTERNAL_MODULES],
  logLevel: LogLevel.WARNING,
  // NodejsFunction has no typed `alias`; esbuildArgs passes it through to the esbuild CLI.
  esbuildArgs: {
    '--alias': Object.entries(MODULE_ALIASES).map(([from, to]) => `${from}=${to}`),
  },
};

/** lambdaBundling with this function's externals (externalModulesFor). */
export function lambdaBundlingFor(entry: string): BundlingOptions {
  return { ...lambdaBundling, externalModules: externalModulesFor(entry) };
}

/**
 * The same build for esbuild's JS API. `entry` may be absolute or relative to the repository
 * root (as in functions/routes.ts); CDK runs esbuild from the repository root too.
 */
export function esbuildOptionsFor(entry: string, outfile: string): BuildOptions {
  return {
    absWorkingDir: REPO_ROOT,
    entryPoints: [isAbsolute(entry) ? entry : join(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: NODE_TARGET,
    minify: MINIFY,
    sourcemap: SOURCEMAP,
    mainFields: MAIN_FIELDS,
    banner: { js: ESM_REQUIRE_BANNER },
    alias: { ...MODULE_ALIASES },
    external: externalModulesFor(entry),
    logLevel: 'warning',
  };
}
