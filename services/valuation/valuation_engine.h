/*  =========================================================================
    valuation_engine - social value in pence from commitments and delivery
    returns, and the locality (local / non-local / unknown) of spend

    Pure arithmetic over a loaded framework (valuation_framework) and a
    partner's configuration; no SQL, no sockets, no printing. The
    valuation server calls it for each ingest event and stores and
    streams what it returns.

    Values. value = quantity (thousandths of the measure's unit) × proxy
    (pence per unit), rounded once, half to even (sv_money_mul_milli).

      - A commitment is valued at the proxy of the contract's START
        financial year, whatever year the commitment is for. The supplier
        bid, and was scored, against the proxies in force when the
        contract began; valuing its 2025-26 commitment at 2025-26 proxies
        would make the committed figure grow with proxy inflation though
        nobody committed to more. When the contract's start is not known
        (its CONTRACT event has not arrived), the commitment's own year is
        used, and the line is recomputed when the contract arrives.
      - A delivery is valued at the proxy of the financial year in which
        its period ENDS. A return is made when its period closes and is
        reported in that year's figures, so a January-June return counts,
        and is priced, in the year that starts in April; splitting it
        across the two years would round twice and invent a monthly
        profile the supplier never reported.
      - Either way, a year with no proxy takes the latest earlier year's
        (valuation_framework_proxy); the line says which year was used.

    A line is never dropped: a measure unknown to the framework, or not
    among the partner's active measures, or with no proxy for the year,
    is returned with value 0 and a flag saying why, for a person to see.

    Locality. A partner's local area is a list of postcode districts
    ("S60-S66, S25, S26") and/or its local authority codes ("E08000018")
    looked up in an ONS postcode directory. A postcode directory is loaded
    once (valuation_engine_lookup_t, shared by partners) from the CSV of
    any ONS postcode product with wards (ONSPD, NSPL). Classification of a
    supplier's postcode, in this order:

      1. empty, or not a UK postcode: UNKNOWN (never non-local);
      2. in the directory and the partner has authority codes: LOCAL when
         its authority is one of them, else NON_LOCAL (the directory is
         more exact than districts, which straddle boundaries);
      3. otherwise, when the partner has a district list: LOCAL when the
         postcode's district is in it, else NON_LOCAL;
      4. otherwise UNKNOWN: the partner relies on the directory alone and
         the postcode is not in it (a new postcode, or a directory cut to
         one area), so nothing says where it is. A partner whose
         directory could not be loaded is here too (or at 3): nothing is
         guessed from an authority code without the directory.

    Whenever the directory knows the postcode, its ward code and name come
    back with the answer (local or not).

    Memory. A directory row is one uint64: the postcode packed into 42
    bits (7 characters × 6 bits) above a 22-bit index into a table of
    distinct (authority, ward code, ward name) triples, interned once
    each. The rows are sorted and searched by halving: the full ONSPD
    (2.7 M rows, ~9,000 wards) takes about 22 MB plus the ward table
    (about 35 MB at the peak of loading, which takes ~1.3 s).
    =========================================================================
*/

#ifndef VALUATION_ENGINE_H_INCLUDED
#define VALUATION_ENGINE_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sv_csv.h"
#include "sv_name.h"
#include "sv_postcode.h"
#include "valuation_framework.h"

