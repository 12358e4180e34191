/* aq-fuzz-targets.c — the entry points the fuzzers and the corpus replay share
 *
 * One function per reader of outside input: the phone normaliser and masks, the GeoJSON
 * reader (as the CLI and the outage panel's import read a file), the report-spec reader, the
 * pipeline reader (with the checks that need no warehouse), the receipt parser and the Kettle
 * (.ktr) importer. The same
 * functions are linked into the libFuzzer harnesses (fuzz-*.c, -Dfuzzing=true, clang) and
 * into tests/test-fuzz-corpus.c (the normal build), which replays every file of
 * tests/fuzz/corpus/<harness>/ — the seeds and every crash found — so a regression fails the
 * suite. Beyond "does not crash", each checks what its reader promises.
 */
#define G_LOG_DOMAIN "aq-fuzz"

#include "aq-fuzz-targets.h"

#include <stdlib.h>
#include <string.h>

#include "aqueduct-core.h"
#include "aq-area-model.h"
#include "aq-report-spec.h"

/* ---- auxiliary methods ---- */

static void
setup (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      aq_core_init ();
      /* the readers' warnings and criticals are findings too */
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      g_once_init_leave (&done, 1);
    }
}

/* The bytes as a C string, as a file read with g_file_get_contents() gives them. */
static char *
text_of (const guint8 *data,
         gsize         size)
{
  char *text = g_malloc (size + 1);

  memcpy (text, data, size);
  text[size] = '\0';
  return text;
}

static void
check (gboolean    ok,
       const char *what)
{
  if (!ok)
    {
      g_printerr ("aq-fuzz: invariant broken: %s\n", what);
      abort ();
    }
}

static void
check_error (GError *error)
{
  check (error != NULL && error->message != NULL && *error->message != '\0',
         "a failure comes with a message");
  if (!g_utf8_validate (error->message, -1, NULL))
    {
      g_autofree char *shown = g_strescape (error->message, NULL);

      g_printerr ("aq-fuzz: not UTF-8: %s\n", shown);
    }
  check (g_utf8_validate (error->message, -1, NULL), "an error message is UTF-8");
}

/* ---- the targets ---- */

int
aq_fuzz_phone (const guint8 *data,
               gsize         size)
{
  g_autofree char *text = text_of (data, size);
  g_autofree char *normal = NULL;

  setup ();
  normal = aq_phone_normalize (text, NULL);
  if (normal != NULL)
    {
      check (strspn (normal, "0123456789") == strlen (normal), "a normalised phone is digits");
      check (strlen (normal) >= 11 && strlen (normal) <= 12, "a normalised phone's length");
    }
  for (guint role = AQ_ROLE_AGENT; role <= AQ_ROLE_SUPERVISOR; role++)
    {
      g_autofree char *masked = aq_mask_phone (text, role);
      g_autofree char *name = aq_mask_name (text, role);
      g_autofree char *id = aq_mask_id_card (text, role);

      if (role == AQ_ROLE_AGENT)
        {
          check (g_utf8_validate (masked, -1, NULL), "a masked phone is UTF-8");
          check (g_utf8_strlen (masked, -1) <= AQ_MASK_PHONE_MAX, "a masked phone is short");
          check (g_utf8_validate (name, -1, NULL), "a masked name is UTF-8");
        }
      else
        check (g_str_equal (masked, text), "a supervisor sees the phone");
      (void) id;
    }
  if (normal != NULL)
    {
      g_autofree char *masked = aq_mask_phone (normal, AQ_ROLE_AGENT);

      check (strstr (masked, "****") != NULL, "a phone is masked");
      check (g_str_has_suffix (normal, masked + strlen (masked) - 4), "the last four stay");
    }
  return 0;
}

int
aq_fuzz_geojson (const guint8 *data,
                 gsize         size)
{
  g_autofree char *text = text_of (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqGeometry) geometry = NULL;
  g_autoptr(AqAreaModel) model = NULL;

  setup ();
  geometry = aq_geometry_new_from_geojson (text, &error);
  if (geometry == NULL)
    check_error (error);
  else
    {
      g_autoptr(AqGeometry) again = NULL;
      g_autoptr(GError) again_error = NULL;

      check (geometry->n_polygons >= 1, "an area has a polygon");
      check (geometry->n_vertices >= 3, "an area has three vertices");
      check (geometry->n_vertices <= AQ_GEOJSON_MAX_VERTICES, "the vertex limit holds");
      check (geometry->min_lon >= -180 && geometry->max_lon <= 180
             && geometry->min_lat >= -90 && geometry->max_lat <= 90, "coordinates in range");
      /* what it writes it reads back the same */
      again = aq_geometry_new_from_geojson (geometry->geojson, &again_error);
      check (again != NULL, "a written area reads back");
      check (again->n_vertices == geometry->n_vertices, "the same vertices read back");
    }
  g_clear_error (&error);
  model = aq_area_model_new ();
  if (!aq_area_model_set_geojson (model, text, &error))
    check_error (error);
  else
    check (aq_area_model_get_n_vertices (model) >= 3, "an imported area has three vertices");
  return 0;
}

