/*  =========================================================================
    compliance_rules - the conditions behind every compliance alert, as pure
    functions of the facts and of today. See the header for each rule.

    Time. Every date, today included, is read with sv_date_parse into a
    day number, so "before", "within N days" and "how long ago" are integer
    comparisons and differences. A rule never asks the clock: moving today
    moves every rule, which is how the self-test walks a contract through
    its life.

    Unknown facts. Each rule decides what an unknown date means so that
    the council is warned rather than falsely reassured where that is safe
    (unknown contract dates keep an eligible contract in scope; an
    accreditation without an expiry holds, as accreditations are recorded
    without one), and stays quiet where a guess would raise a false alarm
    (a shortfall needs both contract dates; an unreadable today fires
    nothing).

    Arithmetic. Quantities are thousandths and stay int64; the pro-rata
    expectation is one multiply-then-divide done so that no intermediate
    can overflow, rounded down.

    Rates. The rates file is read through sv_csv (the same header
    matching as every feed), checked row by row, and kept sorted by year
    with each date also as a day number.
    =========================================================================
*/

#include "compliance_rules.h"
#include "sv_csv.h"
#include "sv_date.h"
#include "sv_money.h"
#include <errno.h>

//  Bytes given to sv_csv at a time
#define S_CHUNK (64 * 1024)

//  One rate, with its dates as day numbers and its source line
typedef struct {
    compliance_rules_rate_t pub;
    int32_t announced;
    int32_t deadline;
    size_t line;
} s_rate_t;

struct _compliance_rules_rates_t {
    s_rate_t *rates;            //  ascending by year once loaded
    size_t count;
    size_t slots;
};


//  --------------------------------------------------------------------------
//  Small helpers

//  A borrowed string, "" for NULL
static const char *
s_text (const char *text)
{
    return text? text: "";
}

//  Reads a date; false when it is empty or unreadable (unknown)
static bool
s_day (const char *text, int32_t *day_p)
{
    return text && *text && sv_date_parse (text, day_p, NULL) == 0;
}

//  Writes a message into message (COMPLIANCE_RULES_MESSAGE_MAX bytes; may
//  be NULL), cutting a long one at a UTF-8 character boundary
static void
s_message (char *message, const char *format, ...)
{
    if (!message)
        return;
    va_list args;
    va_start (args, format);
    int length = vsnprintf (message, COMPLIANCE_RULES_MESSAGE_MAX, format, args);
    va_end (args);
    if (length >= COMPLIANCE_RULES_MESSAGE_MAX) {
        //  Drop the last character if the cut left it incomplete
        const unsigned char *bytes = (const unsigned char *) message;
        size_t end = COMPLIANCE_RULES_MESSAGE_MAX - 1, lead = end - 1;
        while (lead > 0 && (bytes [lead] & 0xC0) == 0x80)
            lead--;
        size_t width = bytes [lead] >= 0xF0? 4: bytes [lead] >= 0xE0? 3:
                       bytes [lead] >= 0xC0? 2: 1;
        if (lead + width > end)
            message [lead] = 0;
    }
}

//  "1 day", "31 days"
static const char *
s_days (int64_t days, char *buf, size_t size)
{
    snprintf (buf, size, "%" PRId64 " day%s", days, days == 1 || days == -1? "": "s");
    return buf;
}

//  A quantity in thousandths written in units for a person: 23400 is
//  "23.4", 52000 is "52", 39214 is "39.214", -1500 is "-1.5"
static const char *
s_quantity (int64_t milli, char *buf, size_t size)
{
    uint64_t magnitude = milli < 0? (uint64_t) 0 - (uint64_t) milli: (uint64_t) milli;
    unsigned fraction = (unsigned) (magnitude % 1000);
    int written = snprintf (buf, size, "%s%" PRIu64, milli < 0? "-": "", magnitude / 1000);
    if (fraction && written > 0 && (size_t) written < size) {
        char digits [5];
        snprintf (digits, sizeof digits, ".%03u", fraction);
        size_t length = strlen (digits);
        while (digits [length - 1] == '0')
            digits [--length] = 0;
        snprintf (buf + written, size - (size_t) written, "%s", digits);
    }
    return buf;
}

//  The contract as a person names it: "C-101 'Office cleaning'"
static const char *
s_contract_name (const compliance_rules_contract_t *contract, char *buf, size_t size)
{
    const char *title = s_text (contract->title);
    if (*title)
        snprintf (buf, size, "%s '%s'", s_text (contract->contract_id), title);
    else
        snprintf (buf, size, "%s", s_text (contract->contract_id));
    return buf;
}

const char *
compliance_rules_supplier_label (const char *name, const char *key, char *buf, size_t size)
{
    name = s_text (name);
    key = s_text (key);
    if (*name)
        snprintf (buf, size, "%s", name);
    else
    if (strncmp (key, "CH:", 3) == 0)
        snprintf (buf, size, "the company registered as %s", key + 3);
    else
    if (strncmp (key, "ID:", 3) == 0)
        snprintf (buf, size, "supplier %s", key + 3);
    else
    if (strncmp (key, "NAME:", 5) == 0)
        snprintf (buf, size, "%s", key + 5);
    else
        snprintf (buf, size, "%s", key);
    return buf;
}

//  The supplier as a person names it, into buf (256 bytes)
static const char *
s_supplier_name (const compliance_rules_contract_t *contract, char *buf)
{
    return compliance_rules_supplier_label (contract->supplier_name, contract->supplier_key,
                                            buf, 256);
}


//  --------------------------------------------------------------------------
//  Real Living Wage scope

//  Next word (a run of ASCII letters and digits and non-ASCII bytes) in
//  [*scan_p, end); false when there is none
static bool
s_word (const char **scan_p, const char *end, const char **word_p, size_t *length_p)
{
    const char *scan = *scan_p;
    while (scan < end && !isalnum ((unsigned char) *scan) && !((unsigned char) *scan & 0x80))
        scan++;
    if (scan == end) {
        *scan_p = scan;
        return false;
    }
    const char *word = scan;
    while (scan < end && (isalnum ((unsigned char) *scan) || ((unsigned char) *scan & 0x80)))
        scan++;
    *word_p = word;
    *length_p = (size_t) (scan - word);
    *scan_p = scan;
    return true;
}

//  True when the words of phrase [phrase, phrase_end) appear one after
//  another among the words of text, ASCII case ignored: "facilities
//  management" is in "Facilities Management (hard FM)", "care" is in
//  "Home care" and not in "Healthcare". A phrase with no words matches
//  nothing.
static bool
s_phrase_in (const char *phrase, const char *phrase_end, const char *text)
{
    const char *text_end = text + strlen (text);
    const char *scan = text, *word, *phrase_word, *text_word;
    size_t length, phrase_length, text_length;
    while (s_word (&scan, text_end, &word, &length)) {
        const char *phrase_scan = phrase, *text_scan = word;
        bool words = false, matched = true;
        while (s_word (&phrase_scan, phrase_end, &phrase_word, &phrase_length)) {
            words = true;
            if (!s_word (&text_scan, text_end, &text_word, &text_length)
            ||  text_length != phrase_length
            ||  strncasecmp (text_word, phrase_word, phrase_length) != 0) {
                matched = false;
                break;
            }
        }
        if (!words)
            return false;
        if (matched)
            return true;
    }
    return false;
}

