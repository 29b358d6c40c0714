-- llamashare sql --engine duckdb --format aws-billing-events
-- agreement examples/llama-hosts/reports/agreement.yaml sha256 91451023a6233d336b2c745c03cb66fedfe28585bc6f24a8390c5ba2dcdd1bfd
-- format aws-billing-events; source examples/llama-hosts/reports/aws-billing-events-2025-q1.csv
-- Sums raw rows to SPEC 5's pre-aggregation grain (date, host, product, currency)
-- in exact DECIMAL(38, 6); settle the result with llamashare to the same cent.
WITH src AS (
  SELECT trim(coalesce(CAST(t."invoice_date" AS VARCHAR), '')) AS c_date,
         trim(coalesce(CAST(t."product_id" AS VARCHAR), '')) AS c_product,
         trim(coalesce(CAST(t."currency" AS VARCHAR), '')) AS c_currency,
         trim(coalesce(CAST(t."amount" AS VARCHAR), '')) AS c_amount,
         trim(coalesce(CAST(t."transaction_type" AS VARCHAR), '')) AS c_kind
  FROM (SELECT * FROM read_csv('examples/llama-hosts/reports/aws-billing-events-2025-q1.csv', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', skip = 0, null_padding = true)
        UNION ALL BY NAME SELECT CAST(NULL AS VARCHAR) AS "currency" WHERE false) AS t
),
rows_ AS (
  SELECT *, CASE c_kind WHEN 'AWS_REV_SHARE' THEN 'fees' WHEN 'AWS_REV_SHARE_REFUND' THEN 'fees' WHEN 'AWS_TAX_SHARE' THEN 'ignore' WHEN 'AWS_TAX_SHARE_REFUND' THEN 'ignore' WHEN 'DISBURSEMENT' THEN 'ignore' WHEN 'SELLER_REV_SHARE' THEN 'gross' WHEN 'SELLER_REV_SHARE_REFUND' THEN 'refunds' WHEN 'SELLER_TAX_SHARE' THEN 'taxes' ELSE CASE lower(c_kind) WHEN 'aws_rev_share' THEN 'fees' WHEN 'aws_rev_share_refund' THEN 'fees' WHEN 'aws_tax_share' THEN 'ignore' WHEN 'aws_tax_share_refund' THEN 'ignore' WHEN 'disbursement' THEN 'ignore' WHEN 'seller_rev_share' THEN 'gross' WHEN 'seller_rev_share_refund' THEN 'refunds' WHEN 'seller_tax_share' THEN 'taxes' END END AS k_ FROM src
),
kept AS (
  SELECT * FROM rows_
  WHERE NOT (c_date = '' AND c_product = '' AND c_currency = '' AND c_amount = '' AND c_kind = '')
    AND (k_ IS NULL OR k_ <> 'ignore')
),
matched AS (
  SELECT *,
         regexp_matches(c_amount, '^-?[0-9]+(\.[0-9]{1,6})?$') AS p_amount,
         CASE WHEN regexp_matches(c_amount, '^-?[0-9]+(\.[0-9]{1,6})?$') THEN NULL ELSE regexp_extract(c_amount, '^(\()?\s*[$€£¥]?\s*(-)?\s*[$€£¥]?\s*([0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.([0-9]+))?\s*(\))?$', ['o', 'm', 'i', 'f', 'c']) END AS m_amount
  FROM kept
),
typed AS (
  SELECT CASE WHEN regexp_matches(c_date, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN CAST(c_date AS DATE) WHEN regexp_matches(c_date, '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$') THEN CAST(timezone('UTC', CAST(upper(c_date) AS TIMESTAMPTZ)) AS DATE) ELSE error('llamashare: invalid date ' || '"' || c_date || '"' || ' in column ' || 'invoice_date') END AS d_,
         'aws' AS host,
         CASE lower(c_product) WHEN 'prod-c5tn8wd2ej6rp' THEN 'llama-3.3-70b-instruct' WHEN 'prod-m2vh9sq4ka7bt' THEN 'llama-4-maverick' WHEN 'prod-x7kq2mh4zl3va' THEN 'llama-3.1-405b-instruct' ELSE lower(c_product) END AS product,
         CASE WHEN c_currency = '' THEN 'USD' ELSE upper(c_currency) END AS currency,
         CASE WHEN k_ IS NULL THEN error('llamashare: unknown kind ' || '"' || c_kind || '"' || ' in column ' || 'transaction_type') ELSE CASE WHEN k_ = 'gross' THEN CASE WHEN c_amount = '' THEN error('llamashare: empty amount in column ' || 'amount' || c_amount) WHEN p_amount THEN CAST(c_amount AS DECIMAL(18, 6)) WHEN (m_amount.i = '' AND m_amount.f = '') OR (m_amount.o = '') <> (m_amount.c = '') OR (m_amount.o <> '' AND m_amount.m <> '') OR length(m_amount.f) > 6 THEN error('llamashare: invalid amount ' || '"' || c_amount || '"' || ' in column ' || 'amount') ELSE CAST(CASE WHEN m_amount.o <> '' OR m_amount.m <> '' THEN '-' ELSE '' END || CASE WHEN m_amount.i = '' THEN '0' ELSE replace(m_amount.i, ',', '') END || '.' || CASE WHEN m_amount.f = '' THEN '0' ELSE m_amount.f END AS DECIMAL(18, 6)) END ELSE 0 END END AS gross,
         -(CASE WHEN k_ = 'refunds' THEN CASE WHEN c_amount = '' THEN error('llamashare: empty amount in column ' || 'amount' || c_amount) WHEN p_amount THEN CAST(c_amount AS DECIMAL(18, 6)) WHEN (m_amount.i = '' AND m_amount.f = '') OR (m_amount.o = '') <> (m_amount.c = '') OR (m_amount.o <> '' AND m_amount.m <> '') OR length(m_amount.f) > 6 THEN error('llamashare: invalid amount ' || '"' || c_amount || '"' || ' in column ' || 'amount') ELSE CAST(CASE WHEN m_amount.o <> '' OR m_amount.m <> '' THEN '-' ELSE '' END || CASE WHEN m_amount.i = '' THEN '0' ELSE replace(m_amount.i, ',', '') END || '.' || CASE WHEN m_amount.f = '' THEN '0' ELSE m_amount.f END AS DECIMAL(18, 6)) END ELSE 0 END) AS refunds,
         CASE WHEN k_ = 'taxes' THEN CASE WHEN c_amount = '' THEN error('llamashare: empty amount in column ' || 'amount' || c_amount) WHEN p_amount THEN CAST(c_amount AS DECIMAL(18, 6)) WHEN (m_amount.i = '' AND m_amount.f = '') OR (m_amount.o = '') <> (m_amount.c = '') OR (m_amount.o <> '' AND m_amount.m <> '') OR length(m_amount.f) > 6 THEN error('llamashare: invalid amount ' || '"' || c_amount || '"' || ' in column ' || 'amount') ELSE CAST(CASE WHEN m_amount.o <> '' OR m_amount.m <> '' THEN '-' ELSE '' END || CASE WHEN m_amount.i = '' THEN '0' ELSE replace(m_amount.i, ',', '') END || '.' || CASE WHEN m_amount.f = '' THEN '0' ELSE m_amount.f END AS DECIMAL(18, 6)) END ELSE 0 END AS taxes,
         -(CASE WHEN k_ = 'fees' THEN CASE WHEN c_amount = '' THEN error('llamashare: empty amount in column ' || 'amount' || c_amount) WHEN p_amount THEN CAST(c_amount AS DECIMAL(18, 6)) WHEN (m_amount.i = '' AND m_amount.f = '') OR (m_amount.o = '') <> (m_amount.c = '') OR (m_amount.o <> '' AND m_amount.m <> '') OR length(m_amount.f) > 6 THEN error('llamashare: invalid amount ' || '"' || c_amount || '"' || ' in column ' || 'amount') ELSE CAST(CASE WHEN m_amount.o <> '' OR m_amount.m <> '' THEN '-' ELSE '' END || CASE WHEN m_amount.i = '' THEN '0' ELSE replace(m_amount.i, ',', '') END || '.' || CASE WHEN m_amount.f = '' THEN '0' ELSE m_amount.f END AS DECIMAL(18, 6)) END ELSE 0 END) AS fees,
         CASE WHEN k_ = 'credits' THEN CASE WHEN c_amount = '' THEN error('llamashare: empty amount in column ' || 'amount' || c_amount) WHEN p_amount THEN CAST(c_amount AS DECIMAL(18, 6)) WHEN (m_amount.i = '' AND m_amount.f = '') OR (m_amount.o = '') <> (m_amount.c = '') OR (m_amount.o <> '' AND m_amount.m <> '') OR length(m_amount.f) > 6 THEN error('llamashare: invalid amount ' || '"' || c_amount || '"' || ' in column ' || 'amount') ELSE CAST(CASE WHEN m_amount.o <> '' OR m_amount.m <> '' THEN '-' ELSE '' END || CASE WHEN m_amount.i = '' THEN '0' ELSE replace(m_amount.i, ',', '') END || '.' || CASE WHEN m_amount.f = '' THEN '0' ELSE m_amount.f END AS DECIMAL(18, 6)) END ELSE 0 END AS credits,
         CASE WHEN k_ = 'units' THEN CASE WHEN c_amount = '' THEN error('llamashare: empty amount in column ' || 'amount' || c_amount) WHEN p_amount THEN CAST(c_amount AS DECIMAL(18, 6)) WHEN (m_amount.i = '' AND m_amount.f = '') OR (m_amount.o = '') <> (m_amount.c = '') OR (m_amount.o <> '' AND m_amount.m <> '') OR length(m_amount.f) > 6 THEN error('llamashare: invalid amount ' || '"' || c_amount || '"' || ' in column ' || 'amount') ELSE CAST(CASE WHEN m_amount.o <> '' OR m_amount.m <> '' THEN '-' ELSE '' END || CASE WHEN m_amount.i = '' THEN '0' ELSE replace(m_amount.i, ',', '') END || '.' || CASE WHEN m_amount.f = '' THEN '0' ELSE m_amount.f END AS DECIMAL(18, 6)) END ELSE 0 END AS units
  FROM matched
)
SELECT d_ AS "date",
       host,
       product,
       currency,
       CAST(sum(gross) AS DECIMAL(38, 6)) AS gross,
       CAST(sum(refunds) AS DECIMAL(38, 6)) AS refunds,
       CAST(sum(taxes) AS DECIMAL(38, 6)) AS taxes,
       CAST(sum(fees) AS DECIMAL(38, 6)) AS fees,
       CAST(sum(credits) AS DECIMAL(38, 6)) AS credits,
       CAST(sum(units) AS DECIMAL(38, 6)) AS units
FROM typed
GROUP BY d_, host, product, currency
ORDER BY d_, host, product, currency;
