/*  sv_digest: XXH3-128 digests of rows and lines. See sv_digest.h. */

#include "sv_digest.h"

#include <assert.h>
#include <sodium.h>
#include <string.h>
#include <xxhash.h>

void
sv_digest (const void *data, size_t size, uint8_t *digest)
{
    assert ((data || size == 0) && digest);
    XXH128_canonicalFromHash ((XXH128_canonical_t *) digest, XXH3_128bits (data, size));
}

void
sv_digest_legacy (const void *data, size_t size, uint8_t *digest)
{
    assert ((data || size == 0) && digest);
    crypto_generichash (digest, SV_DIGEST_SIZE, (const uint8_t *) data, size, NULL, 0);
}

static void
s_blake2b_128 (sqlite3_context *context, int argc, sqlite3_value **argv)
{
    assert (argc == 1);
    uint8_t digest [SV_DIGEST_SIZE];
    sv_digest_legacy (sqlite3_value_blob (argv [0]), (size_t) sqlite3_value_bytes (argv [0]),
                      digest);
    sqlite3_result_blob (context, digest, sizeof digest, SQLITE_TRANSIENT);
}

int
sv_digest_legacy_sql (sv_db_t *db)
{
    assert (db);
    return sqlite3_create_function_v2 (sv_db_handle (db), "blake2b_128", 1,
                                       SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                       NULL, s_blake2b_128, NULL, NULL, NULL) == SQLITE_OK? 0: -1;
}

void
sv_digest_test (bool verbose)
{
    if (verbose)
        printf (" * sv_digest: ");
    //  XXH3-128 of nothing, as xxHash publishes it
    static const uint8_t empty [SV_DIGEST_SIZE] = {
        0x99, 0xaa, 0x06, 0xd3, 0x01, 0x47, 0x98, 0xd8,
        0x60, 0x01, 0xc3, 0x24, 0x46, 0x8d, 0x49, 0x7f
    };
    uint8_t digest [SV_DIGEST_SIZE], other [SV_DIGEST_SIZE];
    sv_digest (NULL, 0, digest);
    assert (memcmp (digest, empty, sizeof digest) == 0);
    //  One byte changed, another digest
    sv_digest ("T1/1,2024-04-01,49521700", 24, digest);
    sv_digest ("T1/1,2024-04-01,49521701", 24, other);
    assert (memcmp (digest, other, sizeof digest) != 0);
    sv_digest ("T1/1,2024-04-01,49521700", 24, other);
    assert (memcmp (digest, other, sizeof digest) == 0);

    //  blake2b_128 in SQL is libsodium's BLAKE2b with a 16-byte output
    sv_db_t *db = sv_db_new (":memory:", NULL, NULL);
    assert (db && sv_digest_legacy_sql (db) == 0);
    assert (sodium_init () >= 0);
    crypto_generichash (digest, sizeof digest, (const uint8_t *) "line", 4, NULL, 0);
    sqlite3_stmt *stmt = sv_db_stmt (db, "SELECT blake2b_128 (CAST ('line' AS BLOB))");
    assert (sqlite3_step (stmt) == SQLITE_ROW);
    assert (sqlite3_column_bytes (stmt, 0) == SV_DIGEST_SIZE);
    assert (memcmp (sqlite3_column_blob (stmt, 0), digest, sizeof digest) == 0);
    sqlite3_reset (stmt);
    sv_db_destroy (&db);
    if (verbose)
        printf ("OK\n");
}