//  True when category holds one of the comma-separated eligible categories
static bool
s_category_eligible (const char *categories, const char *category)
{
    const char *entry = s_text (categories);
    while (true) {
        const char *comma = strchr (entry, ',');
        const char *end = comma? comma: entry + strlen (entry);
        if (s_phrase_in (entry, end, category))
            return true;
        if (!comma)
            return false;
        entry = comma + 1;
    }
}

//  The flag with surrounding blanks ignored, compared in any case
static bool
s_flag_is (const char *flag, const char *value)
{
    flag += strspn (flag, " \t");
    size_t length = strlen (value);
    return strncasecmp (flag, value, length) == 0 && !flag [length + strspn (flag + length, " \t")];
}

bool
compliance_rules_rlw_in_scope (const compliance_rules_rlw_t *criteria, const char *flag,
                               const char *category, const char *start_date,
                               const char *end_date, const char **reason)
{
    assert (criteria);
    const char *unused;
    if (!reason)
        reason = &unused;
    flag = s_text (flag);
    if (s_flag_is (flag, "yes")) {
        *reason = "flagged in scope by the feed";
        return true;
    }
    if (s_flag_is (flag, "no")) {
        *reason = "flagged out of scope by the feed";
        return false;
    }
    if (!s_category_eligible (criteria->categories, s_text (category))) {
        *reason = "category not eligible";
        return false;
    }
    int32_t start, end;
    if (!s_day (start_date, &start) || !s_day (end_date, &end)) {
        *reason = "eligible category, dates unknown";
        return true;
    }
    if ((int64_t) end - start + 1 < (int64_t) criteria->min_weeks * 7) {
        *reason = "shorter than the minimum";
        return false;
    }
    *reason = "eligible category, long enough";
    return true;
}


//  --------------------------------------------------------------------------
//  Accreditation

//  Whether an accreditation holds on day today
static bool
s_accredited (bool accredited, const char *expiry, int32_t today)
{
    int32_t expires;
    return accredited && (!s_day (expiry, &expires) || expires >= today);
}

bool
compliance_rules_accredited (bool accredited, const char *expiry, const char *today)
{
    int32_t day;
    if (!s_day (today, &day))
        return accredited;
    return s_accredited (accredited, expiry, day);
}

bool
compliance_rules_accreditation_lapsed (const char *supplier_name, bool accredited,
                                       const char *expiry, const char *today,
                                       char *message)
{
    int32_t day, expires;
    if (!accredited || !s_day (today, &day) || !s_day (expiry, &expires) || expires >= day)
        return false;
    char date [SV_DATE_BUF], ago [32];
    s_message (message, "%s's Real Living Wage accreditation expired on %s, %s ago",
               s_text (supplier_name), sv_date_format (expires, date, sizeof date),
               s_days ((int64_t) day - expires, ago, sizeof ago));
    return true;
}


//  --------------------------------------------------------------------------
//  rlw.missing_commitment

bool
compliance_rules_missing_commitment (const compliance_rules_rlw_t *criteria,
                                     const compliance_rules_contract_t *contract,
                                     const char *today, char *message)
{
    assert (criteria);
    assert (contract);
    int32_t day, end;
    if (!s_day (today, &day))
        return false;
    if (s_day (contract->end_date, &end) && end < day)
        return false;
    const char *reason;
    if (contract->rlw_commitment
    ||  !compliance_rules_rlw_in_scope (criteria, contract->rlw_flag, contract->category,
                                        contract->start_date, contract->end_date, &reason)
    ||  s_accredited (contract->supplier_accredited, contract->supplier_expiry, day))
        return false;

    char name [300], supplier [256], why [300], supplier_state [64];
    const char *category = s_text (contract->category);
    if (streq (reason, "eligible category, long enough"))
        snprintf (why, sizeof why, "eligible category '%s', %d weeks or more", category,
                  criteria->min_weeks);
    else
    if (streq (reason, "eligible category, dates unknown"))
        snprintf (why, sizeof why, "eligible category '%s', dates unknown", category);
    else
        snprintf (why, sizeof why, "%s", reason);
    int32_t expired;
    if (contract->supplier_accredited && s_day (contract->supplier_expiry, &expired)) {
        char date [SV_DATE_BUF];
        snprintf (supplier_state, sizeof supplier_state, "its accreditation expired on %s",
                  sv_date_format (expired, date, sizeof date));
    }
    else
        snprintf (supplier_state, sizeof supplier_state, "is not accredited");
    s_message (message, "Contract %s is in Real Living Wage scope (%s) but %s has not"
               " committed to pay the Real Living Wage on it and %s",
               s_contract_name (contract, name, sizeof name), why,
               s_supplier_name (contract, supplier), supplier_state);
    return true;
}


//  --------------------------------------------------------------------------
//  rlw.renewal_due

bool
compliance_rules_renewal_due (const char *what, const char *due, int days,
                              const char *today, char *message)
{
    int32_t day, due_day;
    if (!s_day (today, &day) || !s_day (due, &due_day))
        return false;
    int64_t left = (int64_t) due_day - day;
    if (left > (days > 0? days: 0))
        return false;
    char date [SV_DATE_BUF], span [32];
    sv_date_format (due_day, date, sizeof date);
    if (left > 0)
        s_message (message, "%s: due on %s, in %s", s_text (what), date,
                   s_days (left, span, sizeof span));
    else
    if (left == 0)
        s_message (message, "%s: due today, %s", s_text (what), date);
    else
        s_message (message, "%s: overdue by %s, it was due on %s", s_text (what),
                   s_days (-left, span, sizeof span), date);
    return true;
}


//  --------------------------------------------------------------------------
//  Real Living Wage rates

//  The columns of a rates file, in this order
enum { R_YEAR, R_UK, R_LONDON, R_ANNOUNCED, R_DEADLINE, R_FIELDS };

#define S_NAMES(...) (const char *const []) { __VA_ARGS__, NULL }
static const sv_csv_field_t s_rate_fields [R_FIELDS] = {
    { "year", S_NAMES ("Year", "Rate Year"), true },
    { "uk_pence", S_NAMES ("UK Pence", "UK Rate", "UK"), true },
    { "london_pence", S_NAMES ("London Pence", "London Rate", "London"), true },
    { "announced", S_NAMES ("Announced", "Announcement Date", "Date Announced"), true },
    { "deadline", S_NAMES ("Deadline", "Implementation Deadline", "Pay By"), false },
};

