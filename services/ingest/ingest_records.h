/*  ingest_records: the CSV feeds of suppliers, contracts, commitments,
    deliveries and KPIs, each with a documented canonical header (README, "Feed
    formats"). sv_csv finds and maps the header; this class checks each
    row's values and turns it into a SUPPLIER, CONTRACT, COMMITMENT,
    DELIVERY or KPI event. A bad row is rejected naming its line, column, value and
    reason; nothing is guessed. No SQL and no sockets.

    Measure codes are checked for form only here (letters, digits, '.',
    '-', '_'): which codes a partner uses is valuation's framework, and a
    row on an unknown measure is flagged there, not dropped.

    What identifies each kind of row (its natural key, per partner)
    ---------------------------------------------------------------
    A key says what a row is, never where it sits; a row sent again with
    the key of one held is that row again (unchanged: a duplicate; changed:
    it replaces the one held, across files). The same keys whatever the
    format (CSV here, msgpack records through ingest_records_normalise).

    SUPPLIER    "CH:<Companies House number>", else "ID:<partner's supplier
                id>", else "NAME:<name upper-cased, punctuation dropped>"
                (ingest_records_supplier_key): one company, whatever its
                rows call it.
    CONTRACT    the contract id, as the partner writes it.
    COMMITMENT  contract id / measure / financial year. A commitment is
                what one contract promises on one measure in one year; the
                feed has no other field that tells two apart (the quantity
                is what is promised, not which promise).
    DELIVERY    contract id / measure / period start / period end / ward /
                beneficiary group, then / postcode (normalised, "S60 1AA")
                when the return has one. Every field that tells two returns
                apart: 5, 3 and 7 units delivered in one quarter at three
                postcodes are three returns. A return without a postcode
                keeps the key it had before postcodes were part of it, so
                stores holding it see it as the same row. The evidence
                state (claimed, evidenced, validated) is not part of the
                key: a return moving from claimed to evidenced is the same
                return changing state, and must replace itself, not be
                counted a second time. The quantity is not part of it
                either: it is what the return says, not which return.
                Ward and group are kept in the key as written (the event
                carries a group in its declared spelling, see
                ingest_records_set_groups): a ward "A" with group
                "B/C" and a ward "A/B" with group "C" share a key; inside
                one file that is caught as a conflict below, never merged.
                A return with a postcode stored before the postcode was
                part of the key is held under the key without it: sent
                again, it is stored as a new row beside that one.
    KPI         contract id / KPI id (the KPI Name when the file has no id)
                / financial year: a contract's KPI has one target a year.
                The target, unit, actual, direction and measure are what
                the KPI says, not which KPI, so a file sent again with a
                new actual replaces the row, whatever line it sits on.
                Target and actual are quantities read as the other feeds
                read them (never rounded: a fourth decimal is refused);
                "95%" is 95 with the unit "%", and refused when the Unit
                cell names another unit. Direction is higher (the
                default) or lower: whether the KPI is met at or above its
                target, or at or below it.

    Key fields have length limits (bytes, below), so that a key always
    fits the store's stream key (partner/key, 512 bytes, with partner names
    up to 100): a longer value is a row error naming its column, its length
    and the limit, never a batch the store refuses. A supplier's id or name
    is held to the limit only where it is the supplier's key (no Companies
    House number; for the name, no id either).

    Rows of one file
    ----------------
    Two rows of one file with one key: the same content is a duplicate
    (the store counts it so, every kind alike: a supplier listed twice,
    identically, is harmless); other content is a conflict, and the later
    row is rejected naming the earlier line ("same contract, measure,
    period, ward, group and postcode as line 7; a file may hold one return
    for each"), for every kind: a file saying two things of one supplier,
    contract, commitment or return is not ours to choose between, nor to
    sum. The keys are remembered (ingest_seen) up to
    INGEST_RECORDS_SEEN_MAX a file; a conflict between two rows both past
    that bound is not caught here and reaches the store, which today lets
    the later row replace the earlier one (see ingest_seen.h).

    Warnings: a row accepted with something its sender should look at
    (a negative quantity, taken as a correction; a delivery period across
    two financial years; no evidence state, taken as claimed; a group not
    in the declared list, taken as written; a contract kept incomplete) goes to the warning
    callback, if one is set, and is accepted all the same.
*/
#ifndef INGEST_RECORDS_H_INCLUDED
#define INGEST_RECORDS_H_INCLUDED

#include "sv_csv.h"
#include "sv_proto.h"

typedef struct _ingest_records_t ingest_records_t;

//  Limits of key fields, in bytes
#define INGEST_RECORDS_ID_MAX 128       //  contract id, supplier id
#define INGEST_RECORDS_NAME_MAX 250     //  supplier name (a key when nothing else is)
#define INGEST_RECORDS_CODE_MAX 64      //  measure code
#define INGEST_RECORDS_PLACE_MAX 80     //  ward, beneficiary group
#define INGEST_RECORDS_KEY_MAX 400      //  a whole natural key (all fit)
#define INGEST_RECORDS_KEY_BUF (INGEST_RECORDS_KEY_MAX + 1)

//  Keys of one file remembered to find conflicts (24 bytes each, at most
//  about 12 MB a file)
#define INGEST_RECORDS_SEEN_MAX 262144

