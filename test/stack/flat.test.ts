/** Flat constructs leave logical ids as they were: the same ids CDK gives the stack's own children. */
import { App, CfnResource, Names, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { FlatConstruct } from '#infra/aws/constructs/flat.ts';
import { ConstructTestStack } from './construct-stack.ts';

const resource = (scope: Construct, id: string) =>
  new CfnResource(scope, id, { type: 'Test::Thing' });

describe('flat logical ids', () => {
  // Same stack id in two apps: CDK's unique names include it.
  const plain = new Stack(new App(), 'Stack');
  const flat = new ConstructTestStack(new App(), 'Stack');

  it('equal CDK’s own for paths without flat constructs (long, nested, Default and Resource)', () => {
    const paths = [
      ['Queue'],
      ['Api', 'Default', 'complaints', 'Resource'],
      ['Intake', 'Role', 'DefaultPolicy', 'Resource'],
      [
        'SendNotification',
        'SqsEventSource:AftercaredevStatelessNotificationQueue9BA4310A',
        'Resource',
      ],
      ['Long'.repeat(70), 'Child'],
      ['Put', 'CONFIG#DEPARTMENT#qc'],
      ['RoutingQueue', 'Queue', 'Policy'],
      ['Default', 'ApiAccessLogs', 'Resource'],
    ];
    for (const path of paths) {
      // Each path starts with its own id, so every level is new.
      const build = (stack: Stack) => {
        let scope: Construct = stack;
        for (const id of path.slice(0, -1)) scope = new Construct(scope, id);
        return resource(scope, path.at(-1) ?? '');
      };
      expect(flat.getLogicalId(build(flat))).toBe(plain.getLogicalId(build(plain)));
    }
  });

  it('name a flat construct’s children as the stack’s own, and its Default child by its id', () => {
    const group = new FlatConstruct(flat, 'IntakeQueue');
    const main = new Construct(group, 'Default');
    const inGroup = resource(main, 'Resource');
    const sibling = new Construct(group, 'IntakeDeadLetterQueue');
    const siblingResource = resource(sibling, 'Resource');

    const top = new Construct(plain, 'IntakeQueue');
    const topResource = resource(top, 'Resource');
    const topSibling = resource(new Construct(plain, 'IntakeDeadLetterQueue'), 'Resource');

    expect(flat.getLogicalId(inGroup)).toBe(plain.getLogicalId(topResource));
    expect(flat.getLogicalId(siblingResource)).toBe(plain.getLogicalId(topSibling));
    // CDK names other resources after the main one's unique name: it stays the same too.
    expect(Names.nodeUniqueId(main.node)).toBe(Names.nodeUniqueId(top.node));
  });
});
