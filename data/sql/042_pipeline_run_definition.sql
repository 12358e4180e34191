-- 042_pipeline_run_definition.sql — a run remembers the definition it ran
--
-- The editor's history opens the definition a past run used, and `aqueductctl pipeline show
-- NAME --run ID` prints it, also after the pipeline was edited and saved again. The runner
-- hands the definition's text to the run's row (aq-pipeline-runner.c, record_start); this
-- trigger keeps it once: when the text is a stored version of the pipeline (a pipeline opened
-- from the store, or a standard pipeline's file, which the store holds as its version 1), the
-- row records that version's number and drops the text; otherwise (an unsaved edit run from
-- the editor, a file that is not in the store) the row keeps the text itself. Runs recorded
-- before this migration have neither: their definition is not known.
ALTER TABLE meta.pipeline_run ADD COLUMN version integer;
ALTER TABLE meta.pipeline_run ADD COLUMN definition text
  CHECK (octet_length(definition) <= 16 * 1024 * 1024);
COMMENT ON COLUMN meta.pipeline_run.version IS
  'The version in meta.pipeline_version whose text the run ran; NULL when it ran another text'
  ' (then in definition) or ran before migration 042.';
COMMENT ON COLUMN meta.pipeline_run.definition IS
  'The definition the run ran when it is no stored version of the pipeline (else NULL).';

CREATE FUNCTION meta.pipeline_run_definition() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  found integer;
BEGIN
  IF NEW.definition IS NOT NULL AND NEW.version IS NULL THEN
    SELECT v.version INTO found FROM meta.pipeline_version v
    WHERE v.name = NEW.pipeline AND v.definition = NEW.definition
    ORDER BY v.version DESC LIMIT 1;
    IF found IS NOT NULL THEN
      NEW.version := found;
      NEW.definition := NULL;
    END IF;
  ELSIF NEW.version IS NOT NULL THEN
    NEW.definition := NULL;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER pipeline_run_definition BEFORE INSERT ON meta.pipeline_run
  FOR EACH ROW EXECUTE FUNCTION meta.pipeline_run_definition();