//  One good row: event and natural_key (borrowed for the call); event
//  carries partner. Returns 0, or -1 to stop reading.
typedef int (ingest_records_row_fn) (const sv_proto_t *event, const char *natural_key,
                                     void *arg);

//  A reader for one CSV file of kind SV_PROTO_SUPPLIER, SV_PROTO_CONTRACT,
//  SV_PROTO_COMMITMENT, SV_PROTO_DELIVERY or SV_PROTO_KPI, for partner (copied). NULL on
//  another kind or when memory cannot be had.
ingest_records_t *
    ingest_records_new (sv_proto_id_t kind, const char *partner,
                        ingest_records_row_fn *row_fn, sv_csv_error_fn *error_fn,
                        void *arg);

void
    ingest_records_destroy (ingest_records_t **self_p);

//  Sends each accepted row's warnings to fn with arg (the same shape as a
//  rejected row's error: line, column, value, reason); none when fn is
//  NULL, the default.
void
    ingest_records_set_warning (ingest_records_t *self, sv_csv_error_fn *fn, void *arg);

//  The partner's declared beneficiary groups (NULL-terminated, copied):
//  a delivery's group matching one by ingest_records_group is given that
//  spelling, so every spelling of a group is one group downstream; a
//  group matching none is taken as written and warned about. Without a
//  list every group is taken as written, unwarned. The natural key keeps
//  the group as written either way, so the key of a return stored before
//  groups were matched does not change.
void
    ingest_records_set_groups (ingest_records_t *self, const char *const *groups);

//  The declared spelling of group among groups (NULL-terminated; NULL for
//  none), matched by sv_name_key: case, spacing and punctuation aside,
//  "&" and "and" alike ("CARE-LEAVERS " is "Care leavers"). Returns the
//  entry of groups (borrowed), or NULL when none matches or group names
//  nothing.
const char *
    ingest_records_group (char *const *groups, const char *group);

//  A per-partner header override, "source header=canonical field". 0 or -1.
int
    ingest_records_override (ingest_records_t *self, const char *pair);

//  Reads the next chunk; 0, or -1 when the file is refused whole.
int
    ingest_records_feed (ingest_records_t *self, const void *data, size_t size);

//  Reads the next row of a file that comes in cells (a spreadsheet's row:
//  see sv_csv_feed_cells), instead of ingest_records_feed. 0 or -1 as that.
int
    ingest_records_feed_cells (ingest_records_t *self, size_t line, const char *const *cells,
                               size_t count, const char *problem);

//  The line (or row) the header was found on, or 0 while it is not found.
size_t
    ingest_records_header_line (ingest_records_t *self);

//  Ends the file; 0, or -1 when it is refused whole.
int
    ingest_records_finish (ingest_records_t *self);

//  Why the file was refused, or NULL. Borrowed.
const char *
    ingest_records_refusal (ingest_records_t *self);

//  Calls fn for each named column of the file's header, with the field it
//  was read as or NULL when ignored (see sv_csv_columns).
void
    ingest_records_columns (ingest_records_t *self, sv_csv_column_fn *fn, void *arg);

//  The key a supplier is known by: "CH:<Companies House number>" when
//  known, else "ID:<partner's supplier id>", else "NAME:<name>" upper-cased
//  with punctuation dropped; "" when there is nothing to go on.
void
    ingest_records_supplier_key (const char *companies_house, const char *supplier_id,
                                 const char *name, char *key, size_t size);

//  What is wrong with a COMPANY record's supplier key (not CH:, ID: or
//  NAME: and a value) or SIC list (up to four 5-digit codes, comma-
//  separated, or ""), as a static English reason; NULL when both read.
const char *
    ingest_records_company_problem (const char *supplier_key, const char *sic_codes);

//  Writes the natural key of event (SUPPLIER, CONTRACT, COMMITMENT,
//  DELIVERY or KPI; see above) into key, of size bytes. 0, or -1 when it does not
//  fit (key then holds nothing usable).
int
    ingest_records_key (const sv_proto_t *event, char *key, size_t size);

//  Checks and normalises the key fields of a record that did not come
//  through CSV (a decoded msgpack record, whose strings it owns): each
//  present and within its limit, measure codes, dates and years in form,
//  the postcode normalised in place, and a delivery's evidence state one
//  of the three (claimed when empty, as in CSV). 0, or -1 with *column_p naming the
//  field and reason (size bytes) saying what is wrong.
int
    ingest_records_normalise (sv_proto_t *record, const char **column_p,
                              char *reason, size_t size);

//  Sends the warnings of an accepted record that did not come through CSV
//  (after ingest_records_normalise) to fn with arg, as row (its record
//  number) naming the field; claimed says its evidence state was empty
//  and taken as claimed; groups are the declared beneficiary groups, or
//  NULL (ingest_records_set_groups). Nothing when fn is NULL.
void
    ingest_records_warn_record (const sv_proto_t *record, bool claimed, char *const *groups,
                                uint64_t row, sv_csv_error_fn *fn, void *arg);

//  Writes why a row is rejected that has the key of the row numbered
//  earlier with other content, naming what the key is made of; unit is
//  "line" or "record". Returns reason.
const char *
    ingest_records_conflict (sv_proto_id_t kind, const char *unit, uint64_t earlier,
                             char *reason, size_t size);

//  Prints each kind's canonical header, required fields starred
//  (socval-ingest --headers).
void
    ingest_records_print_headers (FILE *out);

void
    ingest_records_test (bool verbose);

#endif
