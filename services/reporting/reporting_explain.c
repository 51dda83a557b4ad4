/*  reporting_explain: how one figure of a report is made. See
    reporting_explain.h; the document it answers is EXPLAIN_JSON.md.
*/

#include "reporting_explain.h"
#include "sv_date.h"

//  Path segments a figure's path may have, and the longest name or key
#define S_MAX_SEGMENTS  8
#define S_MAX_TEXT      256

//  One segment of a path: a member name, and the key of the element
//  picked from the list it names, if any
typedef struct {
    char name [S_MAX_TEXT];
    char key [S_MAX_TEXT];
    bool keyed;
    json_t *element;            //  the element the key picked (borrowed)
} s_segment_t;

//  The figures made of lines, by their path with keys left out. The last
//  name says what is summed; the lists on the way narrow the lines.
static const char *const s_traceable [] = {
    //  annual
    "spend.rows", "spend.total_pence", "spend.local_pence", "spend.non_local_pence",
    "spend.unknown_locality_pence", "spend.previous_year_local_pence",
    "spend.additional_local_pence", "spend.sme_pence", "spend.vcse_pence",
    "spend.employee_owned_pence",
    "spend.by_month[].local_pence", "spend.by_month[].non_local_pence",
    "spend.by_month[].unknown_pence",
    "spend.by_ward[].local_pence", "spend.by_ward[].payments",
    "social_value.committed_pence", "social_value.delivered_pence",
    "social_value.flagged_lines",
    "social_value.by_theme[].committed_pence", "social_value.by_theme[].delivered_pence",
    "social_value.by_measure[].committed_qty", "social_value.by_measure[].delivered_qty",
    "social_value.by_measure[].committed_pence", "social_value.by_measure[].delivered_pence",
    "social_value.top_contracts[].delivered_pence",
    "social_value.by_ward[].deliveries", "social_value.by_ward[].delivered_pence",
    "social_value.by_beneficiary_group[].deliveries",
    "social_value.by_beneficiary_group[].delivered_pence",
    //  partnership
    "network.spend_total_pence", "network.local_pence", "network.unknown_locality_pence",
    "network.additional_local_pence", "network.committed_pence", "network.delivered_pence",
    "by_partner[].spend_total_pence", "by_partner[].local_pence",
    "by_partner[].unknown_locality_pence", "by_partner[].additional_local_pence",
    "by_partner[].committed_pence", "by_partner[].delivered_pence",
    "by_partner[].by_theme[].committed_pence", "by_partner[].by_theme[].delivered_pence",
    //  contracts
    "contracts[].committed_qty", "contracts[].delivered_qty", "contracts[].committed_pence",
    "contracts[].delivered_pence", "contracts[].claimed", "contracts[].evidenced",
    "contracts[].validated", "contracts[].previous_delivered_pence",
    "contracts[].committed_unvalued", "contracts[].delivered_unvalued",
    //  kpi: the targets and actuals made of lines (s_kpi_untraceable)
    "kpis[].target_qty", "kpis[].actual_qty",
    NULL
};

//  Members that name a list's element, in the order a key is looked for
static const char *const s_identities [] = {
    "measure", "theme", "month", "ward_code", "ward", "ward_name", "group", "contract",
    "partner", "alert_id", "rule", "kpi", NULL
};

//  Members an element may also be keyed by together, joined by "/" in
//  this order ("toms/NT1", "C-1/NT1", "council/C-1/toms/NT1",
//  "C-1/SV-NT10"): a contracts row is one partner's contract's measure of
//  one framework, a KPI one contract's
static const char *const s_parts [] = { "partner", "contract", "framework", "measure", "kpi" };
#define S_PARTS (sizeof s_parts / sizeof s_parts [0])

//  The source of a KPI whose target and actual are a contract's lines,
//  and of one whose actual alone is
#define S_KPI_SOCIAL_VALUE "social value commitment"
#define S_KPI_FROM_RETURNS "KPI feed, actual from returns"

//  Appends to *text (a fresh string, or NULL for "") what format makes
static void
s_append (char **text, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *part = zsys_vprintf (format, args);
    va_end (args);
    char *joined = zsys_sprintf ("%s%s", *text? *text: "", part);
    zstr_free (&part);
    zstr_free (text);
    *text = joined;
}

//  ==========================================================================
//  Paths

//  Splits path into segments; -1 with reason when it is malformed
static int
s_parse (const char *path, s_segment_t *segments, size_t *count_p, char *reason,
         size_t size)
{
    size_t count = 0;
    const char *cursor = path;
    while (true) {
        if (count == S_MAX_SEGMENTS) {
            snprintf (reason, size, "figure '%s' has more than %d parts", path, S_MAX_SEGMENTS);
            return -1;
        }
        s_segment_t *segment = &segments [count];
        memset (segment, 0, sizeof *segment);
        size_t length = strcspn (cursor, ".[]");
        if (length == 0 || length >= S_MAX_TEXT) {
            snprintf (reason, size, "figure '%s': expected a name at character %zu,"
                      " as in spend.local_pence", path, (size_t) (cursor - path) + 1);
            return -1;
        }
        memcpy (segment->name, cursor, length);
        cursor += length;
        if (*cursor == '[') {
            //  A key runs to its closing bracket: it may hold dots
            const char *end = strchr (cursor + 1, ']');
            length = end? (size_t) (end - cursor - 1): 0;
            if (!end || length == 0 || length >= S_MAX_TEXT) {
                snprintf (reason, size, "figure '%s': a list's element is picked by a key"
                          " in brackets, as in by_measure[NT10]", path);
                return -1;
            }
            memcpy (segment->key, cursor + 1, length);
            segment->keyed = true;
            cursor = end + 1;
        }
        count++;
        if (*cursor == 0)
            break;
        if (*cursor != '.') {
            snprintf (reason, size, "figure '%s': unexpected '%c' at character %zu", path,
                      *cursor, (size_t) (cursor - path) + 1);
            return -1;
        }
        cursor++;
    }
    *count_p = count;
    return 0;
}

//  The key of element that names it alone in the list called list: a
//  contracts row's PARTNER/CONTRACT/FRAMEWORK/MEASURE, a KPI's
//  PARTNER/CONTRACT/KPI, else its first identity member that is a string
//  other than ""; a fresh string, or NULL when it has none
static char *
s_element_key (const char *list, json_t *element)
{
    const char *const contracts [] = { "partner", "contract", "framework", "measure", NULL };
    const char *const kpis [] = { "partner", "contract", "kpi", NULL };
    const char *const *parts = streq (list, "contracts")? contracts
                             : streq (list, "kpis")? kpis: NULL;
    char *key = NULL;
    for (int index = 0; parts && parts [index]; index++) {
        const char *value = json_string_value (json_object_get (element, parts [index]));
        s_append (&key, "%s%s", index? "/": "", value? value: "");
    }
    if (key)
        return key;
    for (int index = 0; s_identities [index]; index++) {
        const char *value = json_string_value (json_object_get (element, s_identities [index]));
        if (value && *value)
            return strdup (value);
    }
    return NULL;
}

