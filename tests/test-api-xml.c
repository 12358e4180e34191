/* test-api-xml.c — a forwarded API's XML answer mapped to JSON (aq-api-xml.c): records,
 * namespaces, attributes, arrays and types; refusals of a DTD (entities), oversize, broken
 * XML and values that do not fit; mappings checked when read. No warehouse needed.
 */
#include "aq-test-util.h"

#include <string.h>

static const char *soap =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""
  " xmlns:b=\"urn:billing\">"
  "<soap:Body><b:QueryResult>"
  "<b:Bill paid=\"true\"><b:AccountNo> 3301000123 </b:AccountNo><b:Amount>45.60</b:Amount>"
  "<b:Qty>12</b:Qty><b:Phones><b:Phone>138</b:Phone><b:Phone>139</b:Phone></b:Phones>"
  "<b:Note>水费 &amp; 污水费</b:Note></b:Bill>"
  "<b:Bill paid=\"0\"><b:AccountNo>3301000124</b:AccountNo><b:Amount>-1e2</b:Amount>"
  "<b:Qty>0</b:Qty><b:Phones/></b:Bill>"
  "</b:QueryResult></soap:Body></soap:Envelope>";

static AqApiXmlMap *
map_from (const char *json)
{
  g_autoptr(JsonObject) object = aq_test_parse_object (json);
  g_autoptr(GError) error = NULL;
  AqApiXmlMap *map = aq_api_xml_map_new (object, &error);

  g_assert_no_error (error);
  return map;
}

static const char *bills_map =
  "{\"records\": \"Envelope/Body/QueryResult/Bill\", \"fields\": ["
  " {\"name\": \"account\", \"path\": \"AccountNo\"},"
  " {\"name\": \"amount\", \"path\": \"Amount\", \"type\": \"number\"},"
  " {\"name\": \"qty\", \"path\": \"Qty\", \"type\": \"integer\"},"
  " {\"name\": \"paid\", \"path\": \"@paid\", \"type\": \"boolean\"},"
  " {\"name\": \"phones\", \"path\": \"Phones/Phone\", \"array\": true},"
  " {\"name\": \"note\", \"path\": \"Note\"}]}";

static void
test_records (void)
{
  g_autoptr(AqApiXmlMap) map = map_from (bills_map);
  g_autoptr(GError) error = NULL;
  guint rows = 0;
  g_autoptr(GString) json = aq_api_xml_to_json (map, soap, strlen (soap), &rows, &error);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;
  JsonObject *first, *second;

  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 2);
  node = json_from_string (json->str, &error);
  g_assert_no_error (error);
  array = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  first = json_array_get_object_element (array, 0);
  second = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (first, "account"), ==, "3301000123");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (first, "amount"), 45.6, 1e-9);
  g_assert_cmpint (json_object_get_int_member (first, "qty"), ==, 12);
  g_assert_true (json_object_get_boolean_member (first, "paid"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "phones")), ==,
                    2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (first, "phones"),
                                                  1), ==, "139");
  g_assert_cmpstr (json_object_get_string_member (first, "note"), ==, "水费 & 污水费");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (second, "amount"), -100, 1e-9);
  g_assert_false (json_object_get_boolean_member (second, "paid"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (second, "phones")), ==,
                    0);
  /* missing: null */
  g_assert_true (json_object_get_null_member (second, "note"));
}

static void
test_one_object (void)
{
  const char *xml = "<Balance account=\"A1\"><Owed>12.5</Owed></Balance>";
  g_autoptr(AqApiXmlMap) map = map_from (
    "{\"fields\": [{\"name\": \"account\", \"path\": \"@account\"},"
    " {\"name\": \"owed\", \"path\": \"Owed\", \"type\": \"number\"}]}");
  g_autoptr(GError) error = NULL;
  guint rows = 0;
  g_autoptr(GString) json = aq_api_xml_to_json (map, xml, strlen (xml), &rows, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 1);
  g_assert_cmpstr (json->str, ==, "{\"account\":\"A1\",\"owed\":12.5}");
}

