// The same group-by sums as a settlement needs (host, product, currency,
// quarter), exact DECIMAL, in DuckDB with two threads: the yardstick of
// scripts/bench.sh. Usage: node duckdb.mjs FILE
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await inst.connect();
const r = await con.runAndReadAll(`
  SELECT host, product, currency, year(date) AS y, quarter(date) AS q,
         sum(gross::DECIMAL(18,2)) AS gross, sum(refunds::DECIMAL(18,2)) AS refunds,
         sum(taxes::DECIMAL(18,2)) AS taxes, sum(fees::DECIMAL(18,2)) AS fees,
         sum(credits::DECIMAL(18,2)) AS credits, sum(units::BIGINT) AS units
  FROM read_csv('${file.replaceAll("'", "''")}', header = true)
  GROUP BY ALL`);
console.log(`${r.getRows().length} groups`);