//  Whether key names element by two or more of its s_parts joined by "/"
//  in their order ("FRAMEWORK/CODE": a measure code is one framework's,
//  and two frameworks may use one code)
static bool
s_parts_key (json_t *element, const char *key)
{
    const char *values [S_PARTS];
    for (size_t part = 0; part < S_PARTS; part++) {
        values [part] = json_string_value (json_object_get (element, s_parts [part]));
        if (values [part] && !*values [part])
            values [part] = NULL;
    }
    //  Every subset of the parts the element has, as a bit set
    for (unsigned subset = 1; subset < (1u << S_PARTS); subset++) {
        if (__builtin_popcount (subset) < 2)
            continue;
        const char *cursor = key;
        bool match = true;
        for (size_t part = 0; part < S_PARTS && match; part++) {
            if (!(subset & (1u << part)))
                continue;
            size_t length = values [part]? strlen (values [part]): 0;
            match = values [part] && (cursor == key || *cursor++ == '/')
                 && strncmp (cursor, values [part], length) == 0;
            cursor += match? length: 0;
        }
        if (match && *cursor == 0)
            return true;
    }
    return false;
}

//  Elements of list whose member (an identity member, or two or more of
//  its s_parts, or, when none matches, any string member) equals key: the
//  first two in picked, their number returned
static size_t
s_pick (json_t *list, const char *key, json_t *picked [2])
{
    picked [0] = picked [1] = NULL;
    for (int pass = 0; pass < 2; pass++) {
        size_t found = 0, index;
        json_t *element;
        json_array_foreach (list, index, element) {
            bool match = false;
            if (pass == 0) {
                for (int identity = 0; s_identities [identity] && !match; identity++) {
                    const char *value = json_string_value (
                        json_object_get (element, s_identities [identity]));
                    match = value && streq (value, key);
                }
                match = match || s_parts_key (element, key);
            }
            else {
                const char *name;
                json_t *value;
                json_object_foreach (element, name, value)
                    if (json_is_string (value) && streq (json_string_value (value), key))
                        match = true;
            }
            if (match && found < 2)
                picked [found] = element;
            found += match;
        }
        if (found)
            return found;
    }
    return 0;
}

//  Why key, picking several elements of the list called list (the first
//  two in picked), names none: what to add. A fresh string.
static char *
s_pick_refusal (const char *figure, const char *list, const char *key, size_t found,
                json_t *picked [2])
{
    char *first = s_element_key (list, picked [0]);
    char *second = s_element_key (list, picked [1]);
    char *what = NULL;
    if (first && second && streq (first, second) && streq (list, "kpis"))
        what = zsys_sprintf ("two frameworks' %s on one contract: the kpi report does not"
                             " name the framework, so explain cannot tell them apart; the"
                             " contracts report does (explain contracts"
                             " contracts[PARTNER/CONTRACT/FRAMEWORK/MEASURE].committed_qty)",
                             json_string_value (json_object_get (picked [0], "measure")));
    else
    if (streq (list, "contracts") || streq (list, "kpis"))
        what = zsys_sprintf ("name one as %s, as in %s[%s] or %s[%s]", streq (list, "kpis")
                             ? "PARTNER/CONTRACT/KPI": "PARTNER/CONTRACT/FRAMEWORK/MEASURE",
                             list, first? first: "", list, second? second: "");
    else
    if (streq (list, "by_measure"))
        what = strdup ("name the measure's framework, as in by_measure[FRAMEWORK/CODE]");
    else
        what = strdup ("name a partner with --partner");
    char *reason = zsys_sprintf ("figure '%s': '%s' picks %zu elements of %s, not one: %s",
                                 figure, key, found, list, what);
    zstr_free (&first);
    zstr_free (&second);
    zstr_free (&what);
    return reason;
}

//  Every figure of node, the member called name, as a path under prefix,
//  into paths
static void
s_leaves (json_t *node, const char *name, const char *prefix, zlistx_t *paths)
{
    if (json_is_number (node) || json_is_null (node)) {
        zlistx_add_end (paths, (void *) prefix);
        return;
    }
    if (json_is_object (node)) {
        const char *member;
        json_t *value;
        json_object_foreach (node, member, value) {
            char *path = *prefix? zsys_sprintf ("%s.%s", prefix, member): strdup (member);
            s_leaves (value, member, path, paths);
            zstr_free (&path);
        }
    }
    else
    if (json_is_array (node)) {
        size_t index;
        json_t *element;
        json_array_foreach (node, index, element) {
            char *key = json_is_object (element)? s_element_key (name, element): NULL;
            if (!key)
                continue;
            char *path = zsys_sprintf ("%s[%s]", prefix, key);
            s_leaves (element, name, path, paths);
            zstr_free (&path);
            zstr_free (&key);
        }
    }
}

//  Edits (insert, delete, replace) from one string to the other
static size_t
s_distance (const char *one, const char *other)
{
    size_t length = strlen (other);
    size_t *row = (size_t *) zmalloc ((length + 1) * sizeof (size_t));
    for (size_t column = 0; column <= length; column++)
        row [column] = column;
    for (size_t line = 1; one [line - 1]; line++) {
        size_t diagonal = row [0];
        row [0] = line;
        for (size_t column = 1; column <= length; column++) {
            size_t above = row [column];
            size_t best = diagonal + (one [line - 1] != other [column - 1]);
            if (above + 1 < best)
                best = above + 1;
            if (row [column - 1] + 1 < best)
                best = row [column - 1] + 1;
            diagonal = above;
            row [column] = best;
        }
    }
    size_t distance = row [length];
    free (row);
    return distance;
}

//  "a, b or c": the three figures of node (the report, or the part of it
//  at prefix, the member called name) nearest to path, by edits
static char *
s_nearest (json_t *node, const char *name, const char *prefix, const char *path)
{
    zlistx_t *paths = zlistx_new ();
    zlistx_set_duplicator (paths, (czmq_duplicator *) strdup);
    zlistx_set_destructor (paths, (czmq_destructor *) zstr_free);
    s_leaves (node, name, prefix, paths);
    const char *best [3] = { NULL, NULL, NULL };
    size_t distances [3] = { SIZE_MAX, SIZE_MAX, SIZE_MAX };
    for (const char *candidate = (const char *) zlistx_first (paths); candidate;
         candidate = (const char *) zlistx_next (paths)) {
        size_t distance = s_distance (path, candidate);
        for (int slot = 0; slot < 3; slot++)
            if (distance < distances [slot]) {
                for (int moved = 2; moved > slot; moved--) {
                    best [moved] = best [moved - 1];
                    distances [moved] = distances [moved - 1];
                }
                best [slot] = candidate;
                distances [slot] = distance;
                break;
            }
    }
    char *text = zsys_sprintf ("%s%s%s%s%s", best [0]? best [0]: "(none)",
                               best [2]? ", ": best [1]? " or ": "", best [1]? best [1]: "",
                               best [2]? " or ": "", best [2]? best [2]: "");
    zlistx_destroy (&paths);
    return text;
}

//  ==========================================================================
//  What a figure is made of

