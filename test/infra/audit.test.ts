/**
 * The audit trail as deployed: append-only for every function (proven on the synthesised IAM
 * policies, derived from the route table), readable only by the audit search, and copied to an
 * S3 bucket whose objects are locked in compliance mode for the configured retention.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionAccess, functions, servesStaffRoutes } from '#functions/routes.ts';
import { contentSecurityPolicy } from '#infra/config/edge.ts';
import { auditTable } from '#shared/storage/tables.ts';
import type { DeployedFunction, Synthesised } from './support.ts';
import {
  actionsOf,
  deployedFunctions,
  example,
  json,
  logicalId,
  onlyResourceOfType,
  policyStatements,
  resourcesOfType,
  synthesise,
} from './support.ts';

const NAMES = ['dev', 'prod'];
let deployments: Synthesised[];
let fns: DeployedFunction[];

beforeAll(() => {
  deployments = synthesise(NAMES.map(example));
  fns = deployments.flatMap(deployedFunctions);
});

const auditTableId = (s: Synthesised) => logicalId(s.deployment.data.auditTable);
const onAuditTable = (f: DeployedFunction, s: Synthesised) =>
  policyStatements(f.template, f.policyId).filter((st) =>
    JSON.stringify(st.Resource).includes(auditTableId(s)),
  );

describe('audit trail: append-only', () => {
  it('lets every function that serves a staff route (or a job declared to append) put audit entries, and no function change or delete one', () => {
    for (const s of deployments) {
      for (const f of deployedFunctions(s)) {
        const actions = onAuditTable(f, s).flatMap(actionsOf);
        // Staff routes record each request; a job with `auditTable: 'append'` records what it did.
        const appends =
          servesStaffRoutes(f.name) || (functions[f.name].access as FunctionAccess).auditTable === 'append';
        expect(actions.includes('dynamodb:PutItem'), f.name).toBe(appends);
        for (const forbidden of [
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:PartiQLUpdate',
          'dynamodb:PartiQLDelete',
          'dynamodb:DeleteTable',
          'dynamodb:UpdateTable',
        ]) {
          expect(actions, `${f.name} ${forbidden}`).not.toContain(forbidden);
        }
      }
    }
    expect(fns.filter((f) => servesStaffRoutes(f.name)).length).toBeGreaterThan(3);
  });

  it('lets only the audit search read the trail', () => {
    for (const s of deployments) {
      for (const f of deployedFunctions(s)) {
        const reads = onAuditTable(f, s)
          .flatMap(actionsOf)
          .some((a) => ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:Scan'].includes(a));
        expect(reads, f.name).toBe((functions[f.name].access as FunctionAccess).auditTable === 'read');
      }
    }
  });

  it('gives no policy in any stack a way to change or delete audit entries', () => {
    for (const s of deployments) {
      for (const t of s.all) {
        for (const statement of policyStatements(t)) {
          if (!JSON.stringify(statement.Resource ?? '').includes(auditTableId(s))) continue;
          for (const action of actionsOf(statement)) {
            expect(action).not.toMatch(/^dynamodb:(UpdateItem|DeleteItem|BatchWriteItem|PartiQL|\*)/);
          }
        }
      }
    }
  });
});

describe('audit trail: archive', () => {
  it('streams every audit-table change to Kinesis, and Firehose delivers it to the archive bucket', () => {
    for (const s of deployments) {
      const table = json(s.data).Resources[auditTableId(s)]!;
      expect(JSON.stringify(table.Properties!['Replicas'])).toContain('KinesisStreamSpecification');
      expect(JSON.stringify(table.Properties!['Replicas'])).toContain('AuditStream');
      const delivery = onlyResourceOfType(s.data, 'AWS::KinesisFirehose::DeliveryStream');
      const props = JSON.stringify(delivery.Properties);
      expect(props).toContain('AuditStream');
      expect(props).toContain(logicalId(s.deployment.data.auditArchive));
      // The main table has no such stream: only audit entries are archived.
      const main = json(s.data).Resources[logicalId(s.deployment.data.mainTable)]!;
      expect(JSON.stringify(main.Properties!['Replicas'])).not.toContain('KinesisStreamSpecification');
    }
  });

  it('locks archive objects in compliance mode for the configured retention, keeps the bucket, and blocks public access', () => {
    for (const s of deployments) {
      const bucket = json(s.data).Resources[logicalId(s.deployment.data.auditArchive)]!;
      expect(bucket.Properties!['ObjectLockEnabled']).toBe(true);
      expect(bucket.Properties!['ObjectLockConfiguration']).toEqual({
        ObjectLockEnabled: 'Enabled',
        Rule: {
          DefaultRetention: {
            Mode: 'COMPLIANCE',
            Days: example(NAMES[deployments.indexOf(s)]!).auditRetentionDays,
          },
        },
      });
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.Properties!['PublicAccessBlockConfiguration']).toMatchObject({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('is the only Kinesis stream, and the audit table is the one the functions are told about', () => {
    for (const s of deployments) {
      expect(resourcesOfType(s.data, 'AWS::Kinesis::Stream')).toHaveLength(1);
      for (const f of deployedFunctions(s).filter((fn) => servesStaffRoutes(fn.name))) {
        const env = JSON.stringify(
          json(f.template).Resources[f.functionId]!.Properties!['Environment'] ?? {},
        );
        expect(env, f.name).toContain(auditTable.envVar);
      }
    }
  });
});

describe('console sign-in (Cognito hosted sign-in)', () => {
  it('uses the authorization code flow for a public client returning to /staff/, and the CSP lets the console reach the token endpoint', () => {
    const [, prod] = deployments as [Synthesised, Synthesised];
    // The console's client; partner agencies' machine clients (test/infra/sharing.test.ts) sit beside it.
    const consoles = resourcesOfType(prod.auth!, 'AWS::Cognito::UserPoolClient').filter(([id]) =>
      id.startsWith('StaffUserPoolConsoleClient'),
    );
    expect(consoles).toHaveLength(1);
    const client = consoles[0]![1].Properties!;
    expect(client['AllowedOAuthFlows']).toEqual(['code']);
    expect(client['GenerateSecret']).toBe(false);
    expect(client['CallbackURLs']).toContain('https://reports.example.gov/staff/');
    const domain = onlyResourceOfType(prod.auth!, 'AWS::Cognito::UserPoolDomain').Properties!;
    const csp = contentSecurityPolicy(example('prod'));
    expect(csp).toContain(`https://${domain['Domain']}.auth.us-east-1.amazoncognito.com`);
    const connect = csp.split('; ').find((d) => d.startsWith('connect-src'))!;
    expect(connect.split(' ').slice(1).sort()).toEqual(
      [
        "'self'",
        'https://cognito-idp.us-east-1.amazonaws.com',
        `https://${domain['Domain']}.auth.us-east-1.amazoncognito.com`,
      ].sort(),
    );
  });
});
