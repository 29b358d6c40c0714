// Runs one SQL file in DuckDB (in memory, two threads) and writes its result
// to OUT: CSV with a header, or Parquet when OUT ends in .parquet. Used by
// pkg/sqlgen's equivalence tests and examples/scale-out. A trailing ';' of
// the query is dropped so that it can be wrapped in COPY.
// Usage: node run.mjs QUERY.sql OUT.csv|OUT.parquet
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [queryFile, out] = process.argv.slice(2);
if (!queryFile || !out) {
  console.error('usage: node run.mjs QUERY.sql OUT.csv|OUT.parquet');
  process.exit(2);
}
const query = readFileSync(queryFile, 'utf8').trim().replace(/;$/, '');
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const to = out.endsWith('.parquet') ? 'FORMAT parquet' : 'FORMAT csv, HEADER true';
try {
  const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
  const con = await inst.connect();
  await con.run(`COPY (${query}) TO ${q(out)} (${to})`);
} catch (e) {
  console.error(String(e.message ?? e));
  process.exit(1);
}