//  The reader's state while one file is loaded
typedef struct {
    compliance_rules_rates_t *rates;
    sv_csv_t *reader;
    compliance_rules_error_fn *error_fn;
    void *arg;
    size_t errors;
    char reason [300];
} s_loader_t;

//  Reports one bad row (field -1: no single column), or the file
static void
s_report (s_loader_t *self, size_t line, int field, const char *value, const char *format, ...)
{
    self->errors++;
    if (!self->error_fn)
        return;
    va_list args;
    va_start (args, format);
    vsnprintf (self->reason, sizeof self->reason, format, args);
    va_end (args);
    const char *column = field >= 0 && self->reader
                       ? sv_csv_column (self->reader, (size_t) field): NULL;
    self->error_fn (line, column, value, self->reason, self->arg);
}

//  Reads whole pence, more than 0; -1 having reported the row otherwise
static int
s_pence (s_loader_t *self, size_t line, int field, const char *text, int64_t *pence_p)
{
    size_t length = strlen (text);
    if (length == 0 || length > 7 || strspn (text, "0123456789") != length) {
        if (strchr (text, '.') || strstr (text, "£"))
            s_report (self, line, field, text,
                      "expected whole pence such as 1260, not pounds");
        else
            s_report (self, line, field, text, "expected whole pence such as 1260");
        return -1;
    }
    *pence_p = atoll (text);
    if (*pence_p <= 0) {
        s_report (self, line, field, text, "a rate must be more than 0 pence");
        return -1;
    }
    return 0;
}

//  Reads an ISO or UK date; -1 having reported the row otherwise
static int
s_date (s_loader_t *self, size_t line, int field, const char *text, int32_t *day_p)
{
    const char *why = NULL;
    if (sv_date_parse (text, day_p, &why)) {
        s_report (self, line, field, text, "expected a date such as 2024-10-23: %s",
                  why? why: "not a date");
        return -1;
    }
    return 0;
}

int32_t
compliance_rules_six_months_after (int32_t day)
{
    int year, month, mday;
    sv_date_to_ymd (day, &year, &month, &mday);
    month += 6;
    if (month > 12) {
        month -= 12;
        year++;
    }
    int last = sv_date_days_in_month (year, month);
    return sv_date_from_ymd (year, month, mday > last? last: mday);
}

//  Checks one row and adds its rate. Returns 0 (always goes on, so that
//  every bad row is reported) or -1 when memory runs out.
static int
s_rate_row (const sv_csv_row_t *row, void *arg)
{
    s_loader_t *self = (s_loader_t *) arg;
    compliance_rules_rates_t *rates = self->rates;
    const char *values [R_FIELDS];
    for (size_t field = 0; field < R_FIELDS; field++)
        values [field] = row->values [field]? row->values [field]: "";
    size_t line = row->line;
    if (row->shape_error) {
        s_report (self, line, -1, NULL, "%s", row->shape_error);
        return 0;
    }
    size_t length = strlen (values [R_YEAR]);
    int year = atoi (values [R_YEAR]);
    if (length != 4 || strspn (values [R_YEAR], "0123456789") != 4
    ||  year < SV_DATE_YEAR_MIN || year > SV_DATE_YEAR_MAX) {
        s_report (self, line, R_YEAR, values [R_YEAR],
                  "expected the year the rate applies from, such as 2025");
        return 0;
    }
    s_rate_t rate = { .pub = { .year = year } };
    if (s_pence (self, line, R_UK, values [R_UK], &rate.pub.uk_pence)
    ||  s_pence (self, line, R_LONDON, values [R_LONDON], &rate.pub.london_pence)
    ||  s_date (self, line, R_ANNOUNCED, values [R_ANNOUNCED], &rate.announced))
        return 0;
    //  The deadline the Foundation announced with the rate; when the file
    //  gives none, its standing rule: six months after the announcement
    bool given = *values [R_DEADLINE] != '\0';
    if (given && s_date (self, line, R_DEADLINE, values [R_DEADLINE], &rate.deadline))
        return 0;
    if (!given)
        rate.deadline = compliance_rules_six_months_after (rate.announced);
    int deadline_year, month, mday;
    sv_date_to_ymd (rate.deadline, &deadline_year, &month, &mday);
    if (deadline_year != year) {
        if (given)
            s_report (self, line, R_DEADLINE, values [R_DEADLINE],
                      "the deadline of the %d rate must fall in %d", year, year);
        else
            s_report (self, line, R_ANNOUNCED, values [R_ANNOUNCED],
                      "no deadline given, and six months after this announcement is not"
                      " in %d, the rate's year", year);
        return 0;
    }
    if (rate.announced > rate.deadline) {
        s_report (self, line, R_ANNOUNCED, values [R_ANNOUNCED],
                  "announced after its deadline, %s", values [R_DEADLINE]);
        return 0;
    }
    for (size_t index = 0; index < rates->count; index++)
        if (rates->rates [index].pub.year == year) {
            s_report (self, line, R_YEAR, values [R_YEAR], "a second rate for %d: row %zu has one",
                      year, rates->rates [index].line);
            return 0;
        }
    sv_date_format (rate.announced, rate.pub.announced, sizeof rate.pub.announced);
    sv_date_format (rate.deadline, rate.pub.deadline, sizeof rate.pub.deadline);
    rate.line = line;
    if (rates->count == rates->slots) {
        size_t slots = rates->slots? rates->slots * 2: 16;
        s_rate_t *grown = (s_rate_t *) realloc (rates->rates, slots * sizeof (s_rate_t));
        if (!grown)
            return -1;
        rates->rates = grown;
        rates->slots = slots;
    }
    rates->rates [rates->count++] = rate;
    return 0;
}

static int
s_rate_compare (const void *left, const void *right)
{
    return ((const s_rate_t *) left)->pub.year - ((const s_rate_t *) right)->pub.year;
}

compliance_rules_rates_t *
compliance_rules_rates_load (const char *csv, size_t size,
                             compliance_rules_error_fn *error_fn, void *arg)
{
    assert (csv || size == 0);
    s_loader_t loader = { .error_fn = error_fn, .arg = arg };
    loader.rates = (compliance_rules_rates_t *) zmalloc (sizeof (compliance_rules_rates_t));
    if (loader.rates)
        loader.reader = sv_csv_new (s_rate_fields, R_FIELDS, s_rate_row, &loader);
    if (!loader.reader) {
        s_report (&loader, 0, -1, NULL, "out of memory");
        compliance_rules_rates_destroy (&loader.rates);
        return NULL;
    }
    int rc = 0;
    for (size_t at = 0; at < size && rc == 0; at += S_CHUNK)
        rc = sv_csv_feed (loader.reader, csv + at, size - at < S_CHUNK? size - at: S_CHUNK);
    if (rc == 0)
        rc = sv_csv_finish (loader.reader);
    if (rc) {
        const char *refusal = sv_csv_refusal (loader.reader);
        //  The row handler stops the reader only when memory runs out
        if (!refusal || strstr (refusal, "stopped by the row handler"))
            refusal = "out of memory";
        s_report (&loader, sv_csv_header_line (loader.reader), -1, NULL, "%s", refusal);
    }
    else
    if (loader.errors == 0 && loader.rates->count == 0)
        s_report (&loader, sv_csv_header_line (loader.reader), -1, NULL,
                  "no rates: the file has a header and no rows");
    sv_csv_destroy (&loader.reader);
    compliance_rules_rates_t *self = loader.rates;
    if (loader.errors) {
        compliance_rules_rates_destroy (&self);
        return NULL;
    }
    qsort (self->rates, self->count, sizeof (s_rate_t), s_rate_compare);
    return self;
}