//  Narrows figure by the element picked from the list called list;
//  payments tells the two lists called by_ward apart
static void
s_narrow (reporting_store_figure_t *figure, const char *list, json_t *element, int *month)
{
    const char *text;
    if (streq (list, "by_month") && (text = json_string_value (json_object_get (element, "month")))) {
        int year, number;
        if (sscanf (text, "%4d-%2d", &year, &number) == 2)
            *month = year * 100 + number;
    }
    else
    if (streq (list, "by_ward")) {
        //  A payment's ward is its code; a delivery's its code, else the
        //  canonical name of a ward that matched none
        const char *code = json_string_value (json_object_get (element, "ward_code"));
        figure->ward = code && *code? code
                     : json_string_value (json_object_get (element, "ward"));
    }
    else
    if (streq (list, "by_measure")) {
        //  A code is a measure of its framework only
        figure->measure = json_string_value (json_object_get (element, "measure"));
        figure->framework = json_string_value (json_object_get (element, "framework"));
    }
    else
    if (streq (list, "by_theme"))
        figure->theme = json_string_value (json_object_get (element, "theme"));
    else
    if (streq (list, "by_beneficiary_group"))
        figure->group = json_string_value (json_object_get (element, "group"));
    else
    if (streq (list, "top_contracts")) {
        figure->contract = json_string_value (json_object_get (element, "contract"));
        figure->partner = json_string_value (json_object_get (element, "partner"));
    }
    else
    if (streq (list, "by_partner"))
        figure->partner = json_string_value (json_object_get (element, "partner"));
    else
    if (streq (list, "contracts") || streq (list, "kpis")) {
        //  A row's lines, as the contracts report (and the KPIs, from its
        //  quantities) takes them. A KPI names no framework: a fed KPI's
        //  actual takes its measure's lines of every framework, a social
        //  value KPI those of the framework the contract committed under
        figure->with_unvalued = true;
        const char *source = json_string_value (json_object_get (element, "source"));
        figure->committed_framework = streq (list, "kpis") && source
                                   && streq (source, S_KPI_SOCIAL_VALUE);
        figure->partner = json_string_value (json_object_get (element, "partner"));
        figure->contract = json_string_value (json_object_get (element, "contract"));
        figure->measure = json_string_value (json_object_get (element, "measure"));
        figure->framework = json_string_value (json_object_get (element, "framework"));
    }
}

//  Sets what the figure called name sums; false for a name not known
static bool
s_measure (reporting_store_figure_t *figure, const char *name)
{
    static const struct {
        const char *name;
        bool valued;
        reporting_store_adds_t adds;
        int locality;           //  payments
        int kind;               //  valued lines
    } names [] = {
        { "rows", false, REPORTING_STORE_ADDS_ONE, -1, -1 },
        { "payments", false, REPORTING_STORE_ADDS_ONE, -1, -1 },
        { "total_pence", false, REPORTING_STORE_ADDS_PENCE, -1, -1 },
        { "spend_total_pence", false, REPORTING_STORE_ADDS_PENCE, -1, -1 },
        { "local_pence", false, REPORTING_STORE_ADDS_PENCE, 0, -1 },
        { "non_local_pence", false, REPORTING_STORE_ADDS_PENCE, 1, -1 },
        { "unknown_locality_pence", false, REPORTING_STORE_ADDS_PENCE, 2, -1 },
        { "unknown_pence", false, REPORTING_STORE_ADDS_PENCE, 2, -1 },
        { "previous_year_local_pence", false, REPORTING_STORE_ADDS_PENCE, 0, -1 },
        { "additional_local_pence", false, REPORTING_STORE_ADDS_PENCE, 0, -1 },
        { "sme_pence", false, REPORTING_STORE_ADDS_PENCE, -1, -1 },
        { "vcse_pence", false, REPORTING_STORE_ADDS_PENCE, -1, -1 },
        { "employee_owned_pence", false, REPORTING_STORE_ADDS_PENCE, -1, -1 },
        { "committed_pence", true, REPORTING_STORE_ADDS_PENCE, -1, 0 },
        { "delivered_pence", true, REPORTING_STORE_ADDS_PENCE, -1, 1 },
        { "committed_qty", true, REPORTING_STORE_ADDS_MILLI, -1, 0 },
        { "delivered_qty", true, REPORTING_STORE_ADDS_MILLI, -1, 1 },
        { "deliveries", true, REPORTING_STORE_ADDS_ONE, -1, 1 },
        { "flagged_lines", true, REPORTING_STORE_ADDS_ONE, -1, -1 },
        //  contracts and kpi
        { "claimed", true, REPORTING_STORE_ADDS_ONE, -1, 1 },
        { "evidenced", true, REPORTING_STORE_ADDS_ONE, -1, 1 },
        { "validated", true, REPORTING_STORE_ADDS_ONE, -1, 1 },
        { "previous_delivered_pence", true, REPORTING_STORE_ADDS_PENCE, -1, 1 },
        { "committed_unvalued", true, REPORTING_STORE_ADDS_ONE, -1, 0 },
        { "delivered_unvalued", true, REPORTING_STORE_ADDS_ONE, -1, 1 },
        { "target_qty", true, REPORTING_STORE_ADDS_MILLI, -1, 0 },
        { "actual_qty", true, REPORTING_STORE_ADDS_MILLI, -1, 1 },
    };
    static const char *const states [] = { "", "claimed", "evidenced", "validated" };
    for (size_t index = 0; index < sizeof names / sizeof names [0]; index++)
        if (streq (names [index].name, name)) {
            figure->valued = names [index].valued;
            figure->adds = names [index].adds;
            figure->locality = names [index].locality;
            figure->kind = names [index].kind;
            figure->flagged = streq (name, "flagged_lines") || strstr (name, "_unvalued");
            figure->year_offset = streq (name, "previous_year_local_pence")
                               || streq (name, "previous_delivered_pence")? -1: 0;
            for (int state = 1; state < 4; state++)
                if (streq (name, states [state]))
                    figure->evidence = state;
            figure->less_previous = streq (name, "additional_local_pence");
            if (strstr (name, "sme_") == name || strstr (name, "vcse_") == name
            ||  strstr (name, "employee_owned_") == name)
                figure->flag = strstr (name, "sme_") == name? "sme"
                             : strstr (name, "vcse_") == name? "vcse": "employee_owned";
            return true;
        }
    return false;
}

//  Why a figure that is not made of lines (or a text: text) is not traced
static const char *
s_untraceable (const char *pattern, const char *name, bool text)
{
    if (streq (name, "status") || streq (name, "status_reason"))
        return "a status: compliance's delivery rules applied to the row's committed and"
               " delivered quantities and its returns (REPORT_JSON.md, contracts), not a sum;"
               " explain traces committed_qty and delivered_qty";
    if (streq (name, "rating") || streq (name, "rating_note"))
        return "a rating: the KPI's performance (actual over the target for the period)"
               " placed in the rating rule's bands, not a sum; explain traces target_qty and"
               " actual_qty where lines make them";
    if (streq (name, "delivered_change_pence"))
        return "a difference: delivered_pence less previous_delivered_pence, each of which"
               " explain traces";
    if (streq (name, "delivered_change"))
        return "a share: delivered_change_pence over previous_delivered_pence, each of which"
               " explain traces";
    if (streq (name, "period_target_qty"))
        return "the year's target pro rata to the days elapsed by the rating rule's as_of"
               " (a rate as it stands), not a sum of lines; explain traces target_qty";
    if (streq (name, "performance_pct"))
        return "a percentage: actual_qty over period_target_qty, rounded down, not a sum";
    if (text)
        return "a text (a name, date, key or state), not a figure made of lines";
    if (strstr (name, "share"))
        return "a share: the ratio of two figures, each of which explain traces"
               " (e.g. spend.local_pence and spend.total_pence)";
    if (strncmp (pattern, "rlw.", 4) == 0 || strstr (pattern, "in_scope")
    ||  strstr (pattern, "missing_commitment"))
        return "a count of contracts in Real Living Wage scope, not of payments or valued"
               " lines: the report lists every one in rlw.contracts";
    if (strncmp (pattern, "alerts.", 7) == 0 || strstr (pattern, "alerts"))
        return "a count of alerts, not of payments or valued lines: the report lists them"
               " in alerts.list";
    if (strncmp (pattern, "offsets.", 8) == 0)
        return "a stream position the report was built at, not a sum";
    return "not a sum of payments or valued lines (explain traces the spend and social"
           " value figures)";
}

