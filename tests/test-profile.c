/* test-profile.c — profiles round-trip through URLs and never keep a password */
#include "aq-test-util.h"

#include <string.h>

static void
test_profile_url_round_trip (void)
{
  g_autoptr(AqProfile) profile = aq_profile_new ();
  g_autoptr(AqProfile) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  profile->host = g_strdup ("db.water.example");
  profile->port = 6432;
  profile->dbname = g_strdup ("dw prod");
  profile->user = g_strdup ("analyst@corp");
  profile->sslmode = g_strdup ("verify-full");

  url = aq_profile_to_url (profile);
  g_assert_cmpstr (url, ==,
                   "postgresql://analyst%40corp@db.water.example:6432/dw%20prod"
                   "?sslmode=verify-full");

  back = aq_profile_new_from_url (url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->host, ==, "db.water.example");
  g_assert_cmpuint (back->port, ==, 6432);
  g_assert_cmpstr (back->dbname, ==, "dw prod");
  g_assert_cmpstr (back->user, ==, "analyst@corp");
  g_assert_cmpstr (back->sslmode, ==, "verify-full");
}

static void
test_profile_socket_and_defaults (void)
{
  g_autoptr(AqProfile) profile = aq_profile_new ();
  g_autoptr(AqProfile) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_free (aq_profile_to_url (profile));

  profile->host = g_strdup ("/run/postgresql");
  profile->dbname = g_strdup ("aqueduct");
  url = aq_profile_to_url (profile);
  g_assert_cmpstr (url, ==, "postgresql:///aqueduct?host=%2Frun%2Fpostgresql");

  back = aq_profile_new_from_url (url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->host, ==, "/run/postgresql");
  g_assert_cmpuint (back->port, ==, 0);
  g_assert_null (back->user);
  g_assert_null (back->sslmode);
}

static void
test_profile_password_stays_out (void)
{
  g_autoptr(AqProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *conninfo = NULL;

  /* a password typed into a URL is not part of the profile */
  profile = aq_profile_new_from_url ("postgresql://u:secret@h/db", &error);
  g_assert_no_error (error);
  url = aq_profile_to_url (profile);
  g_assert_null (strstr (url, "secret"));

  /* the keyring's password replaces it, quoted for libpq */
  conninfo = aq_profile_conninfo ("postgresql://u:secret@h/db", "it's a \\ pass", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (conninfo, ==,
                   "user='u' dbname='db' host='h' password='it\\'s a \\\\ pass'");

  g_assert_null (aq_profile_new_from_url ("postgresql://h:notaport/", &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (aq_profile_new_from_url ("postgresql://h/db?nosuchoption=1", &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/profile/url-round-trip", test_profile_url_round_trip);
  g_test_add_func ("/profile/socket-and-defaults", test_profile_socket_and_defaults);
  g_test_add_func ("/profile/password-stays-out", test_profile_password_stays_out);
  return g_test_run ();
}
