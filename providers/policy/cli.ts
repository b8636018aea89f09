/**
 * `npm run policy -- check --service <name> --plan <file.json> [--current <json>] [--json]`
 *
 * The operator's dry run of a plan against the remediation policy and the service catalog: prints
 * allowed/refused, the route cap and every reason. Nothing is read from or written to AWS.
 * Exit 0 allowed, 3 refused, 2 bad input (naming what is wrong).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { loadServices } from '../config/services';
import { RemediationPlan, ServiceCatalog } from '../domain';
import { evaluatePlan, type PolicyContext } from './check';
import { loadPolicy, parsePolicy } from './index';
import { describeTarget } from './targets';

const USAGE = `usage: npm run policy -- check --service <name> --plan <file.json> [--current <json>] [--json]

Checks a remediation plan against the policy and the service catalog, without acting.

  --service <name>    the incident's service (must be in the catalog)
  --plan <file>       the plan as JSON: {"action": "...", "parameters": {...}}
  --current <json>    the target's current state: {"value": "4096"} (rds_parameter; null = unset,
                      or the engine's formula text) or {"capacity": 2} (auto_scaling). Without it
                      an rds_parameter ratio cannot be checked, so the route is capped at approval.
  --services <file>   a service catalog (JSON); default SERVICES_FILE, else the built-in catalog
  --policy <file>     a policy document (JSON); default the repo's remediation-policy.json
  --json              print the verdict as JSON
  -h, --help          this text

exit status: 0 allowed, 3 refused, 2 bad input`;

const Current = z
  .object({
    value: z.union([z.string(), z.number(), z.null()]).optional(),
    capacity: z.number().int().nonnegative().optional(),
  })
  .strict();

class BadInput extends Error {}

function readJson(what: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new BadInput(
      `${what} ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BadInput(`${what} ${file}: not JSON (${(e as Error).message})`);
  }
}

function zodProblem(what: string, e: z.ZodError): string {
  const i = e.issues[0]!;
  return `${what}: ${i.path.join('.') || '(root)'}: ${i.message}`;
}

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

export function runPolicyCli(argv: string[], io: CliIo): number {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        service: { type: 'string' },
        plan: { type: 'string' },
        current: { type: 'string' },
        services: { type: 'string' },
        policy: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  try {
    const [command, ...extra] = positionals;
    if (command !== 'check')
      throw new BadInput(command ? `unknown command "${command}"` : 'missing command "check"');
    if (extra.length) throw new BadInput(`unexpected argument "${extra[0]}"`);
    if (typeof values.service !== 'string' || !values.service) throw new BadInput('missing --service <name>');
    if (typeof values.plan !== 'string' || !values.plan) throw new BadInput('missing --plan <file.json>');

    const policy = typeof values.policy === 'string' ? parsePolicyFile(values.policy) : loadPolicy();
    const catalog =
      typeof values.services === 'string'
        ? parseCatalog(values.services)
        : loadServicesOrBad(io.env.SERVICES_FILE);
    const service = catalog.find((s) => s.name === values.service);
    if (!service)
      throw new BadInput(
        `--service: "${values.service}" is not in the catalog (known: ${catalog.map((s) => s.name).join(', ')})`,
      );
    const planDoc = RemediationPlan.safeParse(readJson('--plan', values.plan));
    if (!planDoc.success) throw new BadInput(zodProblem(`--plan ${values.plan}`, planDoc.error));

    const ctx: PolicyContext = { service_name: service.name, service };
    if (typeof values.current === 'string') {
      let doc: unknown;
      try {
        doc = JSON.parse(values.current);
      } catch (e) {
        throw new BadInput(`--current: not JSON (${(e as Error).message})`);
      }
      const c = Current.safeParse(doc);
      if (!c.success) throw new BadInput(zodProblem('--current', c.error));
      if (c.data.value !== undefined) ctx.current_raw = c.data.value === null ? null : String(c.data.value);
      if (c.data.capacity !== undefined) ctx.current_capacity = c.data.capacity;
    }
    if (ctx.current_raw === undefined) ctx.current_missing = 'no current value given (--current)';

    const v = evaluatePlan(planDoc.data, policy, ctx);
    const target = describeTarget(v.plan, service);
    if (values.json) {
      io.out(
        JSON.stringify(
          {
            allowed: v.allowed,
            route_cap: v.route_cap,
            reasons: v.reasons,
            cap_reasons: v.cap_reasons,
            service: service.name,
            target,
            plan: v.plan,
          },
          null,
          2,
        ),
      );
    } else {
      const lines = [
        `${v.allowed ? 'ALLOWED' : 'REFUSED'} · route cap: ${v.route_cap}`,
        `service: ${service.name}`,
        ...(target ? [`target: ${target}`] : []),
        `plan: ${v.plan.action} ${JSON.stringify(v.plan.parameters)}`,
      ];
      if (v.reasons.length) lines.push('reasons:', ...v.reasons.map((r) => `  - ${r}`));
      if (v.cap_reasons.length) lines.push('capped because:', ...v.cap_reasons.map((r) => `  - ${r}`));
      io.out(lines.join('\n'));
    }
    return v.allowed ? 0 : 3;
  } catch (e) {
    if (e instanceof BadInput) {
      io.err(`policy check: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

function parsePolicyFile(file: string) {
  try {
    return parsePolicy(readJson('--policy', file));
  } catch (e) {
    if (e instanceof BadInput) throw e;
    throw new BadInput(`--policy ${file}: ${(e as Error).message}`);
  }
}

function parseCatalog(file: string): ServiceCatalog {
  const r = ServiceCatalog.safeParse(readJson('--services', file));
  if (!r.success) throw new BadInput(zodProblem(`--services ${file}`, r.error));
  return r.data;
}

function loadServicesOrBad(file: string | undefined): ServiceCatalog {
  try {
    return loadServices({ SERVICES_FILE: file || undefined });
  } catch (e) {
    throw new BadInput((e as Error).message);
  }
}

if (require.main === module) {
  process.exitCode = runPolicyCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    env: process.env,
  });
}
