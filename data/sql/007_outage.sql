-- 007_outage: the indexes the outage analysis (src/core/aq-outage-area.c) reads that 002 lacks.

-- each community's open accounts, the "n of N" beside the affected count: an index-only count
-- per community instead of a scan of every account per community the area touches
CREATE INDEX dim_account_community_idx ON dw.dim_account (community_code, status);