#ifdef __cplusplus
extern "C" {
#endif

//  A financial year that is not known (real years are 1900-2199)
#define VALUATION_ENGINE_NO_YEAR 0

//  Flags on a valuation line, "" when none
#define VALUATION_ENGINE_UNKNOWN_MEASURE "unknown_measure"
#define VALUATION_ENGINE_INACTIVE_MEASURE "inactive_measure"
#define VALUATION_ENGINE_NO_PROXY "no_proxy_for_year"
#define VALUATION_ENGINE_TOO_LARGE "value_too_large"

//  The value of one commitment or delivery line
typedef struct {
    int64_t value_pence;        //  quantity × proxy, rounded once; 0 when flagged
    int64_t proxy_pence;        //  pence per unit used; 0 when none
    int fy;                     //  financial year the line counts in
                                //  (commitment's year; delivery period's
                                //  end year); VALUATION_ENGINE_NO_YEAR if unknown
    int proxy_fy;               //  year whose proxy was used, or
                                //  VALUATION_ENGINE_NO_YEAR when none
    const char *framework;      //  framework id, borrowed from the framework
    const char *version;        //  framework version, likewise
    const char *theme;          //  measure's theme, "" when unknown measure
    const char *unit;           //  measure's unit, "" when unknown measure
    const char *description;    //  measure's description, likewise
    const char *outcome;        //  measure's outcome, likewise ("" when none)
    const char *flag;           //  "" or one of the flags above (static)
    bool record_only;           //  a record-only measure: counted in its
                                //  unit, never valued (0p, no flag)
} valuation_engine_value_t;

//  Values a commitment of quantity_milli thousandths of measure (a code)
//  for financial year commitment_fy, on a contract that starts in
//  financial year contract_start_fy (VALUATION_ENGINE_NO_YEAR when not
//  known), with framework and the partner's selection (NULL: every
//  measure active). Fills *value (never NULL) either way. Returns 0 when
//  valued, or when the measure is record only (value->record_only, 0p:
//  counted in its unit, never priced), -1 when flagged (value 0,
//  value->flag says why): the line is to be kept and shown either way. Strings in *value are borrowed from
//  framework (framework, version, theme, unit) or static (flag).
int
    valuation_engine_commitment (const valuation_framework_t *framework,
                                 const valuation_framework_selection_t *selection,
                                 const char *measure, int64_t quantity_milli,
                                 int contract_start_fy, int commitment_fy,
                                 valuation_engine_value_t *value);

//  Values a delivery of quantity_milli thousandths of measure over a
//  period ending on period_end (an sv_date day number): at the proxy of
//  period_end's financial year. Otherwise as valuation_engine_commitment.
int
    valuation_engine_delivery (const valuation_framework_t *framework,
                               const valuation_framework_selection_t *selection,
                               const char *measure, int64_t quantity_milli,
                               int32_t period_end, valuation_engine_value_t *value);

//  Adds pence to *total_p unless the sum would leave int64. Returns 0, or
//  -1 with *total_p untouched.
int
    valuation_engine_add (int64_t *total_p, int64_t pence);


//  --------------------------------------------------------------------------
//  Locality of spend

typedef enum {
    VALUATION_ENGINE_UNKNOWN = 0,
    VALUATION_ENGINE_LOCAL,
    VALUATION_ENGINE_NON_LOCAL
} valuation_engine_class_t;

//  The place of one postcode, as classified for a partner
typedef struct {
    valuation_engine_class_t locality;
    char postcode [SV_POSTCODE_BUF];    //  normalised, or "" when unreadable
    const char *ward_code;      //  from the directory, "" when not known
    const char *ward_name;      //  likewise ("" too when the directory has
                                //  ward codes without names)
    const char *authority;      //  local authority code, likewise
    const char *reason;         //  static English: why this class
} valuation_engine_place_t;

typedef struct _valuation_engine_lookup_t valuation_engine_lookup_t;
typedef struct _valuation_engine_locality_t valuation_engine_locality_t;

//  "local", "non_local" or "unknown", as in PLACE.locality.
const char *
    valuation_engine_class_name (valuation_engine_class_t locality);

//  Loads a postcode directory from CSV bytes (size bytes, read in chunks
//  through sv_csv). Columns are found by header, in any case, whichever
//  ONS postcode product the file is:
//    ONSPD (Postcode Directory):     pcds (or pcd, pcd2), oslaua, osward
//    NSPL (Statistics Postcode Lookup, to 2024):    pcds, laua, ward
//    either, from 2025, and the other ONS lookups:  pcds (or pcd7, pcd8),
//      lad##cd, wd##cd, wd##nm, '#' being a digit of the year ("lad25cd")
//    Trafford Data Lab extract:      postcode, la_code, ward_code, ward_name
//  Postcode, local authority and ward code are required; the ward name is
//  optional (the ONSPD and NSPL have none). A file without one of them is
//  refused whole with error_fn given the reason, naming the column and
//  the headers looked for: "no ward column (looked for ward_code, osward,
//  ward, wd##cd, wdcd)". The ONS best-fit lookup PCD_OA_LSOA_MSOA_LAD has
//  no ward, so it is refused: use the NSPL or ONSPD. So is a file with
//  two years of one code ("wd22cd" and "wd23cd"): which to read is not
//  clear, and the reason names both columns.
//  A terminated postcode (doterm set) is kept like a live one: a payment
//  or delivery may predate the termination, and the directory still says
//  where the postcode was.
//  Authorities and wards are ONS (GSS) codes: an authority a letter and
//  eight digits ("E08000009"), a ward E05, W05, S13 or N08 and six digits.
//  The old codes of directories before 2011 (the NSPD of 2008: oslaua
//  "QA", osward "MJ", parts that name a district and a ward only within
//  their county) refuse the file when the first row has them. The ONS's
//  pseudo codes ("L99999999", Channel Islands; "M99999999", Isle of Man):
//  an authority skips the row (no authority), a ward is no ward ("").
//  A row whose postcode is not a UK postcode, whose authority is empty, or
//  (after the first) whose authority or ward is not a code, is skipped
//  and given to error_fn (may be NULL, with arg); a postcode
//  given two different places is left out altogether and given to
//  error_fn once, with line 0 (it is found once the file is sorted); a
//  repeat of the same place is one row. Every other row is kept. Returns
//  NULL when the file is refused whole (a column missing, an unclosed
//  quote: error_fn gets the reason with no column, last), has no usable
//  row, or memory runs out.
valuation_engine_lookup_t *
    valuation_engine_lookup_load (const void *data, size_t size,
                                  sv_csv_error_fn *error_fn, void *arg);

//  As valuation_engine_lookup_load, reading the file at path in chunks
//  (never whole into memory). A refusal's reason starts with the path
//  ("deploy/data/nspl.csv: no local-authority column (looked for ...)"),
//  and a file that cannot be read is one such error ("x.csv: No such file
//  or directory").
valuation_engine_lookup_t *
    valuation_engine_lookup_load_file (const char *path,
                                       sv_csv_error_fn *error_fn, void *arg);

//  Destroys a directory and nulls the caller's pointer; safe on NULL and
//  twice. Localities using it must be destroyed first.
void
    valuation_engine_lookup_destroy (valuation_engine_lookup_t **self_p);

//  Number of postcodes held, and of distinct (authority, ward) places.
size_t
    valuation_engine_lookup_size (const valuation_engine_lookup_t *self);
size_t
    valuation_engine_lookup_places (const valuation_engine_lookup_t *self);

//  Finds a postcode (any case and spacing). Returns 0, pointing the three
//  out pointers (any may be NULL) at the borrowed ward code, ward name
//  ("" when the file has none) and authority code; or -1 when the
//  postcode is not a postcode or not in the directory.
int
    valuation_engine_lookup_find (const valuation_engine_lookup_t *self,
                                  const char *postcode, const char **ward_code_p,
                                  const char **ward_name_p, const char **authority_p);

//  Creates a partner's locality: no districts, no authorities, no
//  directory (everything is UNKNOWN until something is set). NULL when
//  memory cannot be had.
valuation_engine_locality_t *
    valuation_engine_locality_new (void);

//  Destroys a locality and nulls the caller's pointer; safe on NULL and
//  twice. The directory it uses is not destroyed.
void
    valuation_engine_locality_destroy (valuation_engine_locality_t **self_p);

//  Sets the partner's postcode districts from config text: districts and
//  ranges separated by commas and/or white space, any case: "S60-S66,
//  S25, S26". A range joins two districts of one postcode area with
//  numbers low to high and covers every district of that area numbered
//  between them; a district written without a final letter also covers
//  its lettered sub-districts ("EC1" covers "EC1A", "EC1-EC4" covers
//  "EC4M"); one written with it ("EC1A") covers only itself. Replaces any
//  earlier list; "" clears it. Returns 0, or -1 on bad text, leaving the
//  old list, with *reason_p (if not NULL) pointing at a static reason.
int
    valuation_engine_locality_set_districts (valuation_engine_locality_t *self,
                                             const char *text, const char **reason_p);

//  Sets the partner's local authority codes (ONS codes such as
//  "E08000018"), separated by commas and/or white space, compared without
//  regard to case. Replaces any earlier list; "" clears it. Returns 0, or
//  -1 when a code is longer than 16 characters or memory runs out.
int
    valuation_engine_locality_set_authorities (valuation_engine_locality_t *self,
                                               const char *text);

//  Uses directory (borrowed: must outlive self; NULL for none).
void
    valuation_engine_locality_set_lookup (valuation_engine_locality_t *self,
                                          const valuation_engine_lookup_t *lookup);

//  Classifies postcode (any case and spacing; NULL is taken as "") by the
//  rules above and fills *place (not NULL). Returns place->locality.
valuation_engine_class_t
    valuation_engine_locality_classify (const valuation_engine_locality_t *self,
                                        const char *postcode,
                                        valuation_engine_place_t *place);

//  --------------------------------------------------------------------------
//  Wards of delivery returns
//
//  A ward is its ONS code, named by the postcode directory (DESIGN:
//  "Places and groups"), whatever a return's Ward cell says:
//
//    1. a code (E05, W05, S13, N08 and six digits, any case) is that code,
//       named by the directory when it has the code with a name;
//    2. a name is matched, by sv_name_key (case, spacing and punctuation
//       aside, "&" and "and" alike), to the directory's ward names in the
//       partner's local authorities (every authority in the directory when
//       the partner names none), and is the code of the one ward so named;
//    3. a name matching no ward there, or wards of two codes, is never
//       guessed: it is kept as its canonical spelling (sv_name_canonical,
//       so every spelling of it is one ward in reports) with no code, and
//       the answer says why it was not matched. So is every name when no
//       directory is loaded or the directory has no ward names (the ONSPD
//       and NSPL have none: use an extract with them, such as Trafford
//       Data Lab's or the ONS ward lookups joined to the NSPL).
//
//  A name is matched by reading every place of the directory (about
//  9,000 for the whole UK, a few microseconds each): returns are counted
//  in thousands a year, not millions as payments are.

typedef struct {
    char code [SV_NAME_WARD_CODE_BUF];  //  the ward's ONS code, "" when not known
    char name [SV_NAME_BUF];    //  the directory's name for code ("" when it
                                //  has none), or an unmatched name's
                                //  canonical spelling
    const char *unmatched;      //  NULL, or static English: why a name was
                                //  kept as written
} valuation_engine_ward_t;

//  Reads a delivery's Ward cell (text, not NULL; "" is no ward) for the
//  partner of self, by the rules above, into *ward (not NULL). Returns 0
//  when the ward is known by its code or text is empty, -1 when a name
//  was kept unmatched (ward->unmatched says why).
int
    valuation_engine_locality_ward (const valuation_engine_locality_t *self,
                                    const char *text, valuation_engine_ward_t *ward);


//  Self test of this class; asserts (aborts) on failure. Reads fixtures
//  under tests/fixtures/ relative to the current directory (the
//  repository root) and writes no files.
void
    valuation_engine_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
