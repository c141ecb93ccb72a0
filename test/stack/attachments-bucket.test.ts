/** The attachments bucket: private, encrypted, TLS only, versioned, kept, tidied by lifecycle. */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functionSpecs } from '#functions/wiring.ts';
import { resourcesOf, stageContext, synthesize } from './synth.ts';

describe('the attachments bucket', () => {
  const synth = synthesize();
  const bucket = () =>
    Object.values(resourcesOf(synth.statefulTemplate)).find(
      (resource) => resource.Type === 'AWS::S3::Bucket',
    );

  it('is private, encrypted, versioned and retained', () => {
    synth.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(bucket()?.DeletionPolicy).toBe('Retain');
    expect(bucket()?.UpdateReplacePolicy).toBe('Retain');
  });

  it('refuses anything but TLS', () => {
    synth.statefulTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('expires uploads never recorded after a day, and old versions after thirty', () => {
    const configuration = bucket()?.Properties.LifecycleConfiguration as
      | { Rules: Record<string, unknown>[] }
      | undefined;
    const rules = configuration?.Rules ?? [];
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'incoming/', ExpirationInDays: 1, Status: 'Enabled' }),
        expect.objectContaining({
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          Status: 'Enabled',
        }),
      ]),
    );
  });

  it('allows no cross-origin use without our own domain, and only ours with it', () => {
    expect(bucket()?.Properties.CorsConfiguration).toBeUndefined();
    const withDomain = synthesize({
      // A stage with its account and region: cdk-nag then names them in its findings.
      context: stageContext('prod', {
        account: '123456789012',
        region: 'eu-west-1',
        api: {
          customDomain: {
            name: 'aftercare.maker.example',
            certificateArn:
              'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
          },
        },
        attachments: { malwareProtection: true },
      }),
    });
    withDomain.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedOrigins: ['https://aftercare.maker.example'],
            AllowedMethods: ['POST'],
          }),
        ],
      },
    });
    // GuardDuty Malware Protection as a stage option.
    withDomain.statefulTemplate.hasResourceProperties('AWS::GuardDuty::MalwareProtectionPlan', {
      Actions: { Tagging: { Status: 'ENABLED' } },
    });
    synth.statefulTemplate.resourceCountIs('AWS::GuardDuty::MalwareProtectionPlan', 0);
  });

  it('lets only the attachments function touch it, under its two prefixes, and register and review exports under exports/', () => {
    const users = functionSpecs()
      .filter(([, spec]) => spec.attachments)
      .map(([name]) => name);
    expect(users).toEqual(['complaintAttachments']);
    const s3Statements = Object.values(resourcesOf(synth.statelessTemplate))
      .filter((resource) => resource.Type === 'AWS::IAM::Policy')
      .flatMap(
        (policy) =>
          (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      )
      .filter((statement) => JSON.stringify(statement.Action).includes('s3:'));
    expect(s3Statements.map((statement) => statement.Sid).sort()).toEqual([
      'KeepAttachments',
      'ReceiveUploads',
      // The register's exports and the management-review workbook.
      'WriteExports',
      'WriteExports',
    ]);
    expect(
      functionSpecs()
        .filter(([, spec]) => spec.exports)
        .map(([name]) => name),
    ).toEqual(['registerExport', 'reviewWorkbook']);
    const resources = JSON.stringify(s3Statements.map((statement) => statement.Resource));
    expect(resources).toContain('/incoming/*');
    expect(resources).toContain('/complaints/*');
    expect(resources).toContain('/exports/*');
    expect(resources).not.toMatch(/files-[^"]*"\]?,?"?\*"/);
  });
});
