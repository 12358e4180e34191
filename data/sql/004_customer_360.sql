-- 004_customer_360: the indexes the customer search and 360 read (src/core/aq-customer-*.c)
-- that 002 lacks. Every other 360 query already has its index: the sections read an account's,
-- a customer's or a premise's rows through the keys of 002 (fact_bill's primary key,
-- fact_payment's (account_id, pay_no), the *_account_idx and *_customer_idx indexes), and they
-- need all of them anyway for their counts, so an index ordered by time would add nothing.

-- a name or address fragment ("福光佳园1栋", "古田路429号"): the name side has its trigram index
-- in 002, and the search asks both sides
CREATE INDEX dim_premise_address_trgm_idx ON dw.dim_premise USING gin (address gin_trgm_ops);

-- the key-customer badge of the header
CREATE INDEX dim_key_customer_account_idx ON dw.dim_key_customer (account_id);