compliance_rules_rates_t *
compliance_rules_rates_load_file (const char *path, compliance_rules_error_fn *error_fn,
                                  void *arg)
{
    assert (path);
    zchunk_t *file = zchunk_slurp (path, 0);
    if (!file) {
        if (error_fn) {
            char reason [300];
            snprintf (reason, sizeof reason, "cannot read %s: %s", path,
                      errno? strerror (errno): "no such file");
            error_fn (0, NULL, NULL, reason, arg);
        }
        return NULL;
    }
    compliance_rules_rates_t *self = compliance_rules_rates_load (
        (const char *) zchunk_data (file), zchunk_size (file), error_fn, arg);
    zchunk_destroy (&file);
    return self;
}

void
compliance_rules_rates_destroy (compliance_rules_rates_t **self_p)
{
    assert (self_p);
    compliance_rules_rates_t *self = *self_p;
    if (!self)
        return;
    free (self->rates);
    free (self);
    *self_p = NULL;
}

const compliance_rules_rate_t *
compliance_rules_rates_pending (const compliance_rules_rates_t *self, const char *today)
{
    assert (self);
    int32_t day;
    if (!s_day (today, &day))
        return NULL;
    //  Ascending by year: the last that is pending is the newest
    const compliance_rules_rate_t *pending = NULL;
    for (size_t index = 0; index < self->count; index++)
        if (self->rates [index].announced <= day && day <= self->rates [index].deadline)
            pending = &self->rates [index].pub;
    return pending;
}


//  --------------------------------------------------------------------------
//  delivery.shortfall

//  floor (value × numerator / denominator) for value >= 0 and 0 <=
//  numerator <= denominator, so the result is at most value: split value
//  by the denominator so that no product can overflow
static int64_t
s_scale_down (int64_t value, int64_t numerator, int64_t denominator)
{
    int64_t whole = value / denominator, rest = value % denominator;
    return whole * numerator + rest * numerator / denominator;
}

bool
compliance_rules_shortfall (const compliance_rules_contract_t *contract, const char *measure,
                            int64_t committed_milli, int64_t delivered_milli,
                            int tolerance_pct, const char *today, char *message)
{
    assert (contract);
    int32_t day, start, end;
    if (committed_milli <= 0 || !s_day (today, &day)
    ||  !s_day (contract->start_date, &start) || !s_day (contract->end_date, &end)
    ||  start >= end || day < start || day > end)
        return false;
    int tolerance = tolerance_pct < 0? 0: tolerance_pct > 100? 100: tolerance_pct;
    //  Span and elapsed are at most 300 years of days: their products with
    //  100 stay far inside int64
    int64_t expected = s_scale_down (committed_milli,
                                     ((int64_t) day - start) * (100 - tolerance),
                                     ((int64_t) end - start) * 100);
    if (delivered_milli >= expected)
        return false;
    char name [300], supplier [256], delivered [32], wanted [32], committed [32];
    char today_text [SV_DATE_BUF], start_text [SV_DATE_BUF], end_text [SV_DATE_BUF];
    s_message (message, "Contract %s (%s): %s delivered %s by %s against %s expected pro rata"
               " (%s committed for %s to %s, %d%% tolerance)",
               s_contract_name (contract, name, sizeof name),
               s_supplier_name (contract, supplier), s_text (measure),
               s_quantity (delivered_milli, delivered, sizeof delivered),
               sv_date_format (day, today_text, sizeof today_text),
               s_quantity (expected, wanted, sizeof wanted),
               s_quantity (committed_milli, committed, sizeof committed),
               sv_date_format (start, start_text, sizeof start_text),
               sv_date_format (end, end_text, sizeof end_text), tolerance);
    return true;
}


//  --------------------------------------------------------------------------
//  delivery.overdue

bool
compliance_rules_overdue (const compliance_rules_contract_t *contract,
                          const char *latest_return_end, int period_months, int grace_days,
                          const char *today, char *message)
{
    assert (contract);
    int32_t day, start, end;
    if (period_months < 1 || !s_day (today, &day) || !s_day (contract->start_date, &start))
        return false;
    bool ends = s_day (contract->end_date, &end);
    if (ends && end < start)
        return false;
    //  A period counts once it ended more than grace_days before today
    int64_t last_counted = (int64_t) day - (grace_days > 0? grace_days: 0) - 1;
    int32_t owed_start = 0, owed_end = 0;
    bool owed = false;
    for (int64_t period = 0;; period++) {
        //  Each period from the start, so that the 31st keeps its place
        int32_t from = sv_date_add_months (start, (int) (period * period_months));
        if (from > last_counted || (ends && from > end))
            break;
        int32_t to = sv_date_add_months (start, (int) ((period + 1) * period_months)) - 1;
        if (ends && to > end)
            to = end;
        if (to > last_counted)
            break;
        owed = true;
        owed_start = from;
        owed_end = to;
    }
    int32_t covered;
    bool returned = s_day (latest_return_end, &covered);
    if (!owed || (returned && covered >= owed_end))
        return false;
    char name [300], supplier [256], from_text [SV_DATE_BUF], to_text [SV_DATE_BUF], ago [32];
    char latest [80];
    if (returned) {
        char covered_text [SV_DATE_BUF];
        snprintf (latest, sizeof latest, "the latest return covers up to %s",
                  sv_date_format (covered, covered_text, sizeof covered_text));
    }
    else
        snprintf (latest, sizeof latest, "no return received yet");
    s_message (message, "Contract %s (%s): no delivery return for %s to %s, which ended %s"
               " ago; %s", s_contract_name (contract, name, sizeof name),
               s_supplier_name (contract, supplier), sv_date_format (owed_start, from_text, sizeof from_text),
               sv_date_format (owed_end, to_text, sizeof to_text),
               s_days ((int64_t) day - owed_end, ago, sizeof ago), latest);
    return true;
}


//  --------------------------------------------------------------------------
//  Self test

//  Collects the errors of a rates load
typedef struct {
    size_t count;
    char text [8][300];
} s_test_errors_t;