//  Why a KPI's figure called name is not made of lines, as its source
//  says (REPORT_JSON.md, kpi); NULL when it is: a social value KPI's
//  target and actual, and the actual of a fed KPI read from returns
static const char *
s_kpi_untraceable (json_t *kpi, const char *name)
{
    const char *source = json_string_value (json_object_get (kpi, "source"));
    source = source? source: "";
    if (streq (source, S_KPI_SOCIAL_VALUE)
    || (streq (name, "actual_qty") && streq (source, S_KPI_FROM_RETURNS)))
        return NULL;
    if (streq (name, "target_qty"))
        return "a target the KPI feed (or OCDS agreedMetrics) gave, not made of lines: only"
               " a social value KPI's target is its commitments";
    if (json_is_null (json_object_get (kpi, "actual_qty")))
        return "no actual: the KPI feed gave none, and the KPI names no measure whose"
               " returns would make one";
    return "an actual the KPI feed (or OCDS) gave, not read from delivery returns";
}

//  A description of the lines a figure takes, for a person
static char *
s_made_of (const reporting_store_figure_t *figure, const char *year, int month,
           const char *counted)
{
    const char *localities [] = { "local", "non-local", "of unknown locality" };
    char *text = zsys_sprintf ("%s%s%s of %s%s%s%s%s",
        figure->adds == REPORTING_STORE_ADDS_ONE? "the number of ": "",
        figure->valued? (figure->flagged && figure->with_unvalued
                         ? (figure->kind == 0? "commitments valuation could not value (no proxy"
                                               " for the year, or a measure the framework"
                                               " lacks: 0 pence)"
                                             : "deliveries valuation could not value (no proxy"
                                               " for the year, or a measure the framework"
                                               " lacks: 0 pence)")
                         : figure->flagged? "valued lines flagged by valuation (counted in no"
                                            " figure)"
                         : figure->kind == 0? "commitments valued"
                         : figure->kind == 1? "deliveries valued": "valued lines")
                      : "payments",
        figure->adds == REPORTING_STORE_ADDS_MILLI? " (their quantities)"
      : figure->adds == REPORTING_STORE_ADDS_PENCE? " (their pence)": "",
        year,
        figure->less_previous? " less those of the previous year": "",
        figure->year_offset? " (the previous year)": "",
        figure->partner? ", partner ": "", figure->partner? figure->partner: "");
    char *more = NULL;
#define S_MORE(...) s_append (&more, __VA_ARGS__)
    if (!figure->valued && figure->locality >= 0)
        S_MORE (", %s", localities [figure->locality]);
    if (figure->flag)
        S_MORE (", with suppliers flagged %s", figure->flag);
    if (month)
        S_MORE (", paid in %04d-%02d", month / 100, month % 100);
    if (figure->ward)
        S_MORE (", ward %s", figure->ward);
    if (figure->measure)
        S_MORE (", measure %s%s%s", figure->framework? figure->framework: "",
                figure->framework? "/": "", figure->measure);
    if (figure->theme)
        S_MORE (", theme '%s'", figure->theme);
    if (figure->contract)
        S_MORE (", contract %s", figure->contract);
    if (figure->group)
        S_MORE (", beneficiary group '%s'", figure->group);
    if (figure->evidence)
        S_MORE (", evidence %s", figure->evidence == 1? "claimed"
                               : figure->evidence == 2? "evidenced": "validated");
    if (figure->valued && figure->kind == 1 && (!figure->flagged || figure->with_unvalued))
        S_MORE (", in the evidence states counted (%s)", counted);
    if (figure->with_unvalued && !figure->flagged)
        S_MORE (", flagged by valuation or not (a line valuation could not value counts"
                " in the quantities with 0 pence)");
    else
    if (figure->valued && figure->kind >= 0 && !figure->flagged)
        S_MORE (", none flagged by valuation");
#undef S_MORE
    s_append (&text, "%s", more? more: "");
    zstr_free (&more);
    return text;
}

//  The figure as an integer in what a line adds (thousandths for a
//  quantity), or false when it is not a number
static bool
s_value_units (json_t *value, reporting_store_adds_t adds, int64_t *units)
{
    if (json_is_integer (value) && adds != REPORTING_STORE_ADDS_MILLI)
        *units = json_integer_value (value);
    else
    if (json_is_number (value) && adds == REPORTING_STORE_ADDS_MILLI)
        *units = (int64_t) llround (json_number_value (value) * 1000.0);
    else
        return false;
    return true;
}

static json_t *
s_units (int64_t units, reporting_store_adds_t adds)
{
    return adds == REPORTING_STORE_ADDS_MILLI? json_real ((double) units / 1000.0)
                                             : json_integer (units);
}

//  ==========================================================================
//  Small numbers

zhashx_t *
reporting_explain_withheld (const json_t *report)
{
    assert (report);
    zhashx_t *withheld = zhashx_new ();
    const json_t *value = json_object_get (report, "social_value");
    const char *lists [] = { "by_ward", "by_beneficiary_group" };
    for (int index = 0; index < 2; index++) {
        size_t row_index;
        json_t *row;
        json_array_foreach (json_object_get (value, lists [index]), row_index, row) {
            if (!json_is_true (json_object_get (row, "suppressed")))
                continue;
            const char *code = json_string_value (json_object_get (row, "ward_code"));
            const char *name = json_string_value (json_object_get (row,
                                                                   index? "group": "ward"));
            char *key = zsys_sprintf ("%c:%s", index? 'g': 'w',
                                      code && *code? code: name? name: "");
            zhashx_update (withheld, key, (void *) 1);
            zstr_free (&key);
        }
    }
    return withheld;
}

bool
reporting_explain_withhold (json_t *row, zhashx_t *withheld)
{
    assert (row && withheld);
    const char *ward = json_string_value (json_object_get (row, "ward"));
    const char *group = json_string_value (json_object_get (row, "beneficiary_group"));
    char *ward_key = zsys_sprintf ("w:%s", ward? ward: "");
    char *group_key = zsys_sprintf ("g:%s", group? group: "");
    bool suppressed = (ward && *ward && zhashx_lookup (withheld, ward_key))
                   || (group && *group && zhashx_lookup (withheld, group_key));
    zstr_free (&ward_key);
    zstr_free (&group_key);
    json_object_set_new (row, "suppressed", json_boolean (suppressed));
    if (suppressed) {
        const char *keys [] = { "ward", "ward_name", "beneficiary_group", "line" };
        for (int index = 0; index < 4; index++)
            json_object_set_new (row, keys [index], json_string (""));
    }
    return suppressed;
}

//  ==========================================================================
//  The explanation

