import { mkdtempSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FunctionAccess } from '#functions/routes.ts';
import { consumers, functions, routes } from '#functions/routes.ts';
import {
  BUNDLE_FILE,
  ESM_REQUIRE_BANNER,
  esbuildOptionsFor,
  externalModulesFor,
  MODULE_ALIASES,
  REPO_ROOT,
} from '#infra/constructs/bundling.ts';
import { enrichmentQueue, idempotencyTable, mainTable } from '#shared/storage/tables.ts';
import type { DeployedFunction, Synthesised } from './support.ts';
import { deployedFunctions, example, json, resourcesOfType, synthesiseOne } from './support.ts';

let dev: Synthesised;
let fns: DeployedFunction[];

beforeAll(() => {
  dev = synthesiseOne(example('dev'), { bundle: true });
  fns = deployedFunctions(dev);
});

const props = (f: DeployedFunction) => json(f.template).Resources[f.functionId]!.Properties!;
const envOf = (f: DeployedFunction) =>
  (props(f)['Environment'] as { Variables: Record<string, unknown> }).Variables;

/** The bundled handler CDK staged for a function (its asset directory in the cloud assembly). */
function stagedBundle(f: DeployedFunction): string {
  const { S3Key } = props(f)['Code'] as { S3Key: string };
  const hash = S3Key.replace(/\.zip$/, '');
  return readFileSync(join(dev.assemblyDir, `asset.${hash}`, BUNDLE_FILE), 'utf8');
}

describe('Lambda functions', () => {
  it('deploys each function of the route table, the consumers and the event rules exactly once', () => {
    const expected = new Set([
      ...routes.map((r) => r.fn),
      ...consumers.map((c) => c.fn),
      'uploadScan',
      'mailEvents',
    ]);
    expect(fns.map((f) => f.name).sort()).toEqual([...expected].sort());
    const ours = [dev.api, dev.enrichment, dev.distribution, dev.sharing, dev.uploads, dev.mail!].flatMap(
      (t) => resourcesOfType(t, 'AWS::Lambda::Function'),
    );
    expect(ours).toHaveLength(expected.size);
  });

  it('runs every Restore function on nodejs24.x, arm64, traced as the deployment says, with JSON logs', () => {
    expect(fns.length).toBeGreaterThan(0);
    for (const f of fns) {
      expect(props(f)).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: dev.deployment.config.tracing === 'active' ? 'Active' : 'PassThrough' },
        Handler: 'index.handler',
        LoggingConfig: { LogFormat: 'JSON' },
      });
    }
  });

  it('sizes every function exactly as functions/routes.ts says', () => {
    for (const f of fns) {
      const spec = functions[f.name];
      expect(props(f), f.name).toMatchObject({
        MemorySize: spec.memoryMb,
        Timeout: spec.timeoutSeconds,
        Description: spec.description,
      });
    }
  });

  it('gives every function its own encrypted log group with the configured retention', () => {
    for (const f of fns) {
      expect(props(f)['LoggingConfig']).toEqual({ LogFormat: 'JSON', LogGroup: { Ref: f.logGroupId } });
      const logGroup = json(f.template).Resources[f.logGroupId]!;
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties).toMatchObject({ RetentionInDays: example('dev').logRetentionDays });
      expect(logGroup.Properties!['KmsKeyId']).toBeDefined();
      expect(logGroup.Properties!['LogGroupName']).toBeUndefined();
      expect(logGroup.DeletionPolicy).toBe('Delete');
    }
  });

  it('reserves (and so caps) the configured concurrency for every function', () => {
    for (const f of fns) {
      expect(props(f)['ReservedConcurrentExecutions'], f.name).toBe(example('dev').reservedConcurrency);
    }
  });

  it('sets the Powertools environment (service named per deployment) and leaves source maps off', () => {
    for (const f of fns) {
      expect(envOf(f)).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'restore-dev',
        POWERTOOLS_METRICS_NAMESPACE: 'Restore',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      });
      expect(envOf(f)['POWERTOOLS_LOGGER_LOG_EVENT'], f.name).toBeUndefined();
      expect(envOf(f)['NODE_OPTIONS']).toBeUndefined();
    }
  });

  it('names exactly the resources each function may touch in its environment', () => {
    for (const f of fns) {
      const access: FunctionAccess = functions[f.name].access;
      const env = envOf(f);
      expect(env[mainTable.envVar] !== undefined, `${f.name} ${mainTable.envVar}`).toBe(!!access.mainTable);
      expect(env[idempotencyTable.envVar] !== undefined, `${f.name} ${idempotencyTable.envVar}`).toBe(
        !!access.idempotencyTable,
      );
      expect(env[enrichmentQueue.envVar] !== undefined, `${f.name} ${enrichmentQueue.envVar}`).toBe(
        // Senders send to it; consumers change the visibility of their failed messages.
        access.enrichmentQueue !== undefined,
      );
      expect(env['INDICATOR_KEY_SECRET_ARN'] !== undefined, `${f.name} indicator key`).toBe(
        !!access.indicatorKey,
      );
      expect(env['REPORT_RETENTION_DAYS'], `${f.name} retention`).toBe(
        access.mainTable === 'readwrite' ? String(example('dev').reportRetentionDays) : undefined,
      );
    }
  });

  it('tells API handlers which claim holds the caller groups', () => {
    for (const f of fns.filter((fn) => routes.some((r) => r.fn === fn.name))) {
      expect(envOf(f)['AUTH_GROUPS_CLAIM']).toBe('cognito:groups');
    }
  });
});

