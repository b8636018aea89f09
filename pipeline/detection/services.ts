import type { ServiceCatalog, ServiceDefinition } from '../../providers/domain';

/** `/bdp analyze <name>` for a service the catalog does not have. The message names the closest ones. */
export class UnknownServiceError extends Error {
  constructor(
    readonly service: string,
    readonly suggestions: string[],
  ) {
    super(
      `Unknown service "${service}".${suggestions.length ? ` Did you mean: ${suggestions.join(', ')}?` : ''}`,
    );
    this.name = 'UnknownServiceError';
  }
}

/** The catalog entry for `name`, or an UnknownServiceError naming up to three closest known services. */
export function resolveService(catalog: ServiceCatalog, name: string): ServiceDefinition {
  const wanted = name.trim().toLowerCase();
  const found = catalog.find((s) => s.name === wanted);
  if (found) return found;
  throw new UnknownServiceError(
    name,
    closestNames(
      wanted,
      catalog.map((s) => s.name),
    ),
  );
}

/** Closest names by edit distance, with names containing (or contained in) the input ranked first. */
export function closestNames(input: string, names: string[], max = 3): string[] {
  return names
    .map((n) => ({ n, d: n.includes(input) || input.includes(n) ? 0 : editDistance(input, n) }))
    .sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : 1))
    .slice(0, max)
    .map((x) => x.n);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