json_t *
reporting_explain (reporting_store_t *store, const reporting_store_params_t *params,
                   json_t *report, const char *figure_path, uint64_t after, uint64_t max,
                   json_t *local_area, int *code_p, char **reason_p)
{
    assert (store && params && report && figure_path && code_p && reason_p);
    char reason [512];
    s_segment_t segments [S_MAX_SEGMENTS];
    size_t count = 0;
    *reason_p = NULL;
    if (s_parse (figure_path, segments, &count, reason, sizeof reason)) {
        *code_p = 400;
        *reason_p = strdup (reason);
        return NULL;
    }
    //  Walk the document, noting the path's shape with keys left out
    json_t *node = report;
    char *pattern = NULL;
    //  The deepest part of the document the path reaches, as typed: the
    //  nearest figures are looked for there ("contracts[C-1/NT1].")
    json_t *reached = report;
    const char *reached_name = "";
    char *typed = NULL, *reached_path = strdup ("");
    for (size_t index = 0; index < count; index++) {
        s_segment_t *segment = &segments [index];
        node = json_is_object (node)? json_object_get (node, segment->name): NULL;
        s_append (&pattern, "%s%s%s", index? ".": "", segment->name, segment->keyed? "[]": "");
        if (node && segment->keyed) {
            if (!json_is_array (node)) {
                *code_p = 404;
                *reason_p = zsys_sprintf ("figure '%s': %s is not a list", figure_path,
                                          segment->name);
                break;
            }
            json_t *picked [2];
            size_t found = s_pick (node, segment->key, picked);
            if (found > 1) {
                *code_p = 400;
                *reason_p = s_pick_refusal (figure_path, segment->name, segment->key, found,
                                            picked);
                break;
            }
            node = segment->element = picked [0];
        }
        s_append (&typed, "%s%s%s%s%s", index? ".": "", segment->name,
                  segment->keyed? "[": "", segment->key, segment->keyed? "]": "");
        if (json_is_object (node) || json_is_array (node)) {
            reached = node;
            reached_name = segment->name;
            zstr_free (&reached_path);
            reached_path = strdup (typed);
        }
        if (!node)
            break;
        if (json_is_array (node) && index + 1 < count) {
            *code_p = 400;
            *reason_p = zsys_sprintf ("figure '%s': %s is a list: pick its element by key,"
                                      " as %s[KEY]", figure_path, segment->name, segment->name);
            break;
        }
    }
    if (!*reason_p
    &&  (!node || !(json_is_number (node) || json_is_null (node) || json_is_string (node)))) {
        char *nearest = s_nearest (reached, reached_name, reached_path, figure_path);
        *code_p = 404;
        *reason_p = zsys_sprintf ("the %s report has no figure '%s'; nearest: %s",
                                  json_string_value (json_object_get (report, "report")),
                                  figure_path, nearest);
        zstr_free (&nearest);
    }
    zstr_free (&typed);
    zstr_free (&reached_path);
    if (*reason_p) {
        zstr_free (&pattern);
        return NULL;
    }
    json_t *explanation = json_pack ("{s:s, s:O, s:O, s:O, s:O, s:O}",
        "figure", figure_path,
        "report", json_object_get (report, "report"),
        "year", json_object_get (report, "year"),
        "partner", json_object_get (report, "partner"),
        "offsets", json_object_get (report, "offsets"),
        "value", node);
    const char *name = segments [count - 1].name;
    bool traceable = false;
    for (int index = 0; s_traceable [index] && !traceable; index++)
        traceable = streq (s_traceable [index], pattern);
    const char *why = NULL;
    json_t *parent = count > 1? segments [count - 2].element: NULL;
    //  The row a contracts or KPI figure is of, by what names it
    if (parent && (strncmp (pattern, "contracts[]", 11) == 0
               ||  strncmp (pattern, "kpis[]", 6) == 0)) {
        json_t *element = json_object ();
        const char *members [] = { "partner", "contract", "supplier", "framework", "measure",
                                   "kpi", "source", NULL };
        for (int index = 0; members [index]; index++) {
            json_t *value = json_object_get (parent, members [index]);
            if (json_is_string (value))
                json_object_set (element, members [index], value);
        }
        json_object_set_new (explanation, "element", element);
    }
    if (json_is_string (node) || !traceable)
        why = s_untraceable (pattern, name, json_is_string (node));
    else
    if (strncmp (pattern, "kpis[]", 6) == 0)
        why = s_kpi_untraceable (parent, name);     //  NULL when made of lines
    if (!why && json_is_null (node))
        why = json_is_true (json_object_get (parent, "suppressed"))
            ? "suppressed: fewer deliveries than the small-number threshold, so the report"
              " does not show it, and its lines would show what suppression hides"
            : "the report gives no figure here";
    if (why) {
        json_object_set_new (explanation, "traceable", json_false ());
        json_object_set_new (explanation, "why", json_string (why));
        zstr_free (&pattern);
        return explanation;
    }
    //  The lines: narrowed by every element picked, summed by the name
    reporting_store_figure_t figure = { .locality = -1, .kind = -1 };
    int month = 0;
    for (size_t index = 0; index < count; index++)
        if (segments [index].keyed)
            s_narrow (&figure, segments [index].name, segments [index].element, &month);
    figure.month = month;
    bool known = s_measure (&figure, name);
    assert (known);     //  every traceable figure's name is known
    reporting_store_params_t traced = *params;
    traced.year = json_string_value (json_object_get (report, "year"));
    const char *store_reason = NULL;
    json_t *trace = reporting_store_trace (store, &traced, &figure, after,
                                           max? max: REPORTING_EXPLAIN_DEFAULT_MAX,
                                           &store_reason);
    if (!trace) {
        json_decref (explanation);
        *code_p = 500;
        *reason_p = strdup (store_reason? store_reason: "the store failed");
        zstr_free (&pattern);
        return NULL;
    }
    int64_t value = 0;
    int64_t sum = json_integer_value (json_object_get (trace, "sum"));
    bool equal = s_value_units (node, figure.adds, &value) && value == sum;
    json_t *rows = json_object_get (trace, "rows");
    int64_t listed = 0;
    size_t index;
    json_t *row;
    //  A line of a ward or group the report withholds does not name it
    zhashx_t *withheld = figure.valued? reporting_explain_withheld (report): NULL;
    json_array_foreach (rows, index, row) {
        int64_t adds = json_integer_value (json_object_get (row, "adds"));
        listed += adds;
        if (withheld)
            reporting_explain_withhold (row, withheld);
        if (figure.adds == REPORTING_STORE_ADDS_MILLI)
            json_object_set_new (row, "adds", s_units (adds, figure.adds));
    }
    zhashx_destroy (&withheld);
    int64_t lines = json_integer_value (json_object_get (trace, "rows_total"));
    json_t *counted = json_object_get (report, "evidence_counted");
    char counted_text [128] = "";
    json_array_foreach (counted, index, row)
        snprintf (counted_text + strlen (counted_text),
                  sizeof counted_text - strlen (counted_text), "%s%s", index? ", ": "",
                  json_string_value (row));
    if (!*counted_text)
        snprintf (counted_text, sizeof counted_text, "%s",
                  params->evidence_counted && *params->evidence_counted?
                  params->evidence_counted: "claimed, evidenced, validated");
    char *made_of = s_made_of (&figure, traced.year, month, counted_text);
    json_object_update_new (explanation, json_pack ("{s:b, s:o, s:b, s:I, s:I, s:I, s:s, s:s}",
        "traceable", true,
        "sum", s_units (sum, figure.adds),
        "sum_equals_value", equal,
        "rows_total", (json_int_t) lines,
        "rows_listed", (json_int_t) json_array_size (rows),
        "after", (json_int_t) after,
        "made_of", made_of,
        "source", "each line names its partner, its key in that partner's records (a"
                  " payment's transaction number and line; a return's contract, measure and"
                  " period) and source_seq, the ingest stream event it was read from. The"
                  " batch id and file row are kept by ingest, not by reporting."));
    zstr_free (&made_of);
    json_object_set_new (explanation, "rest", json_pack ("{s:I, s:o}",
        "lines", (json_int_t) (lines - (int64_t) json_array_size (rows)),
        "sum", s_units (sum - listed, figure.adds)));
    if (figure.valued) {
        json_object_set (explanation, "evidence_counted",
                         counted? counted: json_string (counted_text));
        json_t *evidence = json_object_get (trace, "evidence");
        if (evidence)
            json_object_set (explanation, "evidence", evidence);
        json_t *frameworks = json_object_get (json_object_get (report, "social_value"),
                                              "frameworks");
        if (!frameworks)
            frameworks = json_object_get (report, "frameworks");
        if (frameworks)
            json_object_set (explanation, "frameworks", frameworks);
    }
    else
    if (local_area)
        json_object_set (explanation, "local_area", local_area);
    json_object_set (explanation, "rows", rows);
    json_decref (trace);
    zstr_free (&pattern);
    return explanation;
}


