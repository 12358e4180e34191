-- 015_role_grants: the jobs' grants on the meta tables that came after 010_roles.sql
--
-- meta.grant_roles() (010) names the meta tables it knew; the scheduler's (009), the quality
-- rules' (013) and the data catalog's (014) are granted here: everyone reads them, the data
-- engineers write rules and the catalog, the operator's daemon runs jobs and rule sets.

GRANT SELECT ON meta.quality_rule, meta.quality_rule_version, meta.quality_run,
  meta.quality_result, meta.quality_sample, meta.quality_incident, meta.quality_alert,
  meta.dataset_subject, meta.glossary_term, meta.dataset_table, meta.dataset_column,
  meta.dataset_text, meta.dataset_lineage, meta.dataset_search, meta.dataset_build,
  meta.job, meta.job_run
  TO aq_agent, aq_supervisor, aq_analyst, aq_dispatcher, aq_notice_reviewer, aq_data_engineer,
     aq_operator, aq_api;

GRANT INSERT, UPDATE, DELETE ON meta.quality_rule, meta.quality_rule_version, meta.quality_run,
  meta.quality_result, meta.quality_sample, meta.quality_incident, meta.quality_alert
  TO aq_data_engineer, aq_operator;

GRANT INSERT, UPDATE, DELETE ON meta.dataset_subject, meta.glossary_term, meta.dataset_table,
  meta.dataset_column, meta.dataset_text, meta.dataset_lineage, meta.dataset_search,
  meta.dataset_build
  TO aq_data_engineer, aq_analyst;

GRANT INSERT, UPDATE, DELETE ON meta.job, meta.job_run TO aq_operator;
