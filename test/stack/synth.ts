/** Synthesizes the AWS app the way `cdk synth` does, from cdk.json's context. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App, type CfnResource, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { type Aftercare, buildAftercare } from '#infra/aws/aftercare.ts';
import { repositoryRoot } from '#infra/aws/bundling.ts';

export const cdkContext = (
  JSON.parse(readFileSync(resolve(repositoryRoot, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

export interface Synthesized extends Aftercare {
  app: App;
  statefulTemplate: Template;
  statelessTemplate: Template;
}

export interface SynthOptions {
  /** Run esbuild for every function (slow); by default bundling is skipped. */
  bundling?: boolean;
  /** Extra context, e.g. another stage's configuration. */
  context?: Record<string, unknown>;
  outdir?: string;
}

let defaultSynth: Synthesized | undefined;

/**
 * The default stage is synthesized once per test worker and shared: the stack project runs
 * its files in one worker (test/vitest.config.ts), so one synth with cdk-nag serves them all.
 * Callers must not add to the returned app.
 */
export function synthesize(options: SynthOptions = {}): Synthesized {
  const isDefault = !options.bundling && !options.context && !options.outdir;
  if (isDefault) {
    defaultSynth ??= synthesizeNow(options);
    return defaultSynth;
  }
  return synthesizeNow(options);
}

function synthesizeNow(options: SynthOptions): Synthesized {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: {
      ...cdkContext,
      ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const aftercare = buildAftercare(app);
  return {
    app,
    ...aftercare,
    statefulTemplate: Template.fromStack(aftercare.stateful),
    statelessTemplate: Template.fromStack(aftercare.stateless),
  };
}

/** A dev-like stage under another name, with overrides merged in. */
export function stageContext(
  stage: string,
  overrides: Record<string, unknown>,
): Record<string, unknown> {
  const stages = cdkContext['aftercare:stages'] as Record<string, Record<string, unknown>>;
  return {
    stage,
    'aftercare:stages': { ...stages, [stage]: { ...stages.dev, ...overrides } },
  };
}

/** The logical id of a construct's CloudFormation resource in its stack. */
export function logicalId(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnResource);
}

export interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string[];
  Metadata?: Record<string, unknown>;
}

export function resourcesOf(template: Template): Record<string, TemplateResource> {
  return (template.toJSON() as { Resources: Record<string, TemplateResource> }).Resources;
}

/** The value, or a test failure naming what was missing. */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}
