/*  fuzz_spend: ingest_spend (and so sv_csv) on arbitrary bytes.

    The first input byte chooses where the rest is cut into two chunks,
    whether a partner override is set (bit 0) and whether the partner
    declares month-first dates (bit 7). The same bytes are also read in one
    chunk, and in one-byte chunks when short: every reading must give the
    same rows, errors, figures and refusal, since chunking is the network's
    choice, not the partner's. Every row and error is checked for the
    contract its callback promises (no NULL strings, reasons present). */

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "ingest_spend.h"
#include "sv_date.h"
#include "sv_money.h"

typedef struct {
    uint64_t hash;              //  FNV-1a over everything the callbacks saw
    size_t rows;
    size_t errors;
} s_seen_t;

static void
s_hash (s_seen_t *seen, const char *text)
{
    assert (text);
    for (; *text; text++) {
        seen->hash ^= (unsigned char) *text;
        seen->hash *= 0x100000001b3ULL;
    }
    seen->hash ^= 0xFF;
    seen->hash *= 0x100000001b3ULL;
}

static int
s_row (const ingest_spend_row_t *row, void *arg)
{
    s_seen_t *seen = (s_seen_t *) arg;
    const char *texts [] = {
        row->transaction_no, row->supplier_name, row->supplier_id, row->vat_number,
        row->company_number, row->postcode, row->body_name, row->body_code,
        row->expense_area, row->expense_type, row->expense_code, row->capital_revenue,
        row->narrative,
    };
    for (size_t index = 0; index < sizeof texts / sizeof texts [0]; index++)
        s_hash (seen, texts [index]);
    //  The key is the number's, "T/...", or the content's, "/<32 hex>+n"
    size_t number = strlen (row->transaction_no);
    assert (row->key && strlen (row->key) <= INGEST_SPEND_KEY_MAX);
    if (number)
        assert (strncmp (row->key, row->transaction_no, number) == 0 && row->key [number] == '/');
    else
        assert (row->key [0] == '/' && strlen (row->key) >= 35 && row->key [33] == '+');
    s_hash (seen, row->key);
    assert (row->source_line >= 2);
    assert (row->line >= 0);
    assert (strlen (row->company_number) == 0 || strlen (row->company_number) == 8);
    if (row->redacted)
        assert (!*row->supplier_name && !*row->company_number && !*row->postcode);
    else
        assert (*row->supplier_name);
    char buffer [SV_MONEY_BUF];
    s_hash (seen, sv_money_format_plain (row->amount, buffer, sizeof buffer));
    s_hash (seen, sv_date_format (row->payment_date, buffer, sizeof buffer));
    seen->hash ^= row->source_line * 31 + (uint64_t) row->line;
    seen->rows++;
    return 0;
}

static void
s_error (const sv_csv_error_t *error, void *arg)
{
    s_seen_t *seen = (s_seen_t *) arg;
    assert (error->reason && *error->reason);
    assert (error->line >= 2);
    char buffer [200];
    s_hash (seen, sv_csv_error_format (error, buffer, sizeof buffer));
    seen->errors++;
}

static void
s_warning (const sv_csv_error_t *warning, void *arg)
{
    s_seen_t *seen = (s_seen_t *) arg;
    assert (warning->reason && *warning->reason);
    char buffer [200];
    s_hash (seen, sv_csv_error_format (warning, buffer, sizeof buffer));
}

//  Reads data in the given cuts; returns a hash of everything seen.
static uint64_t
s_read (const uint8_t *data, size_t size, size_t step, size_t cut, bool override,
        bool month_first)
{
    s_seen_t seen = { 0xcbf29ce484222325ULL, 0, 0 };
    ingest_spend_t *reader = ingest_spend_new (s_row, s_error, &seen);
    assert (reader);
    ingest_spend_set_warning (reader, s_warning, &seen);
    if (override)
        assert (ingest_spend_override (reader, "Updated=payment_date") == 0);
    if (month_first)
        assert (ingest_spend_set_date_order (reader, "mdy") == 0);
    int rc = 0;
    if (step == 0) {
        rc = ingest_spend_feed (reader, data, cut);
        if (rc == 0)
            rc = ingest_spend_feed (reader, data + cut, size - cut);
    }
    else
        for (size_t at = 0; at < size && rc == 0; at += step)
            rc = ingest_spend_feed (reader, data + at, size - at < step? size - at: step);
    if (rc == 0)
        rc = ingest_spend_finish (reader);
    assert (ingest_spend_feed (reader, "x", 1) == -1);
    const char *refusal = ingest_spend_refusal (reader);
    assert ((rc == 0) == (refusal == NULL));
    if (refusal)
        s_hash (&seen, refusal);
    assert (ingest_spend_accepted (reader) == seen.rows);
    assert (ingest_spend_rejected (reader) == seen.errors);
    seen.hash ^= (uint64_t) ingest_spend_total (reader);
    ingest_spend_destroy (&reader);
    return seen.hash;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    bool override = data [0] & 1;
    bool month_first = data [0] & 0x80;
    const uint8_t *rest = data + 1;
    size_t length = size - 1;
    size_t cut = length * (data [0] >> 1) / 127;
    uint64_t split = s_read (rest, length, 0, cut, override, month_first);
    assert (s_read (rest, length, length? length: 1, 0, override, month_first) == split);
    if (length <= 512)
        assert (s_read (rest, length, 1, 0, override, month_first) == split);
    return 0;
}