describe('bundles', () => {
  it('stages an ESM bundle that starts with the require banner', () => {
    for (const f of fns) {
      expect(stagedBundle(f).startsWith(ESM_REQUIRE_BANNER), f.name).toBe(true);
    }
  });

  it('esbuildOptionsFor builds byte-identical bundles to the ones CDK stages', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'restore-bundle-'));
    for (const f of fns) {
      const outfile = join(outDir, f.name, BUNDLE_FILE);
      await build(esbuildOptionsFor(functions[f.name].entry, outfile));
      expect(readFileSync(outfile, 'utf8') === stagedBundle(f), `${f.name} bundle differs`).toBe(true);
    }
  });

  it('leaves nothing to resolve at run time but Node built-ins and the declared externals', () => {
    for (const f of fns) {
      const code = stagedBundle(f);
      const specifiers = [
        ...code.matchAll(/\bfrom\s*"([@\w][\w@./:-]*)"/g),
        ...code.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
        ...code.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g),
      ].map((m) => m[1]!);
      const unresolved = specifiers.filter((s) => !s.startsWith('node:') && !builtinModules.includes(s));
      expect(
        unresolved.filter((s) => !externalModulesFor(functions[f.name].entry).includes(s)),
        f.name,
      ).toEqual([]);
      // An external may only be imported lazily: a static import of one fails the function at
      // load, since Lambda's own SDK is not on the ESM resolution path.
      const staticImports = [...code.matchAll(/\bfrom\s*"([@\w][\w@./:-]*)"/g)]
        .map((m) => m[1]!)
        .filter((s) => !s.startsWith('node:') && !builtinModules.includes(s));
      expect(staticImports, `${f.name} static imports`).toEqual([]);
    }
  });

  it('replaces the SDK default credential chain with the env-only provider', async () => {
    const probe = await build({
      ...esbuildOptionsFor('probe.ts', join(tmpdir(), 'restore-probe.mjs')),
      entryPoints: undefined,
      stdin: {
        contents: "import { SQSClient } from '@aws-sdk/client-sqs'; export const client = new SQSClient({});",
        resolveDir: REPO_ROOT,
        loader: 'ts',
      },
      write: false,
      metafile: true,
    });
    const inputs = Object.keys(probe.metafile.inputs);
    const shim = MODULE_ALIASES['@aws-sdk/credential-provider-node']!;
    expect(inputs.some((i) => shim.endsWith(i))).toBe(true);
    expect(inputs.filter((i) => /credential-provider-(node|sso|ini|process|web-identity)\//.test(i))).toEqual(
      [],
    );
    expect(inputs.some((i) => i.includes('credential-provider-env/'))).toBe(true);
  });
});
