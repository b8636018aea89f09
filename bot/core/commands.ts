import type { ServiceCatalog } from '../../providers/domain';

/** What `/bdp …` (Slack) or the same words sent to the bot (Teams) ask for. */
export type BdpCommand =
  | { verb: 'analyze'; service: string }
  | { verb: 'status'; service?: string }
  | { verb: 'history'; service: string; limit: number }
  | { verb: 'help'; unknown?: string };

export type ParsedCommand = { ok: true; command: BdpCommand } | { ok: false; error: string };

export const DEFAULT_HISTORY = 5;
export const MAX_HISTORY = 20;

export const USAGE = [
  '`/bdp analyze <service>` — analyse a service now; the incident card appears in the incident channel',
  '`/bdp status [service]` — every incident that still needs a person (waiting for approval, escalated, failed, not resolved), newest first, with its age and a link to its card',
  `\`/bdp history <service> [n]\` — the last n remediations on a service (default ${DEFAULT_HISTORY}, at most ${MAX_HISTORY})`,
  '`/bdp help` — this help',
];

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The known services nearest to `name` (at most three; all known ones when none is near). */
export function closestServices(name: string, services: ServiceCatalog, max = 3): string[] {
  const scored = services
    .map((s) => ({
      name: s.name,
      d: editDistance(name.toLowerCase(), s.name),
      contains: s.name.includes(name.toLowerCase()),
    }))
    .sort((a, b) => Number(b.contains) - Number(a.contains) || a.d - b.d || a.name.localeCompare(b.name));
  const near = scored.filter((s) => s.contains || s.d <= Math.max(2, Math.ceil(s.name.length / 3)));
  return (near.length > 0 ? near : scored).slice(0, max).map((s) => s.name);
}

function unknownService(name: string, services: ServiceCatalog): string {
  const near = closestServices(name, services);
  return `Unknown service \`${name}\`. Did you mean ${near.map((n) => `\`${n}\``).join(', ')}?`;
}

function resolveService(
  name: string | undefined,
  verb: string,
  services: ServiceCatalog,
): { service: string } | { error: string } {
  if (!name)
    return {
      error: `\`/bdp ${verb}\` needs a service name. Known services: ${services.map((s) => `\`${s.name}\``).join(', ')}.`,
    };
  const found = services.find((s) => s.name === name.toLowerCase());
  return found ? { service: found.name } : { error: unknownService(name, services) };
}

/** Parses the words after `/bdp`. Unknown verbs get the usage; bad arguments a message naming what was wrong. */
export function parseBdpCommand(text: string, services: ServiceCatalog): ParsedCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const verb = (words[0] ?? 'help').toLowerCase();
  switch (verb) {
    case 'analyze':
    case 'analyse': {
      if (words.length > 2) return { ok: false, error: 'Usage: `/bdp analyze <service>` (one service).' };
      const r = resolveService(words[1], 'analyze', services);
      return 'error' in r
        ? { ok: false, error: r.error }
        : { ok: true, command: { verb: 'analyze', service: r.service } };
    }
    case 'status': {
      if (words.length > 2) return { ok: false, error: 'Usage: `/bdp status [service]`.' };
      if (words[1] === undefined) return { ok: true, command: { verb: 'status' } };
      const r = resolveService(words[1], 'status', services);
      return 'error' in r
        ? { ok: false, error: r.error }
        : { ok: true, command: { verb: 'status', service: r.service } };
    }
    case 'history': {
      const r = resolveService(words[1], 'history', services);
      if ('error' in r) return { ok: false, error: r.error };
      const raw = words[2];
      if (raw === undefined)
        return { ok: true, command: { verb: 'history', service: r.service, limit: DEFAULT_HISTORY } };
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < 1 || n > MAX_HISTORY) {
        return {
          ok: false,
          error: `\`${raw}\` is not a count: give a whole number from 1 to ${MAX_HISTORY}.`,
        };
      }
      return { ok: true, command: { verb: 'history', service: r.service, limit: n } };
    }
    case 'help':
      return { ok: true, command: { verb: 'help' } };
    default:
      return { ok: true, command: { verb: 'help', unknown: words[0] } };
  }
}