static void
expect_refused (const AqApiXmlMap *map,
                const char        *xml,
                gsize              size,
                const char        *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = aq_api_xml_to_json (map, xml, size, NULL, &error);

  g_assert_null (json);
  g_assert_error (error, AQ_API_ERROR, AQ_API_BACKEND);
  g_assert_nonnull (strstr (error->message, words));
}

static void
test_refused (void)
{
  g_autoptr(AqApiXmlMap) map = map_from (bills_map);
  const char *laughs =
    "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
    "<Envelope><Body><QueryResult><Bill><AccountNo>&lol2;</AccountNo></Bill></QueryResult>"
    "</Body></Envelope>";
  const char *external =
    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
    "<Envelope><Body><QueryResult><Bill><AccountNo>&x;</AccountNo></Bill></QueryResult>"
    "</Body></Envelope>";
  const char *bad_number =
    "<Envelope><Body><QueryResult><Bill><Amount>12,5</Amount></Bill></QueryResult></Body>"
    "</Envelope>";
  g_autofree char *big = g_malloc0 (AQ_API_XML_MAX_BYTES + 1);

  expect_refused (map, laughs, strlen (laughs), "DTD");
  expect_refused (map, external, strlen (external), "DTD");
  expect_refused (map, "<Envelope><Body>", 16, "not well-formed");
  expect_refused (map, "{\"json\": 1}", 11, "not well-formed");
  expect_refused (map, "", 0, "not well-formed");
  expect_refused (map, bad_number, strlen (bad_number), "“amount” expects a number");
  expect_refused (map, big, AQ_API_XML_MAX_BYTES + 1, "over");
}

static void
test_mapping_checked (void)
{
  static const struct { const char *json; const char *words; } bad[] = {
    { "{\"fields\": []}", "xml.fields" },
    { "{\"fields\": [{\"path\": \"A\"}]}", "fields[0].name" },
    { "{\"fields\": [{\"name\": \"a\", \"path\": \"A//B\"}]}", "fields[0].path" },
    { "{\"fields\": [{\"name\": \"a\", \"path\": \"@x/B\"}]}", "fields[0].path" },
    { "{\"fields\": [{\"name\": \"a\", \"path\": \"A[1]\"}]}", "fields[0].path" },
    { "{\"fields\": [{\"name\": \"a\", \"path\": \"A\", \"type\": \"date\"}]}",
      "fields[0].type" },
    { "{\"fields\": [{\"name\": \"a\", \"path\": \"A\"}, {\"name\": \"a\", \"path\": \"B\"}]}",
      "twice" },
    { "{\"records\": \"R/@x\", \"fields\": [{\"name\": \"a\", \"path\": \"A\"}]}",
      "xml.records" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) object = aq_test_parse_object (bad[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(AqApiXmlMap) map = aq_api_xml_map_new (object, &error);

      g_assert_null (map);
      g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i].words));
    }
}

/* A forwarded API with a bad mapping is not published. */
static void
test_api_definition (void)
{
  g_autoptr(JsonObject) good = aq_test_parse_object (
    "{\"forward\": {\"url\": \"http://127.0.0.1:1/x\", \"xml\": {\"fields\": ["
    "{\"name\": \"a\", \"path\": \"A\"}]}}}");
  g_autoptr(JsonObject) bad = aq_test_parse_object (
    "{\"forward\": {\"url\": \"http://127.0.0.1:1/x\", \"xml\": {\"fields\": ["
    "{\"name\": \"a\", \"path\": \"A\", \"type\": \"money\"}]}}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApi) api = aq_api_new ("x", "c", "X", "", "forward", "internal", 1, good, &error);
  g_autoptr(AqApi) refused = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (api->xml_map);
  refused = aq_api_new ("y", "c", "Y", "", "forward", "internal", 1, bad, &error);
  g_assert_null (refused);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "forward.xml.fields[0].type"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/api-xml/records", test_records);
  g_test_add_func ("/api-xml/one-object", test_one_object);
  g_test_add_func ("/api-xml/refused", test_refused);
  g_test_add_func ("/api-xml/mapping-checked", test_mapping_checked);
  g_test_add_func ("/api-xml/api-definition", test_api_definition);
  return g_test_run ();
}
