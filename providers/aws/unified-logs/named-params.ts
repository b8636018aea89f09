/**
 * Rewrites `:name` placeholders (the Data API's form) to PostgreSQL's `$n`, reusing the number of a
 * name seen before. Text inside single quotes, double quotes and `::type` casts is left alone.
 */
export function toPositional(sql: string): { text: string; names: string[] } {
  const names: string[] = [];
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = skipQuoted(sql, i, c);
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    if (c === ':' && sql[i + 1] === ':') {
      out += '::';
      i += 2;
      continue;
    }
    if (c === ':' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))!;
      let n = names.indexOf(m[0]);
      if (n < 0) n = names.push(m[0]) - 1;
      out += `$${n + 1}`;
      i += 1 + m[0].length;
      continue;
    }
    out += c;
    i += 1;
  }
  return { text: out, names };
}

function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i += 1;
  }
  return i;
}