int
aq_fuzz_report_spec (const guint8 *data,
                     gsize         size)
{
  static AqCatalog *catalog;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = NULL;

  setup ();
  if (catalog == NULL)
    {
      catalog = aq_catalog_new_builtin (&error);
      check (catalog != NULL, "the builtin catalog loads");
    }
  spec = aq_report_spec_new_from_data ((const char *) data, size, &error);
  if (spec == NULL)
    {
      check_error (error);
      return 0;
    }
  if (!aq_report_spec_validate (spec, catalog, &error))
    check_error (error);
  else
    {
      /* a valid spec writes JSON that reads back */
      g_autofree char *json = aq_report_spec_to_data (spec, NULL);
      g_autoptr(AqReportSpec) again = NULL;

      again = aq_report_spec_new_from_data (json, -1, &error);
      check (again != NULL, "a written spec reads back");
    }
  return 0;
}

int
aq_fuzz_pipeline (const guint8 *data,
                  gsize         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipeline) pipeline = NULL;

  setup ();
  pipeline = aq_pipeline_new_from_data ((const char *) data, size, "/nonexistent", &error);
  if (pipeline == NULL)
    {
      check_error (error);
      return 0;
    }
  if (!aq_pipeline_runner_validate (pipeline, NULL, &error))
    check_error (error);
  else
    check (aq_pipeline_get_order (pipeline, NULL) != NULL, "a valid pipeline has an order");
  return 0;
}

/* A Kettle transformation: imported or refused with AQ_ERROR_INVALID; what it imports is a
 * pipeline that loads (well-formed JSON, named), with every step either mapped or listed. */
int
aq_fuzz_ktr (const guint8 *data,
             gsize         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqKtrImport) import = NULL;
  g_autoptr(AqPipeline) pipeline = NULL;

  setup ();
  import = aq_ktr_import_data ((const char *) data, size, NULL, &error);
  if (import == NULL)
    {
      check (g_error_matches (error, AQ_ERROR, AQ_ERROR_INVALID), "a refusal is INVALID");
      check_error (error);
      return 0;
    }
  check (import->json != NULL && import->name != NULL, "an import has a pipeline");
  check (import->unmapped->len <= import->n_steps, "no more unmapped steps than steps");
  pipeline = aq_pipeline_new_from_data (import->json, -1, "/nonexistent", &error);
  check (pipeline != NULL, "the imported pipeline loads");
  check (g_strcmp0 (aq_pipeline_get_name (pipeline), import->name) == 0, "it has its name");
  return 0;
}

int
aq_fuzz_receipt (const guint8 *data,
                 gsize         size)
{
  g_autoptr(GError) error = NULL;
  g_auto(AqReceipt) receipt = { 0 };

  setup ();
  if (!aq_receipt_parse ((const char *) data, size, &receipt, &error))
    {
      check_error (error);
      return 0;
    }
  check (receipt.idempotency_key != NULL || receipt.provider_msg_id != NULL, "a message");
  check (g_str_equal (receipt.status, "delivered") || g_str_equal (receipt.status, "failed"),
         "a known status");
  check (receipt.receipt_id != NULL && strlen (receipt.receipt_id) <= AQ_RECEIPT_MAX_ID + 16,
         "a bounded receipt id");
  check (receipt.detail == NULL || g_utf8_strlen (receipt.detail, -1) <= AQ_RECEIPT_MAX_DETAIL,
         "a bounded detail");
  return 0;
}

/* A forwarded API's XML answer through a mapping with every field type, an attribute and an
 * array: refused with a message, or JSON whose top level holds as many records as counted. */
int
aq_fuzz_api_xml (const guint8 *data,
                 gsize         size)
{
  static AqApiXmlMap *map;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint rows = 0;

  setup ();
  if (map == NULL)
    {
      g_autoptr(JsonNode) spec = json_from_string (
        "{\"records\": \"Envelope/Body/Bills/Bill\", \"fields\": ["
        " {\"name\": \"no\", \"path\": \"@no\"},"
        " {\"name\": \"account\", \"path\": \"Account\"},"
        " {\"name\": \"amount\", \"path\": \"Amount\", \"type\": \"number\"},"
        " {\"name\": \"qty\", \"path\": \"Qty\", \"type\": \"integer\"},"
        " {\"name\": \"paid\", \"path\": \"Paid\", \"type\": \"boolean\"},"
        " {\"name\": \"phones\", \"path\": \"Phones/Phone\", \"array\": true}]}", NULL);

      map = aq_api_xml_map_new (json_node_get_object (spec), &error);
      check (map != NULL, "the fuzz mapping reads");
    }
  json = aq_api_xml_to_json (map, (const char *) data, size, &rows, &error);
  if (json == NULL)
    {
      check (g_error_matches (error, AQ_API_ERROR, AQ_API_BACKEND), "a refusal is BACKEND");
      check_error (error);
      return 0;
    }
  node = aq_json_read (json->str, json->len, AQ_API_XML_MAX_BYTES * 8, &error);
  check (node != NULL, "the mapped answer is JSON");
  check (JSON_NODE_HOLDS_ARRAY (node), "records make an array");
  check (json_array_get_length (json_node_get_array (node)) == rows, "rows are counted");
  return 0;
}

AqFuzzTarget
aq_fuzz_target_lookup (const char *name)
{
  static const struct { const char *name; AqFuzzTarget target; } targets[] = {
    { "phone", aq_fuzz_phone },
    { "geojson", aq_fuzz_geojson },
    { "report-spec", aq_fuzz_report_spec },
    { "pipeline", aq_fuzz_pipeline },
    { "receipt", aq_fuzz_receipt },
    { "ktr", aq_fuzz_ktr },
    { "api-xml", aq_fuzz_api_xml },
  };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    if (g_strcmp0 (name, targets[i].name) == 0)
      return targets[i].target;
  return NULL;
}
