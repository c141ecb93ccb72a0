/**
 * Constructs that group without renaming. Each construct below (function, queue, schedule)
 * holds what used to be the stack's own children, and a deploy must replace none of them: a
 * resource's logical id is made from its construct path, so a new level in the path would
 * give every resource in it a new id. A flat construct is therefore left out of the logical
 * ids of what it holds (StatelessStack.allocateLogicalId): its children keep the ids they had
 * as the stack's own children, and its 'Default' child (its main resource, which CDK leaves out
 * of ids and unique names) takes the construct's own id. The main resource being 'Default' also
 * keeps its unique name (`Names.nodeUniqueId`), which CDK builds other ids from (an SQS event
 * source mapping is named after its queue).
 */
import { createHash } from 'node:crypto';
import type { CfnElement } from 'aws-cdk-lib';
import { Construct, type IConstruct } from 'constructs';

export class FlatConstruct extends Construct {}

/**
 * The logical id CDK would give the element with every flat construct left out of its path
 * (unless its next component is 'Default', which stands in for it).
 */
export function flatLogicalId(element: CfnElement): string {
  const scopes = element.node.scopes;
  const below = scopes.slice(scopes.indexOf(element.stack) + 1);
  const components = below
    .filter(
      (scope: IConstruct, index) =>
        !(scope instanceof FlatConstruct) || below[index + 1]?.node.id === 'Default',
    )
    .map((scope) => scope.node.id);
  return makeUniqueId(components);
}

// CDK's own makeUniqueId (aws-cdk-lib core/lib/private/uniqueid) is not exported: the same
// rules, checked by test/stack/flat.test.ts against the ids CDK gives.
function makeUniqueId(path: string[]): string {
  const components = path.filter((component) => component !== 'Default');
  if (components.length === 0) throw new Error('No id components');
  const alphanumeric = (component: string) => component.replace(/[^A-Za-z0-9]/g, '');
  if (components.length === 1) {
    const candidate = alphanumeric(components[0] ?? '');
    if (candidate.length <= 255) return candidate;
  }
  const hash = createHash('md5')
    .update(components.join('/'))
    .digest('hex')
    .slice(0, 8)
    .toUpperCase();
  const human: string[] = [];
  for (const component of components) {
    if (human.length === 0 || !(human.at(-1) ?? '').endsWith(component)) human.push(component);
  }
  return (
    human
      .filter((component) => component !== 'Resource')
      .map(alphanumeric)
      .join('')
      .slice(0, 240) + hash
  );
}
