/*  =========================================================================
    ingest_ocds - contracts and suppliers read from an OCDS JSON document

    Contracts Finder, Find a Tender and other publishers write the Open
    Contracting Data Standard: a release package {"releases": [...]}, a
    record package {"records": [{"compiledRelease": {...}, ...}]}, or one
    release on its own. This class reads one such document, from a complete
    buffer (ingest_ocds_parse) or as it arrives, a release or record at a
    time (ingest_ocds_push), and yields what socval needs from each release:

    - a contract for each contracts[] entry that is not cancelled (nor its
      award), and for each awards[] entry that is not unsuccessful or
      cancelled (status, or OCDS 1.2 finalStatus) and that no contract
      names: all of them when a release has no contracts, none when one
      of its contracts names no award in the release.
      Value and period come from the contract, else from its award (linked
      by awardID, or the only award), and the period finally from
      tender.contractPeriod; suppliers and buyer from the contract when it
      names them (the contract suppliers and multiple buyers extensions: a
      framework's call-off), else from its award and the release. A
      release that withdraws an award or contract yielded from an older
      release earlier in the same document refuses the document, naming
      both: a contract once yielded cannot be taken back. A release with neither (a tender, a planning
      notice) yields no contract and is counted as skipped, with a reason.
    - a supplier for each party with the role "supplier" and for each
      award supplier that is not among the parties. A party id is unique
      only within its release (parties "1", "2", ... in one release are
      other organisations in the next), so it serves only to find the
      party an award names within the same release; the supplier itself
      is known by its Companies House number (a GB-COH identifier), else
      by its normalised name: the keys the CSV feeds give it too, which is
      why its postcode is kept but not made part of its key. A party with
      neither is left out, with a warning.
    - a KPI for each target observation of a contract's agreedMetrics (the
      OCDS metrics extension; the award's, for a contract read from an
      award): agreedMetrics[].id (the KPI), its title, and for each
      observation its measure (a number, or a string read as a quantity
      is: "95%" is 95 with the unit "%"), unit.name, and period, which
      must lie within one financial year (a KPI's target is per year). An
      observation that cannot be read so (no measure, a financial value
      instead of a measure, no period, a period across years, the same
      metric and year twice) is set aside with a warning naming its path;
      the contract is taken all the same.

    Rows. Each release is a row, numbered from 1 in document order:
    row 4 of a release package is "releases[3]" (paths in columns count
    from 0, as JSON does), row 2 of a record package is "records[1]"
    (its compiledRelease, or its embedded releases when it has none), and
    a lone release is row 1. Every release ends in exactly one of three
    states: accepted (it yielded at least one contract), skipped (it could
    be read but describes no contract, its suppliers still yielded; or it
    is superseded, yielding nothing), or rejected (a value, currency or
    date could not be read: one error per problem found, and nothing at
    all is yielded from it). So releases = accepted + skipped + rejected.

    A document is one compiled view of each contracting process: within
    it, the releases of an ocid that carry awards or contracts are applied
    in date order, the latest winning, whatever their order in the
    document (Contracts Finder lists the newest first). A release older
    than the one already applied for its ocid is superseded: skipped, with
    a reason naming both. Dates are compared as instants; two releases
    that may bear the same instant cannot be ordered, and one with no date
    cannot be ordered against another, so the release applied first
    stands; a dated release wins over an undated one. Releases oldest
    first are each applied in turn, the last one winning. This holds
    within one document only (read whole or pushed), costing one small
    entry per ocid while it is read; see ingest_ocds.c.

    Money is never floating point. jansson parses numbers into doubles and
    forgets their text, so before parsing we note where every number token
    sits in the document, then pair the n-th token with the n-th number in
    the parsed tree (objects keep their keys in document order and
    duplicate keys are refused, so the pairing is exact; each pair is also
    checked, token text against parsed value). An amount is then read from
    its own decimal text: 776888.48 is 77688848 pence exactly, and 12.345
    is refused for its third decimal, not rounded. Exponents (1.5e6) are
    shifted as text. Numeric ids are read from their text too.

    A document is refused whole, with a reason (and jansson's line and
    column where it has them), when it is over the caller's size limit,
    nests deeper than INGEST_OCDS_MAX_DEPTH, is not JSON, repeats a key in
    an object, or is not an OCDS package or release.

    Warnings are kept for data that was set aside but did not reject its
    release: a Companies House number that is not valid, a party that
    gives two different ones (it is then known by its name), a postcode
    that is not a UK postcode, a scale outside the OCDS codelist, a
    supplier with neither Companies House number nor name, a release with
    no date. Companies House numbers are read by sv_company, as the CSV
    feeds read them. Dates are read by sv_date as written; a numeric date
    that reads as two days (03/01/2025), which OCDS's ISO 8601 never is,
    rejects its release.

    No sockets and no SQL here.
    =========================================================================
*/

#ifndef INGEST_OCDS_H_INCLUDED
#define INGEST_OCDS_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sv_csv.h"

