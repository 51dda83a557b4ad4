/*  =========================================================================
    sv_digest - the digest that tells a changed row or line from an
    unchanged one

    Ingest digests every row it stores and valuation every line it sends,
    so that a row sent again unchanged is a duplicate and a line valued
    again unchanged is not sent twice. These digests guard no secret (the
    rows compared are all one authenticated partner's own), so they are
    XXH3-128: a fraction of a cryptographic hash's cost on rows of a few
    hundred bytes. Collisions stay out of reach by accident (2^-128 a pair).

    Rows and lines stored before carry BLAKE2b-128. sv_digest_legacy_sql
    gives a connection the SQL function blake2b_128(blob) to recognise
    them, so that a statement works it out only when the XXH3 digest
    differs: "... WHERE digest != ?new AND digest != blake2b_128 (?body)".
    =========================================================================
*/

#ifndef SV_DIGEST_H_INCLUDED
#define SV_DIGEST_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sv_db.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SV_DIGEST_SIZE 16

//  Writes the SV_DIGEST_SIZE-byte digest of size bytes at data to digest.
void
    sv_digest (const void *data, size_t size, uint8_t *digest);

//  Writes the digest of before, BLAKE2b-128, of size bytes at data.
void
    sv_digest_legacy (const void *data, size_t size, uint8_t *digest);

//  Registers blake2b_128(blob) on db's connection: sv_digest_legacy in SQL.
//  0, or -1 when SQLite refuses it.
int
    sv_digest_legacy_sql (sv_db_t *db);

void
    sv_digest_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