//  ==========================================================================
//  Self-test

void
reporting_explain_test (bool verbose)
{
    printf (" * reporting_explain: ");
    if (verbose)
        printf ("\n");

    //  Paths: names, keys holding dots, and what is malformed
    s_segment_t segments [S_MAX_SEGMENTS];
    size_t count = 0;
    char reason [512];
    assert (s_parse ("social_value.by_ward[St. John's].delivered_pence", segments, &count,
                     reason, sizeof reason) == 0);
    assert (count == 3);
    assert (streq (segments [1].name, "by_ward") && segments [1].keyed);
    assert (streq (segments [1].key, "St. John's"));
    assert (streq (segments [2].name, "delivered_pence") && !segments [2].keyed);
    const char *bad [] = { "", "spend.", ".spend", "spend..local", "spend.by_ward[",
                           "spend.by_ward[]", "spend.by_ward[x]y", "a.b.c.d.e.f.g.h.i" };
    for (size_t index = 0; index < sizeof bad / sizeof bad [0]; index++)
        assert (s_parse (bad [index], segments, &count, reason, sizeof reason) == -1);
    assert (s_distance ("spend.local", "spend.locals") == 1);
    assert (s_distance ("", "abc") == 3);
    assert (s_distance ("kitten", "sitting") == 3);

    //  The figures of the store's own fixture (reporting_store_fixture)
    char path [] = "/tmp/reporting_explain_test_XXXXXX";
    reporting_store_t *store = reporting_store_fixture (path);
    reporting_store_params_t params = {
        .kind = "annual", .year = "2024-25", .partner = "", .created = "2025-04-30T09:00:00Z",
        .evidence_counted = "evidenced,validated", .small_number_threshold = 2
    };
    json_t *report = reporting_store_report (store, &params, NULL);
    assert (report);
    int code;
    char *why = NULL;

    //  Local spend: T1, T2 (as superseded), T5 and police's P7
    json_t *explanation = reporting_explain (store, &params, report, "spend.local_pence",
                                             0, 0, NULL, &code, &why);
    assert (explanation);
    assert (json_integer_value (json_object_get (explanation, "value")) == 235000);
    assert (json_integer_value (json_object_get (explanation, "sum")) == 235000);
    assert (json_is_true (json_object_get (explanation, "sum_equals_value")));
    assert (json_integer_value (json_object_get (explanation, "rows_total")) == 4);
    json_t *rows = json_object_get (explanation, "rows");
    assert (json_array_size (rows) == 4);
    json_t *first = json_array_get (rows, 0);
    assert (streq (json_string_value (json_object_get (first, "line")), "SPEND/T1/1"));
    assert (json_integer_value (json_object_get (first, "source_seq")) == 101);
    assert (streq (json_string_value (json_object_get (first, "supplier")),
                   "Brightside Cleaning Ltd"));
    assert (streq (json_string_value (json_object_get (first, "postcode")), "S60 1AA"));
    assert (streq (json_string_value (json_object_get (first, "locality_reason")),
                   "in a local postcode district"));
    json_decref (explanation);

    //  Paged: the second largest alone, the rest summarised
    explanation = reporting_explain (store, &params, report, "spend.local_pence", 1, 1, NULL,
                                     &code, &why);
    rows = json_object_get (explanation, "rows");
    assert (json_array_size (rows) == 1);
    assert (streq (json_string_value (json_object_get (json_array_get (rows, 0), "line")),
                   "SPEND/T2/1"));
    json_t *rest = json_object_get (explanation, "rest");
    assert (json_integer_value (json_object_get (rest, "lines")) == 3);
    assert (json_integer_value (json_object_get (rest, "sum")) == 235000 - 70000);
    json_decref (explanation);

    //  A redacted payment stays redacted: unknown locality holds T4
    explanation = reporting_explain (store, &params, report, "spend.unknown_locality_pence",
                                     0, 0, NULL, &code, &why);
    rows = json_object_get (explanation, "rows");
    assert (json_array_size (rows) == 1);
    first = json_array_get (rows, 0);
    assert (json_is_true (json_object_get (first, "redacted")));
    assert (streq (json_string_value (json_object_get (first, "supplier")), "(redacted)"));
    assert (streq (json_string_value (json_object_get (first, "supplier_key")), ""));
    assert (streq (json_string_value (json_object_get (first, "postcode")), ""));
    json_decref (explanation);

    //  A ward, by name or by code; additional local spend less last year's
    const char *by_ward [] = { "spend.by_ward[Boston Castle].local_pence",
                               "spend.by_ward[E05001].local_pence" };
    for (int index = 0; index < 2; index++) {
        explanation = reporting_explain (store, &params, report, by_ward [index], 0, 0, NULL,
                                         &code, &why);
        assert (json_integer_value (json_object_get (explanation, "sum")) == 170000);
        assert (json_integer_value (json_object_get (explanation, "rows_total")) == 2);
        json_decref (explanation);
    }
    explanation = reporting_explain (store, &params, report, "spend.additional_local_pence",
                                     0, 0, NULL, &code, &why);
    assert (json_integer_value (json_object_get (explanation, "sum")) == 235000 - 70000);
    assert (json_is_true (json_object_get (explanation, "sum_equals_value")));
    json_decref (explanation);

    //  Delivered value of NT10: C-2's five evidenced weeks; C-1's claimed
    //  week is excluded, and said to be
    explanation = reporting_explain (store, &params, report,
                                     "social_value.by_measure[NT10].delivered_pence", 0, 0,
                                     NULL, &code, &why);
    assert (json_integer_value (json_object_get (explanation, "sum")) == 125000);
    assert (json_is_true (json_object_get (explanation, "sum_equals_value")));
    assert (json_integer_value (json_object_get (explanation, "rows_total")) == 5);
    first = json_array_get (json_object_get (explanation, "rows"), 0);
    assert (json_integer_value (json_object_get (first, "proxy_pence")) == 25000);
    assert (streq (json_string_value (json_object_get (first, "framework")), "test"));
    assert (streq (json_string_value (json_object_get (first, "proxy_year")), "2024-25"));
    json_t *states = json_object_get (explanation, "evidence");
    bool claimed_excluded = false;
    size_t index;
    json_t *state;
    json_array_foreach (states, index, state)
        if (streq (json_string_value (json_object_get (state, "evidence")), "claimed"))
            claimed_excluded = json_is_false (json_object_get (state, "counted"))
                && json_integer_value (json_object_get (state, "value_pence")) == 500000;
    assert (claimed_excluded);
    json_decref (explanation);

    //  Every traceable figure of the report sums to it
    const char *figures [] = {
        "spend.rows", "spend.total_pence", "spend.non_local_pence", "spend.sme_pence",
        "spend.vcse_pence", "spend.employee_owned_pence", "spend.previous_year_local_pence",
        "spend.by_month[2024-05].local_pence", "spend.by_ward[E05002].payments",
        "social_value.committed_pence", "social_value.delivered_pence",
        "social_value.flagged_lines", "social_value.by_theme[Jobs].delivered_pence",
        "social_value.by_measure[NT20].delivered_qty",
        "social_value.by_measure[NT1].committed_pence",
        "social_value.top_contracts[C-1].delivered_pence",
        "social_value.by_ward[Boston Castle].delivered_pence",
        "social_value.by_ward[Rotherham West].deliveries",
        "social_value.by_beneficiary_group[Young people].delivered_pence"
    };
    for (size_t figure = 0; figure < sizeof figures / sizeof figures [0]; figure++) {
        explanation = reporting_explain (store, &params, report, figures [figure], 0, 0,
                                         NULL, &code, &why);
        if (verbose || !explanation
        ||  !json_is_true (json_object_get (explanation, "sum_equals_value")))
            printf ("%s: %s\n", figures [figure], !explanation? why
                    : json_is_true (json_object_get (explanation, "sum_equals_value"))
                    ? "sums to the figure": "sum differs");
        assert (explanation);
        assert (json_is_true (json_object_get (explanation, "sum_equals_value")));
        json_decref (explanation);
    }

    //  Not traceable, with why; unknown, with the nearest
    explanation = reporting_explain (store, &params, report, "spend.local_share", 0, 0, NULL,
                                     &code, &why);
    assert (json_is_false (json_object_get (explanation, "traceable")));
    assert (strstr (json_string_value (json_object_get (explanation, "why")), "ratio"));
    assert (!json_object_get (explanation, "rows"));
    json_decref (explanation);
    explanation = reporting_explain (store, &params, report, "spend.locl_pence", 0, 0, NULL,
                                     &code, &why);
    assert (!explanation && code == 404);
    assert (strstr (why, "spend.local_pence"));
    zstr_free (&why);
    explanation = reporting_explain (store, &params, report,
                                     "social_value.by_measure[NT99].delivered_pence", 0, 0,
                                     NULL, &code, &why);
    assert (!explanation && code == 404);
    zstr_free (&why);
    explanation = reporting_explain (store, &params, report, "spend.by_ward.local_pence",
                                     0, 0, NULL, &code, &why);
    assert (!explanation && code == 400);
    zstr_free (&why);
    //  Two frameworks' NT1: the code alone picks neither; the framework's
    //  name with it picks its own, traced to that framework's lines only
    json_t *shared = json_deep_copy (report);
    json_t *measures = json_object_get (json_object_get (shared, "social_value"),
                                        "by_measure");
    json_array_append_new (measures, json_pack ("{s:s, s:s, s:I}", "framework", "other",
                                                "measure", "NT1", "committed_pence", 1));
    explanation = reporting_explain (store, &params, shared,
                                     "social_value.by_measure[NT1].committed_pence", 0, 0,
                                     NULL, &code, &why);
    assert (!explanation && code == 400 && strstr (why, "by_measure[FRAMEWORK/CODE]"));
    zstr_free (&why);
    explanation = reporting_explain (store, &params, shared,
                                     "social_value.by_measure[test/NT1].committed_pence", 0,
                                     0, NULL, &code, &why);
    assert (json_is_true (json_object_get (explanation, "sum_equals_value")));
    assert (json_integer_value (json_object_get (explanation, "sum")) == 6000000);
    json_decref (explanation);
    explanation = reporting_explain (store, &params, shared,
                                     "social_value.by_measure[other/NT1].committed_pence", 0,
                                     0, NULL, &code, &why);
    assert (json_integer_value (json_object_get (explanation, "rows_total")) == 0);
    assert (json_is_false (json_object_get (explanation, "sum_equals_value")));
    json_decref (explanation);
    json_decref (shared);

    json_decref (report);

    //  The contracts report: each row's figures, hand-worked from the
    //  fixture (evidenced and validated counted)
    params.kind = "contracts";
    params.created = "2025-03-31T09:00:00Z";
    report = reporting_store_report (store, &params, NULL);
    assert (report);
    const struct {
        const char *figure;
        int64_t units;              //  pence, a count, or thousandths
        int64_t lines;
    } rows_of [] = {
        //  C-1's NT1: 2 jobs committed at £30,000; the Q1 return as resent
        { "contracts[council/C-1/test/NT1].committed_qty", 2000, 1 },
        { "contracts[council/C-1/test/NT1].committed_pence", 6000000, 1 },
        { "contracts[council/C-1/test/NT1].delivered_qty", 1500, 1 },
        { "contracts[council/C-1/test/NT1].delivered_pence", 4500000, 1 },
        { "contracts[council/C-1/test/NT1].validated", 1, 1 },
        //  C-1's NT10: its claimed week is not counted, so claims none
        { "contracts[C-1/NT10].claimed", 0, 0 },
        { "contracts[C-1/NT10].delivered_qty", 0, 0 },
        //  C-2's five evidenced weeks
        { "contracts[C-2/NT10].evidenced", 5, 5 },
        { "contracts[C-2/NT10].delivered_pence", 125000, 5 },
        //  C-2's NT99, unknown to the framework: 5 delivered, £0, one line
        //  unvalued, which the annual report's quantities leave out
        { "contracts[C-2/NT99].delivered_qty", 5000, 1 },
        { "contracts[C-2/NT99].delivered_pence", 0, 1 },
        { "contracts[C-2/NT99].delivered_unvalued", 1, 1 },
        { "contracts[C-2/NT99].committed_unvalued", 0, 0 },
        //  C-3's NT20: 100 hours at £15 this year, 10 validated last year
        { "contracts[C-3/NT20].delivered_pence", 150000, 1 },
        { "contracts[C-3/NT20].previous_delivered_pence", 15000, 1 },
        { "contracts[council/C-3/NT20].committed_qty", 200000, 1 },
        { "contracts[police/P-1/test/NT20].delivered_qty", 40000, 1 },
    };
    for (size_t row = 0; row < sizeof rows_of / sizeof rows_of [0]; row++) {
        explanation = reporting_explain (store, &params, report, rows_of [row].figure, 0, 0,
                                         NULL, &code, &why);
        if (verbose || !explanation
        ||  !json_is_true (json_object_get (explanation, "sum_equals_value")))
            printf ("%s: %s\n", rows_of [row].figure, !explanation? why
                    : json_is_true (json_object_get (explanation, "sum_equals_value"))
                    ? "sums to the figure": "sum differs");
        assert (explanation);
        assert (json_is_true (json_object_get (explanation, "sum_equals_value")));
        int64_t sum = 0;
        assert (s_value_units (json_object_get (explanation, "sum"),
                               strstr (rows_of [row].figure, "_qty")?
                               REPORTING_STORE_ADDS_MILLI: REPORTING_STORE_ADDS_PENCE, &sum));
        assert (sum == rows_of [row].units);
        assert (json_integer_value (json_object_get (explanation, "rows_total"))
                == rows_of [row].lines);
        json_decref (explanation);
    }
    //  The unvalued NT99 line counts, in the row and as the line says
    explanation = reporting_explain (store, &params, report,
                                     "contracts[C-2/NT99].delivered_qty", 0, 0, NULL, &code,
                                     &why);
    first = json_array_get (json_object_get (explanation, "rows"), 0);
    assert (streq (json_string_value (json_object_get (first, "line")),
                   "DELIVERY/C-2/NT99/Q1"));
    assert (json_is_true (json_object_get (first, "flagged")));
    assert (json_is_true (json_object_get (first, "counted")));
    assert (streq (json_string_value (json_object_get (json_object_get (explanation,
                                                                        "element"),
                                                       "contract")), "C-2"));
    json_decref (explanation);
    //  A key picking several rows says what to add; a status is no sum
    explanation = reporting_explain (store, &params, report, "contracts[C-1].delivered_pence",
                                     0, 0, NULL, &code, &why);
    assert (!explanation && code == 400);
    assert (strstr (why, "PARTNER/CONTRACT/FRAMEWORK/MEASURE"));
    assert (strstr (why, "contracts[council/C-1/test/NT1]"));
    zstr_free (&why);
    explanation = reporting_explain (store, &params, report, "contracts[NT20].delivered_qty",
                                     0, 0, NULL, &code, &why);
    assert (!explanation && code == 400 && strstr (why, "contracts[police/P-1/test/NT20]"));
    zstr_free (&why);
    const char *no_sums [] = { "contracts[C-2/NT10].status", "contracts[C-2/NT10].title",
                               "contracts[C-3/NT20].delivered_change_pence",
                               "contracts[C-3/NT20].delivered_change" };
    for (size_t index = 0; index < sizeof no_sums / sizeof no_sums [0]; index++) {
        explanation = reporting_explain (store, &params, report, no_sums [index], 0, 0, NULL,
                                         &code, &why);
        assert (json_is_false (json_object_get (explanation, "traceable")));
        assert (!json_object_get (explanation, "rows"));
        if (index == 0)
            assert (strstr (json_string_value (json_object_get (explanation, "why")),
                            "a status"));
        json_decref (explanation);
    }
    //  A figure the row lacks: the nearest are the row's, keyed as asked
    explanation = reporting_explain (store, &params, report,
                                     "contracts[C-2/NT10].delivered_pense", 0, 0, NULL, &code,
                                     &why);
    assert (!explanation && code == 404);
    assert (strstr (why, "nearest: contracts[C-2/NT10].delivered_pence"));
    zstr_free (&why);
    json_decref (report);

    //  The KPI report: C-3's NT20 also fed as a KPI with no actual, which
    //  its returns make; a fed rate with its own actual is made of none.
    //  C-1 returns 2 of another framework's NT1, which it never committed
    //  to: C-1's social value KPI of NT1 (test's) leaves them out
    sv_db_t *db = reporting_store_db (store);
    assert (sv_db_begin (db) == 0);
    sv_proto_t other = { .id = SV_PROTO_VALUATION_LINE, .valuation_line = {
        .partner = "council", .contract_id = "C-1", .measure = "NT1", .framework = "other",
        .framework_version = "1", .kind = "delivered", .year = "2024-25",
        .evidence = "validated", .quantity_milli = 2000, .value_pence = 1 } };
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    assert (sv_proto_encode (&other, &buffer) == 0);
    sv_proto_event_t other_event = { .seq = 899, .type = "VALUATION_LINE",
                                     .key = "council/DELIVERY/C-1/NT1/other",
                                     .body = (uint8_t *) buffer.data, .body_size = buffer.size };
    assert (reporting_store_apply (store, "valuation", &other_event) == 0);
    msgpack_sbuffer_destroy (&buffer);
    const sv_proto_kpi_t kpis [] = {
        { .partner = "council", .contract_id = "C-3", .year = "2024-25", .kpi_id = "K-HOURS",
          .name = "Volunteering", .unit = "hours", .target_milli = 150000, .measure = "NT20" },
        { .partner = "council", .contract_id = "C-3", .year = "2024-25", .kpi_id = "K-MEALS",
          .name = "Meals on time", .unit = "%", .target_milli = 95000, .has_actual = true,
          .actual_milli = 97000 },
    };
    for (int index = 0; index < 2; index++) {
        sv_proto_t message = { .id = SV_PROTO_KPI, .kpi = kpis [index] };
        sv_proto_event_t event = { .seq = 900 + (uint64_t) index, .type = "KPI",
                                   .key = (char *) kpis [index].kpi_id };
        assert (reporting_store_apply_decoded (store, "ingest", &event, &message) == 0);
    }
    assert (sv_db_commit (db) == 0);
    params.kind = "kpi";
    report = reporting_store_report (store, &params, NULL);
    assert (report);
    const struct {
        const char *figure;
        int64_t milli;
    } kpi_sums [] = {
        { "kpis[council/C-1/SV-NT1].target_qty", 2000 },
        { "kpis[C-1/SV-NT1].actual_qty", 1500 },
        { "kpis[C-1/SV-NT10].actual_qty", 0 },
        { "kpis[police/P-1/SV-NT20].target_qty", 50000 },
        { "kpis[C-3/K-HOURS].actual_qty", 100000 },
    };
    for (size_t index = 0; index < sizeof kpi_sums / sizeof kpi_sums [0]; index++) {
        explanation = reporting_explain (store, &params, report, kpi_sums [index].figure, 0,
                                         0, NULL, &code, &why);
        if (verbose || !explanation
        ||  !json_is_true (json_object_get (explanation, "sum_equals_value")))
            printf ("%s: %s\n", kpi_sums [index].figure, !explanation? why
                    : json_is_true (json_object_get (explanation, "sum_equals_value"))
                    ? "sums to the figure": "sum differs");
        assert (json_is_true (json_object_get (explanation, "sum_equals_value")));
        assert (llround (json_number_value (json_object_get (explanation, "sum")) * 1000)
                == kpi_sums [index].milli);
        json_decref (explanation);
    }
    const struct {
        const char *figure;
        const char *why;
    } kpi_refused [] = {
        { "kpis[C-3/K-HOURS].target_qty", "KPI feed" },
        { "kpis[C-3/K-MEALS].actual_qty", "KPI feed" },
        { "kpis[C-3/K-MEALS].rating", "a rating" },
        { "kpis[C-1/SV-NT1].period_target_qty", "pro rata" },
        { "kpis[C-1/SV-NT1].performance_pct", "a percentage" },
    };
    for (size_t index = 0; index < sizeof kpi_refused / sizeof kpi_refused [0]; index++) {
        explanation = reporting_explain (store, &params, report, kpi_refused [index].figure,
                                         0, 0, NULL, &code, &why);
        assert (json_is_false (json_object_get (explanation, "traceable")));
        assert (strstr (json_string_value (json_object_get (explanation, "why")),
                        kpi_refused [index].why));
        json_decref (explanation);
    }
    explanation = reporting_explain (store, &params, report, "kpis[C-3].actual_qty", 0, 0,
                                     NULL, &code, &why);
    assert (!explanation && code == 400 && strstr (why, "PARTNER/CONTRACT/KPI"));
    zstr_free (&why);
    json_decref (report);

    reporting_store_fixture_end (&store, path);
    printf ("OK\n");
}