static void
s_test_error (size_t line, const char *column, const char *value, const char *reason,
              void *arg)
{
    s_test_errors_t *errors = (s_test_errors_t *) arg;
    assert (reason && *reason);
    if (errors->count < 8) {
        sv_csv_error_t error = { line, column, value, reason };
        sv_csv_error_format (&error, errors->text [errors->count], sizeof errors->text [0]);
    }
    errors->count++;
}

static compliance_rules_rates_t *
s_test_rates (const char *text, s_test_errors_t *errors)
{
    memset (errors, 0, sizeof *errors);
    return compliance_rules_rates_load (text, strlen (text), s_test_error, errors);
}

//  Runs a rule that takes a message and prints the message when verbose
#define S_TEST_FIRES(verbose, message, call) \
    (memset (message, 0, COMPLIANCE_RULES_MESSAGE_MAX), \
     (call)? ((verbose)? printf ("   fires: %s\n", message): 0, true): \
             (assert (*(message) == 0), false))

void
compliance_rules_test (bool verbose)
{
    if (verbose)
        printf (" * compliance_rules:\n");
    char message [COMPLIANCE_RULES_MESSAGE_MAX];
    const char *reason = NULL;

    //  Scope: the feed's flag decides when it says yes or no
    compliance_rules_rlw_t criteria = {
        "cleaning,security,catering,care,facilities management", 8
    };
    assert (compliance_rules_rlw_in_scope (&criteria, "yes", "IT services", "2025-04-01",
                                           "2025-04-01", &reason));
    assert (streq (reason, "flagged in scope by the feed"));
    assert (compliance_rules_rlw_in_scope (&criteria, "YES", "", "", "", &reason));
    assert (!compliance_rules_rlw_in_scope (&criteria, "no", "Cleaning services", "2025-04-01",
                                            "2027-03-31", &reason));
    assert (streq (reason, "flagged out of scope by the feed"));
    //  Derived: an eligible category as whole words, any case or punctuation
    const char *eligible [] = {
        "Cleaning services", "Home care", "Care", "Domiciliary Care - adults",
        "SECURITY-guarding", "Catering/Cleaning", "Facilities Management (hard FM)",
        "Children's care homes"
    };
    for (size_t index = 0; index < sizeof eligible / sizeof eligible [0]; index++) {
        assert (compliance_rules_rlw_in_scope (&criteria, "derive", eligible [index],
                                               "2025-04-01", "2026-03-31", &reason));
        assert (streq (reason, "eligible category, long enough"));
    }
    //  Not at a word boundary, or only part of a phrase: not eligible
    const char *not_eligible [] = {
        "Healthcare", "Carers support", "Skincare products", "Facilities",
        "Management consultancy", "Cybersecurity", "IT services", ""
    };
    for (size_t index = 0; index < sizeof not_eligible / sizeof not_eligible [0]; index++) {
        assert (!compliance_rules_rlw_in_scope (&criteria, "", not_eligible [index],
                                                "2025-04-01", "2026-03-31", &reason));
        assert (streq (reason, "category not eligible"));
    }
    //  Duration, end - start + 1 days: 55 days is short of 8 weeks, 56 is not
    assert (!compliance_rules_rlw_in_scope (&criteria, "derive", "Cleaning", "2025-01-01",
                                            "2025-02-24", &reason));
    assert (streq (reason, "shorter than the minimum"));
    assert (compliance_rules_rlw_in_scope (&criteria, "derive", "Cleaning", "2025-01-01",
                                           "2025-02-25", &reason));
    assert (streq (reason, "eligible category, long enough"));
    //  Unknown dates count as long enough: the council is warned
    assert (compliance_rules_rlw_in_scope (&criteria, "derive", "Cleaning", "2025-01-01", "",
                                           &reason));
    assert (streq (reason, "eligible category, dates unknown"));
    assert (compliance_rules_rlw_in_scope (&criteria, "derive", "Cleaning", "soon",
                                           "2025-02-24", &reason));
    assert (streq (reason, "eligible category, dates unknown"));
    assert (compliance_rules_rlw_in_scope (&criteria, NULL, "Cleaning", NULL, NULL, NULL));

    //  Accreditation: holds up to and on its expiry, or with none
    assert (compliance_rules_accredited (true, "", "2025-07-01"));
    assert (compliance_rules_accredited (true, "2025-06-30", "2025-06-30"));
    assert (!compliance_rules_accredited (true, "2025-06-30", "2025-07-01"));
    assert (!compliance_rules_accredited (false, "2030-01-01", "2025-07-01"));
    assert (!compliance_rules_accredited (false, "", "2025-07-01"));

    //  rlw.missing_commitment over a contract's life. The supplier's
    //  accreditation holds until 30 June 2025.
    compliance_rules_contract_t contract = {
        .partner = "rotherham", .contract_id = "C-101", .title = "Office cleaning",
        .supplier_key = "GB-COH-01234567", .supplier_name = "Sparkle Cleaning Ltd",
        .category = "Cleaning services", .start_date = "2025-04-01",
        .end_date = "2027-03-31", .rlw_flag = "derive", .rlw_commitment = false,
        .supplier_accredited = true, .supplier_expiry = "2025-06-30"
    };
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_missing_commitment (
                               &criteria, &contract, "2025-06-30", message)));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_missing_commitment (
                              &criteria, &contract, "2025-07-01", message)));
    assert (streq (message, "Contract C-101 'Office cleaning' is in Real Living Wage scope"
                   " (eligible category 'Cleaning services', 8 weeks or more) but Sparkle"
                   " Cleaning Ltd has not committed to pay the Real Living Wage on it and its"
                   " accreditation expired on 2025-06-30"));
    //  The supplier renews: quiet until the renewal lapses in turn
    contract.supplier_expiry = "2026-06-30";
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_missing_commitment (
                               &criteria, &contract, "2025-07-15", message)));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_missing_commitment (
                              &criteria, &contract, "2026-07-01", message)));
    assert (strstr (message, "its accreditation expired on 2026-06-30"));
    //  A commitment on the contract settles it, accredited or not
    contract.rlw_commitment = true;
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_missing_commitment (
                               &criteria, &contract, "2026-07-01", message)));
    //  Never accredited, no commitment; warned before it starts, not after it ends
    contract.rlw_commitment = false;
    contract.supplier_accredited = false;
    contract.supplier_expiry = "";
    assert (S_TEST_FIRES (verbose, message, compliance_rules_missing_commitment (
                              &criteria, &contract, "2025-01-01", message)));
    assert (strstr (message, "Sparkle Cleaning Ltd has not committed to pay the Real Living"
                    " Wage on it and is not accredited"));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_missing_commitment (
                              &criteria, &contract, "2027-03-31", message)));
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_missing_commitment (
                               &criteria, &contract, "2027-04-01", message)));
    //  ... nor when out of scope, nor with no readable today
    contract.rlw_flag = "no";
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_missing_commitment (
                               &criteria, &contract, "2025-07-01", message)));
    contract.rlw_flag = "derive";
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_missing_commitment (
                               &criteria, &contract, "", message)));
    contract.category = "Healthcare";
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_missing_commitment (
                               &criteria, &contract, "2025-07-01", message)));
    contract.rlw_flag = "yes";
    contract.title = "";
    //  With no name from any feed, the key is made readable, never shown bare
    contract.supplier_name = "";
    contract.supplier_key = "CH:01234567";
    assert (S_TEST_FIRES (verbose, message, compliance_rules_missing_commitment (
                              &criteria, &contract, "2025-07-01", message)));
    assert (streq (message, "Contract C-101 is in Real Living Wage scope (flagged in scope by"
                   " the feed) but the company registered as 01234567 has not committed to"
                   " pay the Real Living Wage on it and is not accredited"));
    char label [256];
    assert (streq (compliance_rules_supplier_label ("", "ID:S1", label, sizeof label),
                   "supplier S1"));
    assert (streq (compliance_rules_supplier_label (NULL, "NAME:ACME LTD", label, sizeof label),
                   "ACME LTD"));
    assert (streq (compliance_rules_supplier_label ("Acme Ltd", "CH:1", label, sizeof label),
                   "Acme Ltd"));
    contract.rlw_flag = "derive";
    contract.category = "Home care";
    contract.end_date = "";
    assert (S_TEST_FIRES (verbose, message, compliance_rules_missing_commitment (
                              &criteria, &contract, "2025-07-01", message)));
    assert (strstr (message, "(eligible category 'Home care', dates unknown)"));
    //  Too short by a day: 55 days
    contract.start_date = "2025-01-01";
    contract.end_date = "2025-02-24";
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_missing_commitment (
                               &criteria, &contract, "2025-01-15", message)));
    contract.end_date = "2025-02-25";
    assert (S_TEST_FIRES (verbose, message, compliance_rules_missing_commitment (
                              &criteria, &contract, "2025-01-15", message)));

    //  rlw.accreditation_lapsed: fires from the day after expiry until renewed
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_accreditation_lapsed (
                               "Sparkle Cleaning Ltd", true, "2025-06-30", "2025-06-30", message)));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_accreditation_lapsed (
                              "Sparkle Cleaning Ltd", true, "2025-06-30", "2025-07-01", message)));
    assert (streq (message, "Sparkle Cleaning Ltd's Real Living Wage accreditation expired on"
                   " 2025-06-30, 1 day ago"));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_accreditation_lapsed (
                              "Sparkle Cleaning Ltd", true, "2025-06-30", "2025-08-30", message)));
    assert (strstr (message, "expired on 2025-06-30, 61 days ago"));
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_accreditation_lapsed (
                               "Sparkle Cleaning Ltd", true, "2026-06-30", "2025-08-30", message)));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_accreditation_lapsed (
                              "Sparkle Cleaning Ltd", true, "2026-06-30", "2026-07-01", message)));
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_accreditation_lapsed (
                               "Sparkle Cleaning Ltd", false, "2025-06-30", "2025-08-30",
                               message)));
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_accreditation_lapsed (
                               "Sparkle Cleaning Ltd", true, "", "2025-08-30", message)));

    //  rlw.renewal_due: 60 days ahead, then on and after the day
    const char *what = "council's Real Living Wage accreditation renewal";
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_renewal_due (
                               what, "2025-09-30", 60, "2025-07-31", message)));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_renewal_due (
                              what, "2025-09-30", 60, "2025-08-01", message)));
    assert (streq (message, "council's Real Living Wage accreditation renewal: due on"
                   " 2025-09-30, in 60 days"));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_renewal_due (
                              what, "2025-09-30", 60, "2025-09-29", message)));
    assert (strstr (message, ": due on 2025-09-30, in 1 day"));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_renewal_due (
                              what, "2025-09-30", 60, "2025-09-30", message)));
    assert (strstr (message, ": due today, 2025-09-30"));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_renewal_due (
                              what, "2025-09-30", 60, "2025-10-03", message)));
    assert (strstr (message, ": overdue by 3 days, it was due on 2025-09-30"));
    //  A new date in the config clears it; an unknown date never fires
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_renewal_due (
                               what, "2026-09-30", 60, "2025-10-03", message)));
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_renewal_due (
                               what, "", 60, "2025-10-03", message)));
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_renewal_due (
                               what, "2025-09-30", 0, "2025-09-29", message)));

    //  Rates: the bundled file, with the rate announced on 23 October 2024
    s_test_errors_t errors = { 0 };
    compliance_rules_rates_t *rates =
        compliance_rules_rates_load_file ("deploy/data/rlw-rates.csv", s_test_error, &errors);
    assert (rates && errors.count == 0);
    assert (compliance_rules_rates_pending (rates, "2024-10-22") == NULL);
    const compliance_rules_rate_t *rate = compliance_rules_rates_pending (rates, "2024-10-23");
    assert (rate && rate->year == 2025);
    assert (rate->uk_pence == 1260 && rate->london_pence == 1385);
    assert (streq (rate->announced, "2024-10-23") && streq (rate->deadline, "2025-05-01"));
    assert (compliance_rules_rates_pending (rates, "2025-05-01") == rate);
    assert (compliance_rules_rates_pending (rates, "2025-05-02") == NULL);
    assert (compliance_rules_rates_pending (rates, "") == NULL);
    //  The oldest row: 7.45 in the UK data (its "2012"), announced 5 November 2012
    rate = compliance_rules_rates_pending (rates, "2013-01-01");
    assert (rate && rate->year == 2013 && rate->uk_pence == 745 && rate->london_pence == 855);
    //  The pending rate's deadline drives rlw.renewal_due 60 days ahead
    rate = compliance_rules_rates_pending (rates, "2025-03-02");
    assert (rate && rate->year == 2025);
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_renewal_due (
                               "the 2025 rate", rate->deadline, 60, "2025-03-01", message)));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_renewal_due (
                              "the 2025 rate", rate->deadline, 60, "2025-03-02", message)));
    assert (streq (message, "the 2025 rate: due on 2025-05-01, in 60 days"));
    //  The deadlines as the Foundation announced them: 15 May 2022 (six
    //  months after 15 November 2021), 14 May 2023 for the rate announced
    //  early, on 22 September 2022; 1 May 2026 for 22 October 2025's
    //  £13.45 and £14.80
    rate = compliance_rules_rates_pending (rates, "2021-11-15");
    assert (rate && rate->year == 2022 && streq (rate->deadline, "2022-05-15"));
    rate = compliance_rules_rates_pending (rates, "2022-09-22");
    assert (rate && rate->year == 2023 && streq (rate->deadline, "2023-05-14"));
    rate = compliance_rules_rates_pending (rates, "2025-10-22");
    assert (rate && rate->year == 2026 && rate->uk_pence == 1345 && rate->london_pence == 1480);
    assert (streq (rate->deadline, "2026-05-01"));
    //  An older row without a deadline: six months after 31 October 2016,
    //  clamped to April's last day
    rate = compliance_rules_rates_pending (rates, "2016-11-01");
    assert (rate && rate->year == 2017 && streq (rate->deadline, "2017-04-30"));
    compliance_rules_rates_destroy (&rates);
    compliance_rules_rates_destroy (&rates);
    assert (rates == NULL);

    //  A row without a deadline is due six months after its announcement
    rates = s_test_rates ("year,uk_pence,london_pence,announced,deadline\n"
                          "2022,990,1105,2021-11-15,\n"
                          "2032,2100,2300,2031-08-31,\n", &errors);
    assert (rates && errors.count == 0);
    rate = compliance_rules_rates_pending (rates, "2021-12-01");
    assert (rate && streq (rate->deadline, "2022-05-15"));
    rate = compliance_rules_rates_pending (rates, "2031-09-01");
    assert (rate && streq (rate->deadline, "2032-02-29"));
    compliance_rules_rates_destroy (&rates);
    //  A file with no deadline column at all: the same rule
    rates = s_test_rates ("year,uk_pence,london_pence,announced\n"
                          "2026,1345,1480,2025-10-22\n", &errors);
    assert (rates && errors.count == 0);
    rate = compliance_rules_rates_pending (rates, "2025-10-22");
    assert (rate && streq (rate->deadline, "2026-04-22"));
    compliance_rules_rates_destroy (&rates);
    //  A malformed deadline is its row's error, naming row and column
    rates = s_test_rates ("year,uk_pence,london_pence,announced,deadline\n"
                          "2022,990,1105,2021-11-15,2022-05-15\n"
                          "2023,1090,1195,2022-09-22,14 Mai 2023\n"
                          "2024,1200,1315,2023-10-24,\n", &errors);
    assert (rates == NULL && errors.count == 1);
    assert (strstr (errors.text [0], "row 3, column 'deadline', value '14 Mai 2023': "
                    "expected a date such as 2024-10-23"));
    //  No deadline, and six months on is past the rate's year
    rates = s_test_rates ("year,uk_pence,london_pence,announced,deadline\n"
                          "2022,990,1105,2021-05-15,\n", &errors);
    assert (rates == NULL && errors.count == 1);
    assert (streq (errors.text [0], "row 2, column 'announced', value '2021-05-15': no deadline"
                   " given, and six months after this announcement is not in 2022, the rate's"
                   " year"));

    //  Two rates pending at once (the next announced before the last is
    //  due): the newer one; headers worded another way, a UK date
    rates = s_test_rates ("Year,UK Rate,London Rate,Date Announced,Deadline\n"
                          "2031,2000,2200,2030-04-20,2031-05-01\n"
                          "2030,1900,2100,01/04/2030,2030-05-01\n", &errors);
    assert (rates && errors.count == 0);
    rate = compliance_rules_rates_pending (rates, "2030-04-15");
    assert (rate && rate->year == 2030 && streq (rate->announced, "2030-04-01"));
    rate = compliance_rules_rates_pending (rates, "2030-04-25");
    assert (rate && rate->year == 2031 && rate->uk_pence == 2000);
    rate = compliance_rules_rates_pending (rates, "2030-05-02");
    assert (rate && rate->year == 2031);
    compliance_rules_rates_destroy (&rates);

    //  Bad rows are each named, and nothing is loaded
    rates = s_test_rates ("year,uk_pence,london_pence,announced,deadline\n"
                          "2025,1260,1385,2024-10-23,2025-05-01\n"      //  2 good
                          "2026,13.45,1480,2025-10-22,2026-05-01\n"     //  3
                          "26,1345,1480,2025-10-22,2026-05-01\n"        //  4
                          "2026,1345,0,2025-10-22,2026-05-01\n"         //  5
                          "2026,1345,1480,2025-10-32,2026-05-01\n"      //  6
                          "2026,1345,1480,2025-10-22,2025-05-01\n"      //  7
                          "2026,1345,1480,2026-10-22,2026-05-01\n"      //  8
                          "2025,1345,1480,2025-10-22,2025-11-01\n"      //  9
                          "2026,1345,1480\n", &errors);                 //  10
    assert (rates == NULL);
    if (verbose)
        for (size_t index = 0; index < errors.count && index < 8; index++)
            printf ("   %s\n", errors.text [index]);
    assert (errors.count == 8);
    assert (streq (errors.text [0], "row 3, column 'uk_pence', value '13.45': "
                   "expected whole pence such as 1260, not pounds"));
    assert (streq (errors.text [1], "row 4, column 'year', value '26': "
                   "expected the year the rate applies from, such as 2025"));
    assert (streq (errors.text [2], "row 5, column 'london_pence', value '0': "
                   "a rate must be more than 0 pence"));
    assert (strstr (errors.text [3], "row 6, column 'announced', value '2025-10-32': "
                    "expected a date such as 2024-10-23: "));
    assert (streq (errors.text [4], "row 7, column 'deadline', value '2025-05-01': "
                   "the deadline of the 2026 rate must fall in 2026"));
    assert (streq (errors.text [5], "row 8, column 'announced', value '2026-10-22': "
                   "announced after its deadline, 2026-05-01"));
    assert (streq (errors.text [6], "row 9, column 'year', value '2025': "
                   "a second rate for 2025: row 2 has one"));
    assert (streq (errors.text [7], "row 10: 3 cells where the header has 5"));
    //  Refused whole: no rows, a missing column, no file
    rates = s_test_rates ("year,uk_pence,london_pence,announced,deadline\n", &errors);
    assert (rates == NULL && errors.count == 1);
    assert (streq (errors.text [0], "row 1: no rates: the file has a header and no rows"));
    rates = s_test_rates ("year,uk_pence,announced,deadline\n2025,1260,2024-10-23,2025-05-01\n",
                          &errors);
    assert (rates == NULL && errors.count == 1);
    assert (strstr (errors.text [0], "no column for london_pence"));
    memset (&errors, 0, sizeof errors);
    rates = compliance_rules_rates_load_file ("deploy/data/no-such-rates.csv", s_test_error,
                                              &errors);
    assert (rates == NULL && errors.count == 1);
    assert (strstr (errors.text [0], "cannot read deploy/data/no-such-rates.csv"));

    //  delivery.shortfall: a one-year contract, 52 units committed, 10%
    //  tolerance. Mid-year (182 of 364 days) the floor is 52 × 0.5 × 0.9.
    contract = (compliance_rules_contract_t) {
        .partner = "rotherham", .contract_id = "C-202", .title = "Grounds maintenance",
        .supplier_key = "GB-COH-07654321", .supplier_name = "Green Acres Ltd",
        .category = "Grounds maintenance", .start_date = "2025-04-01",
        .end_date = "2026-03-31", .rlw_flag = "derive", .rlw_commitment = true,
        .supplier_accredited = true, .supplier_expiry = ""
    };
    assert (S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                              &contract, "ILL-JOB-07", 52000, 20000, 10, "2025-09-30", message)));
    assert (streq (message, "Contract C-202 'Grounds maintenance' (Green Acres Ltd): ILL-JOB-07 delivered 20 by"
                   " 2025-09-30 against 23.4 expected pro rata (52 committed for 2025-04-01 to"
                   " 2026-03-31, 10% tolerance)"));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                              &contract, "ILL-JOB-07", 52000, 23399, 10, "2025-09-30", message)));
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                               &contract, "ILL-JOB-07", 52000, 23400, 10, "2025-09-30", message)));
    //  A return of 24 clears it; by 31 January (305 days) the floor is
    //  floor (52000 × 305 × 90 / 36400) = 39214 thousandths, so it fires again
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                               &contract, "ILL-JOB-07", 52000, 24000, 10, "2025-09-30", message)));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                              &contract, "ILL-JOB-07", 52000, 24000, 10, "2026-01-31", message)));
    assert (strstr (message, "delivered 24 by 2026-01-31 against 39.214 expected pro rata"));
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                               &contract, "ILL-JOB-07", 52000, 39214, 10, "2026-01-31", message)));
    //  Only while active: not before the start, on the first day, or after the end
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                               &contract, "ILL-JOB-07", 52000, 0, 10, "2025-03-31", message)));
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                               &contract, "ILL-JOB-07", 52000, 0, 10, "2025-04-01", message)));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                              &contract, "ILL-JOB-07", 52000, 0, 10, "2026-03-31", message)));
    assert (strstr (message, "delivered 0 by 2026-03-31 against 46.8 expected"));
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                               &contract, "ILL-JOB-07", 52000, 0, 10, "2026-04-01", message)));
    //  Nothing committed, tolerance 100%, or dates unknown: never
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                               &contract, "ILL-JOB-07", 0, 0, 10, "2025-09-30", message)));
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                               &contract, "ILL-JOB-07", 52000, 0, 100, "2025-09-30", message)));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                              &contract, "ILL-JOB-07", 52000, 25999, 0, "2025-09-30", message)));
    assert (strstr (message, "against 26 expected pro rata (52 committed for 2025-04-01 to"
                    " 2026-03-31, 0% tolerance)"));
    contract.end_date = "";
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                               &contract, "ILL-JOB-07", 52000, 0, 10, "2025-09-30", message)));
    contract.end_date = "2025-04-01";
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                               &contract, "ILL-JOB-07", 52000, 0, 10, "2025-04-01", message)));
    //  The largest commitment does not overflow: half of it, rounded down
    contract.end_date = "2026-03-31";
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                               &contract, "ILL-JOB-07", INT64_MAX, INT64_MAX / 2, 0, "2025-09-30",
                               message)));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_shortfall (
                              &contract, "ILL-JOB-07", INT64_MAX, INT64_MAX / 2 - 1, 0,
                              "2025-09-30", message)));
    assert (strstr (message, "against 4611686018427387.903 expected"));

    //  delivery.overdue: quarterly returns, 30 days' grace, first quarter
    //  1 April - 30 June 2025
    const char *none = "";
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_overdue (
                               &contract, none, 3, 30, "2025-07-30", message)));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_overdue (
                              &contract, none, 3, 30, "2025-07-31", message)));
    assert (streq (message, "Contract C-202 'Grounds maintenance' (Green Acres Ltd): no delivery"
                   " return for 2025-04-01 to 2025-06-30, which ended 31 days ago; no return"
                   " received yet"));
    //  The return arrives; the next quarter falls due 31 October
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_overdue (
                               &contract, "2025-06-30", 3, 30, "2025-07-31", message)));
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_overdue (
                               &contract, "2025-06-30", 3, 30, "2025-10-30", message)));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_overdue (
                              &contract, "2025-06-30", 3, 30, "2025-10-31", message)));
    assert (strstr (message, "no delivery return for 2025-07-01 to 2025-09-30, which ended"
                    " 31 days ago; the latest return covers up to 2025-06-30"));
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_overdue (
                               &contract, "2025-09-30", 3, 30, "2025-10-31", message)));
    //  The last quarter is owed after the contract ends, and nothing after it
    assert (S_TEST_FIRES (verbose, message, compliance_rules_overdue (
                              &contract, "2025-12-31", 3, 30, "2026-05-01", message)));
    assert (strstr (message, "2026-01-01 to 2026-03-31, which ended 31 days ago"));
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_overdue (
                               &contract, "2026-03-31", 3, 30, "2030-01-01", message)));
    //  An early end cuts the last period short
    contract.end_date = "2025-11-15";
    assert (S_TEST_FIRES (verbose, message, compliance_rules_overdue (
                              &contract, "2025-09-30", 3, 30, "2025-12-16", message)));
    assert (strstr (message, "2025-10-01 to 2025-11-15, which ended 31 days ago"));
    //  No end date: periods go on
    contract.end_date = "";
    assert (S_TEST_FIRES (verbose, message, compliance_rules_overdue (
                              &contract, "2026-09-30", 3, 30, "2027-01-31", message)));
    assert (strstr (message, "2026-10-01 to 2026-12-31, which ended 31 days ago"));
    //  Monthly from the 31st: periods keep their place after February
    contract.start_date = "2025-01-31";
    assert (S_TEST_FIRES (verbose, message, compliance_rules_overdue (
                              &contract, "not a date", 1, 0, "2025-02-28", message)));
    assert (strstr (message, "2025-01-31 to 2025-02-27, which ended 1 day ago; no return"));
    assert (S_TEST_FIRES (verbose, message, compliance_rules_overdue (
                              &contract, "2025-02-27", 1, 0, "2025-04-01", message)));
    assert (strstr (message, "2025-02-28 to 2025-03-30, which ended 2 days ago"));
    //  Unknown start, or no period length: never
    contract.start_date = "";
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_overdue (
                               &contract, none, 3, 30, "2027-01-31", message)));
    contract.start_date = "2025-04-01";
    assert (!S_TEST_FIRES (verbose, message, compliance_rules_overdue (
                               &contract, none, 0, 30, "2027-01-31", message)));

    //  A long title is cut at a character boundary, within the limit
    char title [700];
    for (size_t at = 0; at + 2 < sizeof title; at += 2)
        memcpy (title + at, "\xC3\xA9", 2);             //  é
    title [sizeof title - 2] = 0;
    contract.title = title;
    contract.end_date = "2026-03-31";
    assert (S_TEST_FIRES (false, message, compliance_rules_overdue (
                              &contract, none, 3, 30, "2025-07-31", message)));
    assert (strlen (message) < COMPLIANCE_RULES_MESSAGE_MAX);
    assert (strlen (message) % 2 == 0);                 //  "Contract C-202 '" is 16 bytes

    if (verbose)
        printf ("   OK\n");
}