#ifdef __cplusplus
extern "C" {
#endif

//  Deepest nesting of arrays and objects a document may have. OCDS needs
//  about 8; anything far deeper is an attack on the parser's stack.
#define INGEST_OCDS_MAX_DEPTH 64

typedef struct _ingest_ocds_t ingest_ocds_t;

//  The records below are plain read-only views. All their strings are
//  owned by the ingest_ocds_t that yielded them and stay valid until it
//  parses again or is destroyed; a text field that the release did not
//  give is "", never NULL.

//  One contract.
typedef struct {
    size_t row;                 //  Release it came from, counting from 1
    const char *contract_id;    //  contracts[].id, else awards[].id, else ocid;
                                //  but the award's id for a contract whose
                                //  award an earlier release of the document
                                //  made a contract, so that the award's
                                //  contract and the signed one are one
    const char *award_id;       //  The id of the award it was read from, or ""
    const char *ocid;           //  Contracting process id
    const char *release_id;     //  Release id, "" in a compiledRelease without one
    const char *release_date;   //  Release date as published (ISO 8601)
    bool has_release_day;
    int32_t release_day;        //  release_date as sv_date days
    const char *title;          //  contract, else award, else tender title
    const char *buyer;          //  Buyer's name: the contract's, else the release's
    const char *category;       //  CPV description, else mainProcurementCategory
    const char *category_code;  //  The CPV code of category, or ""
    const char *status;         //  contract status, else award status
    bool has_value;
    int64_t value_pence;        //  Total value in pence (GBP only), >= 0
    const char *currency;       //  "GBP" when has_value, else ""
    bool has_start;
    int32_t start_date;         //  sv_date days, the date as written
    bool has_end;
    int32_t end_date;           //  sv_date days, the date as written
    size_t supplier_count;
    const char *const *supplier_keys;   //  supplier_count keys, as in
                                        //  ingest_ocds_supplier_t.key: the
                                        //  suppliers the contract names, else
                                        //  those its award names (for a lone
                                        //  contract with neither, the
                                        //  release's supplier parties)
    const char *supplier_key;   //  The supplier the contract is stored under:
                                //  its only key, else "" (none, or several
                                //  sharing one value, with a warning)
} ingest_ocds_contract_t;

//  One KPI target: an observation of a contract's agreedMetrics.
typedef struct {
    size_t row;                 //  Release it came from, counting from 1
    const char *contract_id;    //  As in the contract it belongs to
    const char *ocid;
    const char *release_date;   //  As in the contract it belongs to
    const char *metric_id;      //  agreedMetrics[].id
    const char *title;          //  agreedMetrics[].title, or ""
    const char *unit;           //  observations[].unit.name, or "%" for
                                //  a measure written "95%"; "" when none
    int64_t target_milli;       //  observations[].measure in thousandths
    int fy;                     //  Financial year of its period, by its start
} ingest_ocds_metric_t;

//  One supplier, as one release describes it. The same supplier appears
//  once for each release that names it; key is what identifies it.
typedef struct {
    size_t row;                 //  Release it came from, counting from 1
    const char *key;            //  The supplier key the CSV readers make
                                //  (ingest_records_supplier_key):
                                //  "CH:<companies_house>" when known, else
                                //  "NAME:<name normalised>"; never "" and
                                //  never the party id
    const char *party_id;       //  parties[].id as published ("GB-CFS-312173"):
                                //  unique only within its release
    const char *name;           //  Name as published
    const char *companies_house;    //  8 characters ("04142000", "SC053003")
                                    //  or "" when unknown
    const char *postcode;       //  Normalised ("EC3N 2LB"), from
                                //  address.postalCode, else found in
                                //  address.streetAddress; "" when unknown
    const char *scale;          //  details.scale as published ("sme", "large")
    bool sme_known;
    bool sme;                   //  scale micro, sme or selfEmployed
    bool vcse_known;
    bool vcse;                  //  details.vcse
} ingest_ocds_supplier_t;

//  An error, a skipped release or a warning.
typedef struct {
    size_t row;                 //  Release, counting from 1
    const char *column;         //  JSON path: "releases[3].awards[0].value.amount"
    const char *value;          //  The value found, as text ("" if none)
    const char *reason;         //  What was wrong, or why it was skipped
} ingest_ocds_issue_t;

//  Creates a reader that refuses documents over max_size bytes (at least
//  1). Returns NULL only when out of memory.
ingest_ocds_t *
    ingest_ocds_new (size_t max_size);

//  Destroys the reader and everything it yielded; nulls *self_p. Safe when
//  *self_p is already NULL.
void
    ingest_ocds_destroy (ingest_ocds_t **self_p);

//  Reads the document data (size bytes; need not end in NUL; a UTF-8 BOM
//  is skipped), replacing whatever an earlier parse yielded. Returns 0
//  when the document was read, even if some of its releases were rejected
//  as row errors; returns -1 when it was refused whole, with nothing
//  yielded and ingest_ocds_reason saying why. data may be NULL only when
//  size is 0.
int
    ingest_ocds_parse (ingest_ocds_t *self, const void *data, size_t size);

//  Reads a document as it arrives, size bytes at a time (data may be NULL
//  only when size is 0): each call yields what the releases[] or
//  records[] items completed by its bytes hold, replacing what the call
//  before yielded, so a package of any size costs the memory of its
//  largest item (at most the size limit). Rows are numbered through the
//  whole document; an item that is not JSON, or over the limit, is its
//  row's error. Nothing is held past the limit: the package's members
//  before its array are held, up to the limit in all; a key or value of
//  the package after its array over the limit refuses the document,
//  naming it and where it starts. A document that is not such a package
//  is held (up to the limit) and read whole by ingest_ocds_end. Returns 0,
//  or -1 when the document is refused from here on, ingest_ocds_reason
//  saying why; what this call yielded before that stays yielded.
int
    ingest_ocds_push (ingest_ocds_t *self, const void *data, size_t size);

//  Ends a document read with ingest_ocds_push, yielding what is left (all
//  of it, for a document that is not a package) and setting the package
//  kind; the next push starts another document. Returns 0, or -1 when it
//  was refused: it ended inside the array or the package, or, read
//  whole, as ingest_ocds_parse refuses it.
int
    ingest_ocds_end (ingest_ocds_t *self);

//  Why the last document was refused, or "" when it was not.
const char *
    ingest_ocds_reason (ingest_ocds_t *self);

//  What the last document was: "release package", "record package",
//  "release", or "" when it was refused.
const char *
    ingest_ocds_package (ingest_ocds_t *self);

//  Releases read (rows), and how they ended: accepted + skipped + rejected
//  == releases.
size_t
    ingest_ocds_releases (ingest_ocds_t *self);
size_t
    ingest_ocds_accepted (ingest_ocds_t *self);
size_t
    ingest_ocds_rejected (ingest_ocds_t *self);

//  Contracts yielded, and the index-th of them (NULL when out of range).
size_t
    ingest_ocds_contracts (ingest_ocds_t *self);
const ingest_ocds_contract_t *
    ingest_ocds_contract (ingest_ocds_t *self, size_t index);

//  KPI targets yielded (after the contracts they belong to), and the
//  index-th of them (NULL when out of range).
size_t
    ingest_ocds_metrics (ingest_ocds_t *self);
const ingest_ocds_metric_t *
    ingest_ocds_metric (ingest_ocds_t *self, size_t index);

//  Suppliers yielded, and the index-th of them (NULL when out of range).
size_t
    ingest_ocds_suppliers (ingest_ocds_t *self);
const ingest_ocds_supplier_t *
    ingest_ocds_supplier (ingest_ocds_t *self, size_t index);

//  Row errors (a rejected release has one or more), and the index-th.
size_t
    ingest_ocds_errors (ingest_ocds_t *self);
const ingest_ocds_issue_t *
    ingest_ocds_error (ingest_ocds_t *self, size_t index);

//  Skipped releases (one entry each), and the index-th.
size_t
    ingest_ocds_skips (ingest_ocds_t *self);
const ingest_ocds_issue_t *
    ingest_ocds_skip (ingest_ocds_t *self, size_t index);

//  Warnings about accepted or skipped releases, and the index-th.
size_t
    ingest_ocds_warnings (ingest_ocds_t *self);
const ingest_ocds_issue_t *
    ingest_ocds_warning (ingest_ocds_t *self, size_t index);

//  Sets a function told, as they are found, of everything read but set
//  aside or taken with a reservation without rejecting its release: each
//  skip (a release superseded by a later one of its ocid, a tender with
//  no award) and each warning (a release with no date, a Companies House
//  number set aside), with line the release's row, column its JSON path,
//  value and reason as in ingest_ocds_issue_t. The error is borrowed for
//  the call. fn NULL (the default) tells nobody; what is recorded for
//  ingest_ocds_skip and ingest_ocds_warning is the same either way. A
//  document refused after its releases were read (one withdraws a
//  contract an earlier one made) has told what those releases raised,
//  though nothing stays recorded: the caller refuses the batch anyway.
void
    ingest_ocds_set_warning (ingest_ocds_t *self, sv_csv_error_fn *fn, void *arg);

//  The span of instants a release's date (text, as published) may name,
//  in microseconds since 1970-01-01 UTC, as the releases of a document are
//  put in order: one instant for a date-time with its zone, 26 hours for
//  one without, the day in every zone for a date alone. One release is
//  certainly older than another when its last is before the other's
//  first. Returns 0, or -1 when text is empty or not a date.
int
    ingest_ocds_date_span (const char *text, int64_t *first_p, int64_t *last_p);

//  Self test of this class; asserts (aborts) on failure. Reads its
//  fixtures from tests/fixtures/ocds/, relative to the working directory.
void
    ingest_ocds_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
