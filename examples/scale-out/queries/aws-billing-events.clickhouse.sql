-- llamashare sql --engine clickhouse --format aws-billing-events
-- agreement examples/llama-hosts/reports/agreement.yaml sha256 91451023a6233d336b2c745c03cb66fedfe28585bc6f24a8390c5ba2dcdd1bfd
-- format aws-billing-events; source raw.aws_billing_events
-- Sums raw rows to SPEC 5's pre-aggregation grain (date, host, product, currency)
-- in exact Decimal(38, 6); settle the result with llamashare to the same cent.
-- The inner SELECT reads the table: over a Distributed table each shard runs it,
-- summing its own rows, and the initiator merges the sums.
SELECT o_date AS `date`, o_host AS host, o_product AS product, o_currency AS currency,
       o_gross AS gross, o_refunds AS refunds, o_taxes AS taxes, o_fees AS fees, o_credits AS credits, o_units AS units
FROM (
  SELECT toString(d_) AS o_date,
         h_ AS o_host,
         p_ AS o_product,
         cur_ AS o_currency,
         sum(v_gross) AS o_gross,
         sum(v_refunds) AS o_refunds,
         sum(v_taxes) AS o_taxes,
         sum(v_fees) AS o_fees,
         sum(v_credits) AS o_credits,
         sum(v_units) AS o_units
  FROM `raw`.`aws_billing_events` AS t
  WHERE ignore((replaceRegexpAll(ifNull(toString(t.`invoice_date`), ''), '^ +| +$', '')) AS c_date,
               (replaceRegexpAll(ifNull(toString(t.`product_id`), ''), '^ +| +$', '')) AS c_product,
               (replaceRegexpAll(ifNull(toString(t.`currency`), ''), '^ +| +$', '')) AS c_currency,
               (replaceRegexpAll(ifNull(toString(t.`amount`), ''), '^ +| +$', '')) AS c_amount,
               (replaceRegexpAll(ifNull(toString(t.`transaction_type`), ''), '^ +| +$', '')) AS c_kind,
               (multiIf(c_kind = 'AWS_REV_SHARE', 'fees', c_kind = 'AWS_REV_SHARE_REFUND', 'fees', c_kind = 'AWS_TAX_SHARE', 'ignore', c_kind = 'AWS_TAX_SHARE_REFUND', 'ignore', c_kind = 'DISBURSEMENT', 'ignore', c_kind = 'SELLER_REV_SHARE', 'gross', c_kind = 'SELLER_REV_SHARE_REFUND', 'refunds', c_kind = 'SELLER_TAX_SHARE', 'taxes', multiIf(lower(c_kind) = 'aws_rev_share', 'fees', lower(c_kind) = 'aws_rev_share_refund', 'fees', lower(c_kind) = 'aws_tax_share', 'ignore', lower(c_kind) = 'aws_tax_share_refund', 'ignore', lower(c_kind) = 'disbursement', 'ignore', lower(c_kind) = 'seller_rev_share', 'gross', lower(c_kind) = 'seller_rev_share_refund', 'refunds', lower(c_kind) = 'seller_tax_share', 'taxes', ''))) AS k_,
               (toUInt8(NOT (c_date = '' AND c_product = '' AND c_currency = '' AND c_amount = '' AND c_kind = '') AND k_ <> 'ignore')) AS kept_,
               (multiIf(match(c_date, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'), c_date, match(c_date, '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$'), toString(toDate(parseDateTimeBestEffortOrZero(upper(c_date)), 'UTC')), '')) AS dtext_,
               (toDate(if(dtext_ = '', '2000-01-01', dtext_))) AS dd_,
               (dd_) AS d_,
               ('aws') AS h_,
               (multiIf(lower(c_product) = 'prod-c5tn8wd2ej6rp', 'llama-3.3-70b-instruct', lower(c_product) = 'prod-m2vh9sq4ka7bt', 'llama-4-maverick', lower(c_product) = 'prod-x7kq2mh4zl3va', 'llama-3.1-405b-instruct', lower(c_product))) AS p_,
               (if(c_currency = '', 'USD', upper(c_currency))) AS cur_,
               (extract(c_amount, '^(\\()?\\s*[$€£¥]?\\s*(?:-)?\\s*[$€£¥]?\\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\\.(?:[0-9]+))?\\s*(?:\\))?$')) AS mo_amount,
               (extract(c_amount, '^(?:\\()?\\s*[$€£¥]?\\s*(-)?\\s*[$€£¥]?\\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\\.(?:[0-9]+))?\\s*(?:\\))?$')) AS mm_amount,
               (extract(c_amount, '^(?:\\()?\\s*[$€£¥]?\\s*(?:-)?\\s*[$€£¥]?\\s*([0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\\.(?:[0-9]+))?\\s*(?:\\))?$')) AS mi_amount,
               (extract(c_amount, '^(?:\\()?\\s*[$€£¥]?\\s*(?:-)?\\s*[$€£¥]?\\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\\.([0-9]+))?\\s*(?:\\))?$')) AS mf_amount,
               (extract(c_amount, '^(?:\\()?\\s*[$€£¥]?\\s*(?:-)?\\s*[$€£¥]?\\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\\.(?:[0-9]+))?\\s*(\\))?$')) AS mc_amount,
               (match(c_amount, '^-?[0-9]+(\\.[0-9]{1,6})?$')) AS p_amount,
               (toUInt8(c_amount <> '' AND NOT p_amount AND ((mi_amount = '' AND mf_amount = '') OR (mo_amount = '') <> (mc_amount = '') OR (mo_amount <> '' AND mm_amount <> '') OR length(mf_amount) > 6))) AS b_amount,
               (toDecimal128(multiIf(c_amount = '', '0', p_amount, c_amount, b_amount, '0', concat(if(mo_amount <> '' OR mm_amount <> '', '-', ''), if(mi_amount = '', '0', replaceAll(mi_amount, ',', '')), '.', if(mf_amount = '', '0', mf_amount))), 6)) AS a_amount,
               (if(k_ = 'gross', a_amount, toDecimal128('0', 6))) AS v_gross,
               (negate(if(k_ = 'refunds', a_amount, toDecimal128('0', 6)))) AS v_refunds,
               (if(k_ = 'taxes', a_amount, toDecimal128('0', 6))) AS v_taxes,
               (negate(if(k_ = 'fees', a_amount, toDecimal128('0', 6)))) AS v_fees,
               (if(k_ = 'credits', a_amount, toDecimal128('0', 6))) AS v_credits,
               (if(k_ = 'units', a_amount, toDecimal128('0', 6))) AS v_units,
               (if(kept_, multiIf(if(k_ = '', concat('llamashare: unknown kind "', c_kind, '" in column ', 'transaction_type'), '') <> '', if(k_ = '', concat('llamashare: unknown kind "', c_kind, '" in column ', 'transaction_type'), ''), if(dtext_ = '' OR toString(dd_) <> dtext_, concat('llamashare: invalid date "', c_date, '" in column ', 'invoice_date'), '') <> '', if(dtext_ = '' OR toString(dd_) <> dtext_, concat('llamashare: invalid date "', c_date, '" in column ', 'invoice_date'), ''), if(k_ = '', '', if(c_amount = '', concat('llamashare: empty amount in column ', 'amount'), if(b_amount, concat('llamashare: invalid amount "', c_amount, '" in column ', 'amount'), ''))) <> '', if(k_ = '', '', if(c_amount = '', concat('llamashare: empty amount in column ', 'amount'), if(b_amount, concat('llamashare: invalid amount "', c_amount, '" in column ', 'amount'), ''))), ''), '')) AS e_) = 0
    AND kept_ AND toUInt8(if(e_ = '', '0', e_)) = 0
  GROUP BY d_, h_, p_, cur_
)
ORDER BY `date`, host, product, currency;
