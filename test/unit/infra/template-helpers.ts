import type { Template } from 'aws-cdk-lib/assertions';

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Resource = { Type: string; Properties?: Record<string, Json> };

export function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** Resolves CloudFormation intrinsics to readable placeholders: `<Ref>`, `<Id.Attr>`, joined strings. */
export function flatten(v: Json): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    if ('Ref' in v) return `<${v.Ref as string}>`;
    if ('Fn::GetAtt' in v) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in v) {
      const [sep, parts] = v['Fn::Join'] as [string, Json[]];
      return parts.map(flatten).join(sep);
    }
  }
  return JSON.stringify(v);
}

/** The ASL of a state machine in the template, with the tokens flattened into placeholder strings. */
export function definitionOf(template: Template, stateMachineName: string): Record<string, Json> {
  const machines = resourcesOf(template, 'AWS::StepFunctions::StateMachine');
  const m = Object.values(machines).find((r) => r.Properties?.StateMachineName === stateMachineName);
  if (!m) throw new Error(`no state machine ${stateMachineName}`);
  return JSON.parse(flatten(m.Properties!.DefinitionString as Json));
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: Json;
  Sid?: string;
}

/** Every IAM statement of the template, with the policy (or role) it belongs to. */
export function allStatements(template: Template): { owner: string; roles: string[]; st: Statement }[] {
  const out: { owner: string; roles: string[]; st: Statement }[] = [];
  for (const [id, r] of Object.entries(resourcesOf(template, 'AWS::IAM::Policy'))) {
    const doc = r.Properties!.PolicyDocument as unknown as { Statement: Statement[] };
    const roles = ((r.Properties!.Roles as Json[]) ?? []).map(flatten);
    for (const st of doc.Statement) out.push({ owner: id, roles, st });
  }
  for (const [id, r] of Object.entries(resourcesOf(template, 'AWS::IAM::Role'))) {
    const policies =
      (r.Properties!.Policies as unknown as { PolicyDocument: { Statement: Statement[] } }[]) ?? [];
    for (const p of policies)
      for (const st of p.PolicyDocument.Statement) out.push({ owner: id, roles: [`<${id}>`], st });
  }
  return out;
}

export const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
