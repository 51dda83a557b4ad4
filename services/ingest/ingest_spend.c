/*  =========================================================================
    ingest_spend - the spend feed: council "spend over £500" CSV files

    Data. The field table below maps every header seen in the real spend
    files (shared/realdata/spend-*) to the canonical spend fields; an
    unusual synonym names the file it came from. sv_csv finds the
    header and hands over each row as canonical values; this file checks
    them, in a fixed order so that a row's error is always its first
    problem: the row's shape, payment date, amount (with its debit or
    credit marker), supplier name, transaction number, line, company
    number, postcode. Nothing is guessed: a value that cannot be read one
    way only rejects the row.

    Timing. One pass, row by row, as the bytes arrive. Two kinds of state
    outlive a row. While the payment date column's convention is open
    (see the header), the rows from the first ambiguous date on wait, in
    file order, in memory up to S_HELD_MEMORY and in a temporary file past
    it, and are checked only once a date settles the column (or the file
    ends), so a row is always checked under the column's one convention
    and its key is counted in file order. And the count of each counted
    text seen so far (a transaction number, a number with its line, or a
    content digest: see s_process), exact, in two places. Most numbers are
    finance-system document numbers, up to 18 digits and near-sequential,
    sometimes with a period or a line joined on (1012-00001, 46281108_1):
    their first occurrences are bits in Roaring bitmaps, a bit or two a
    number, up to a memory budget. Every other number, and the second and
    later occurrences of those, are counted in an open-addressing
    table over a string arena: 17-33 bytes per distinct number plus its
    text, where a zhash would cost several times that on a million-row
    file. Its hash is seeded per reader, so a file cannot be built to make
    every number collide.
    =========================================================================
*/

#include "ingest_spend.h"

#include <assert.h>
#include <czmq.h>
#include <roaring/roaring.h>
#include <sys/random.h>
#include "ingest_spill.h"
#include "sv_company.h"
#include "sv_date.h"
#include "sv_digest.h"
#include "sv_money.h"
#include "sv_postcode.h"

//  A macro's value as a string literal
#define S_TEXT_(value) #value
#define S_TEXT(value) S_TEXT_(value)


//  --------------------------------------------------------------------------
//  The field table. Synonyms are best first: where a file has two columns
//  for one field, the better-ranked one wins and the other is ignored.

static const char *const s_body_name [] = {
    "Body Name",
    "Name of Body",             //  Devon (beside "Body", its code: 18)
    "Body",                     //  Lambeth 2012-06 (a name; where a "Body Name"
                                //  column exists, as in Leeds and Calderdale,
                                //  "Body" holds a URI and becomes body_code)
    "Organisation Name",        //  Wakefield
    "Authority Name",           //  Salford
    "Organisation Label",       //  ODI Leeds' processed layout
    "Entity",                   //  Cabinet Office
    "Organisation", "Authority", "Council",
    "Client",                   //  Oxford 2017 ("OCC")
    "Trust Name",               //  NHS trusts
    NULL
};
static const char *const s_body_code [] = {
    "Body Code", "Organisation Code" /* Wakefield */, "Authority Code",
    "Departmental Family",      //  Cabinet Office ("CAB")
    "Body",                     //  Leeds, Calderdale (a statistics.data.gov.uk URI);
                                //  Devon (a number, 18)
    NULL
};
static const char *const s_payment_date [] = {
    "Payment Date", "Paid Date" /* Oxford, Newcastle */, "Date Paid" /* Leeds */,
    "Date of Payment",          //  Salford
    "Invoice Payment Date",     //  Manchester
    "Clearing Date",            //  London (SAP: the date the payment cleared)
    "GL Date",                  //  Sheffield (JD Edwards)
    "Invoice GL Date",          //  Network Rail
    "Transaction Date", "Posting Date", "Posted Date",
    "Posted Fiscal Date", "Fiscal Date",    //  Havering 2011-14 (the ledger date)
    "Entry Date", "Input Date", //  Islington (the ledger date; no other date)
    "Date Incurred",            //  Newham 2018-19: the Transparency Code's
                                //  "date the expenditure was incurred"
    "Actual Payment Date", "Payment Date - G/L Date", "Date Incurred - Payment Date",
    "#. Date Paid", "#. Date Incurred", //  Hackney's numbered columns, paid first
    "Date of Transaction", "Trans Date",    //  purchase card files
    "Invoice Creation Date",    //  Lambeth 2012-06, its only date
    "Date",                     //  Calderdale, Cabinet Office, Darlington
    NULL
};
static const char *const s_transaction_no [] = {
    "Transaction Number", "Transaction No." /* Harrogate */, "Transaction ID",
    "Transcation Number",       //  Bexley, misspelt
    "TransNo",                  //  Gateshead, Wakefield
    "Trans No",                 //  Oxford
    "Transaction Reference", "Transaction Ref",
    "Document No",              //  London; Sheffield "Document No."
    "Document Number",
    "SAP Document Number",      //  Salford
    "Internal Ref",             //  Newcastle
    "Payment Reference", "Payment Ref",
    "Payment Reference Number", //  Barnet (beside "Payment Number", ranked below)
    "Payment Number", "Payment No", "Payment ID",
    "HBC Ref No",               //  a borough council's "HBC ref no", "HBC Ref No."
    "Transaction Ref No", "Trans Ref",
    "Voucher Number", "Voucher No",     //  the council's own AP voucher
    NULL
};
static const char *const s_line [] = {
    "Line", "Line No", "Line Number", "Transaction Line", "Transaction Line Number",
    "Seq No",                   //  Wakefield; Gateshead "Seq no"
    "Seq", "Sequence", "Sequence Number", "Sequence No",
    NULL
};
static const char *const s_amount [] = {
    "Amount", "Net Amount" /* Bradford, Wakefield; ODI Leeds "Net Amount £" */,
    "Nett Amount",
    "Invoice Nett Amount",      //  Lambeth 2012-06
    "Sum of Invoice Nett Amount",   //  Lambeth 2011-01 supplier summary
    "Invoiced Value",           //  Sheffield
    "Invoice Line Value (net of VAT)",  //  Darlington
    "Net",                      //  Salford (beside Gross and VAT)
    "Net Value", "Amount Excl VAT", "Amount Paid", "Payment Amount", "Value",
    "Total",                    //  Newcastle
    "Spend",                    //  Network Rail
    "Amount in Sterling",       //  the NHS / central government template
                                //  (Epsom and St Helier's column key)
    "Amount Exc VAT",           //  Durham's column key
    "Transaction Amount", "Total Amount", "Amount Excluding VAT",
    "Gross Amount", "Gross",    //  only where no net amount is given
    //  London boroughs' amount columns (each the file's only amount): Barnet
    //  2013-15 and its Oracle "Distribution Amount" since; Camden's snake
    //  case; Lambeth's 2015-17 warehouse report; Lewisham's "£ SPEND
    //  (EXCLUDING VAT)"; Havering 2011; Haringey's pivot-table exports
    "Expenditure Amount (exc VAT)", "Expenditure over \xC2\xA3" "500 (exc VAT)",
    "Distribution Amount", "Amount GBP", "Invoice Line Net Amount",
    "Spend (Excluding VAT)", "AP Document Amount", "Sum of Amount",
    "Amount Ex VAT",            //  Hammersmith and Fulham "Amount £ (Ex VAT)"
    "Invoice Line Amount",      //  Greenwich
    "Distrib Amount SUM",       //  Hillingdon
    "Trans Original Net Amt", "Invoice Amount",
    "GBP",                      //  a column headed "£" alone (Bexley before
                                //  2022), as sv_csv folds it
    NULL
};
static const char *const s_supplier_name [] = {
    "Supplier Name",            //  Oxford jul-sep-2014 writes "Supplier Name "
    "Supplier",                 //  Cabinet Office, Darlington
    "Supplier Text",            //  Gateshead
    "Vendor Name",              //  London
    "Beneficiary Name",         //  Sheffield processed 2021
    "Benificiary Name",         //  ODI Leeds' layout, misspelt
    "Beneficiary", "Payee Name", "Payee", "Creditor Name", "Vendor",
    "Creditor",
    "Supplier (Beneficiary)",   //  East Cambridgeshire's column key
    "Merchant Name", "Merchant",        //  purchase card files
    "Vendor Name 2",            //  Brent (its only supplier column)
    "Supplier Description",     //  Redbridge (the supplier's name)
    "Supplier (Beneficiary) Name",  //  Kensington and Chelsea
    "#. Beneficiary",           //  Hackney's numbered columns
    "Updated Beneficiary",      //  Harrow
    "Amended Supplier Name",    //  Ealing
    "Reported Beneficiary", "Published Supplier Name", "Supplier Name Redacted",
    "Name",                     //  a borough council's "Name:" (nothing else
                                //  in a spend file is named bare "Name")
    NULL
};
static const char *const s_supplier_id [] = {
    "Supplier ID", "Supplier Number" /* Bradford */, "Supplier No", "Supplier Code",
    "Supplier Reference", "Supplier Ref",
    "Vendor ID",                //  London
    "Vendor Number",
    "Address Book No.",         //  Sheffield (JD Edwards' supplier key)
    "Creditor Number", "Creditor ID", "Creditor Code", "Vendor Code",
    "Supplier Account Number",
    NULL
};
static const char *const s_vat_number [] = {
    "VAT Registration Number",  //  Calderdale
    "VAT Number", "VAT No", "VAT Reg No", "VAT Registration No",
    "Supplier VAT Number", "Supplier VAT Registration Number", "VAT Reg Number",
    NULL
};
static const char *const s_company_number [] = {
    "Company Number",           //  Sheffield processed 2021
    "Company No", "Company Registration Number", "Company Reg No",
    "Companies House Number", "Supplier Company Number", "Registered Company Number",
    NULL
};
static const char *const s_postcode [] = {
    "Postcode", "Post Code", "Supplier Postcode", "Supplier Post Code", "Postal Code",
    NULL
};
static const char *const s_expense_area [] = {
    "Expense Area",             //  Calderdale, Cabinet Office
    "Service Area",             //  Manchester, Newcastle, Oxford 2017
    "Service Label",            //  Bradford, Harrogate, Leeds
    "Service",                  //  Darlington
    "Organisational Unit",      //  Oxford, Sheffield, North Tyneside
    "Organisatonal Unit",       //  Oxford apr-jun-2015, misspelt
    "Organisation Unit",
    "Department",               //  Lambeth 2012-06
    "Business Unit Description",    //  Sheffield
    "Strategic Group",          //  Gateshead
    "Directorate",              //  Darlington, Newcastle, Salford, Wakefield
    "Division", "Portfolio",
    "Cost Centre Description", "Cost Centre Name", "Cost Centre",   //  police, NHS
    "Service Area Categorisation",  //  Derbyshire
    NULL
};
static const char *const s_expense_type [] = {
    "Expense Type",             //  Calderdale, Cabinet Office
    "Expenses Type",            //  Manchester
    "Expenditure Type",
    "Detailed Expenditure Type",    //  Leeds (beside a broader category)
    "SeRCOP Detailed Expenditure Type",     //  North Tyneside
    "Expense Description",
    "Expense Code Description",     //  Sheffield
    "Expenditure Account Code Description", //  London
    "Expenditure Account",      //  Transport for London ("Expenditure Account ")
    "Expenditure Category",     //  Bradford, Harrogate, Oxford, Leeds
    "Expenditure Catergory",    //  Oxford jan-mar-2017, misspelt
    "SeRCOP Expenditure Category",  //  North Tyneside
    "Purpose Of Spend",         //  Wakefield
    "Subj Description",         //  Lambeth 2012-06
    "G/L Description",          //  Salford
    "Spend Level 2",            //  Gateshead
    "Category Family",          //  Network Rail
    "Account",                  //  Darlington
    "Category", "Cost Type",
    "Subjective Description", "Subjective Name",    //  police
    "Account Description",
    "Detailed Expense Type",    //  Durham
    "Procurement Category",     //  East Cambridgeshire
    "Merchant Category", "Merchant Category Description",   //  purchase cards
    NULL
};
static const char *const s_expense_code [] = {
    "Expense Code",             //  Calderdale, Sheffield
    "Expenditure Code",         //  Bradford, Harrogate, Oxford
    "Detailed Expenditure Code",    //  Leeds
    "SeRCOP Detailed Expenditure Code",     //  North Tyneside
    "SeRCOP Expenditure Code",  //  North Tyneside
    "Expenditure Account Code",
    "Cost Element",             //  London (SAP)
    "Account Code", "Expense Account", "Subjective Code", "Nominal Code", "GL Code",
    "Merchant Category Code",   //  purchase cards (MCC)
    "CIPFA Expenditure Code",   //  East Cambridgeshire
    NULL
};
static const char *const s_capital_revenue [] = {
    "Capital or Revenue",       //  Leeds
    "Capital/Revenue",          //  North Tyneside; Harrogate "Capital /Revenue"
    "Cap/Rev",                  //  Newcastle
    "CapOrRev",                 //  Oxford jan-mar-2014 "caporrev"
    "Revenue/Capital", "Capital Revenue", "Revenue or Capital",
    "Type of Expenditure",      //  Oxford 2017
    "Type",                     //  Oxford 2014-15, Wakefield
    NULL
};
static const char *const s_narrative [] = {
    "Narrative",                //  Harrogate
    "Description",
    "Extended Description",     //  Calderdale
    "Item Description",         //  Network Rail
    "Transaction Description", "Payment Description", "Invoice Description",
    "Line Description", "Purpose", "Details",
    "Summary of Purpose",       //  the Transparency Code's "summary of the purpose"
    "Summary of the Purpose of the Expenditure", "Purpose of Expenditure",
    "Purpose of Expenditure (Narrative)",   //  East Cambridgeshire
    NULL
};
//  Columns that mark a row debit or credit. The first ones say nothing
//  else, so every cell must be a marker; a "Transaction Type" column may
//  also hold other kinds of row (see s_marker).
static const char *const s_credit_debit [] = {
    "Debit/Credit", "Credit/Debit", "Dr/Cr", "Cr/Dr",
    "Debit/Credit Indicator", "Debit Credit Indicator", "Dr/Cr Indicator",
    "INV/CRN",                  //  West Mercia Police's column key
    "Invoice/Credit Note", "Invoice/Credit",
    "Transaction Type",
    NULL
};

static const sv_csv_field_t s_fields [INGEST_SPEND_FIELDS] = {
    { "body_name", s_body_name, false },
    { "body_code", s_body_code, false },
    { "payment_date", s_payment_date, true },
    { "transaction_no", s_transaction_no, false },
    { "line", s_line, false },
    { "amount", s_amount, true },
    { "supplier_name", s_supplier_name, true },
    { "supplier_id", s_supplier_id, false },
    { "vat_number", s_vat_number, false },
    { "company_number", s_company_number, false },
    { "postcode", s_postcode, false },
    { "expense_area", s_expense_area, false },
    { "expense_type", s_expense_type, false },
    { "expense_code", s_expense_code, false },
    { "capital_revenue", s_capital_revenue, false },
    { "narrative", s_narrative, false },
    { "credit_debit", s_credit_debit, false },
};


//  --------------------------------------------------------------------------
//  Occurrences of each transaction number: open addressing over an arena.
//  A slot's key is at arena offset key (0: empty slot; the arena starts
//  with one unused byte so that no key is at 0).

typedef struct {
    uint32_t key;
    uint32_t hash;
    uint32_t count;
} s_slot_t;

typedef struct {
    s_slot_t *slots;
    size_t slot_count;          //  a power of two, or 0
    size_t used;
    char *arena;
    size_t arena_used;
    size_t arena_size;
    uint64_t seed;
} s_counter_t;

//  Returns the 32-bit hash of text under this table's seed
static uint32_t
s_counter_hash (const s_counter_t *self, const char *text)
{
    //  FNV-1a from a per-reader seed, then a 64-bit finaliser
    uint64_t hash = self->seed ^ 0xcbf29ce484222325ULL;
    for (; *text; text++) {
        hash ^= (unsigned char) *text;
        hash *= 0x100000001b3ULL;
    }
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccdULL;
    hash ^= hash >> 33;
    return (uint32_t) hash;
}

//  Doubles the slot table. Returns 0 or -1.
static int
s_counter_grow (s_counter_t *self)
{
    size_t count = self->slot_count? self->slot_count * 2: 1024;
    s_slot_t *slots = (s_slot_t *) calloc (count, sizeof (s_slot_t));
    if (!slots)
        return -1;
    for (size_t index = 0; index < self->slot_count; index++) {
        s_slot_t *slot = &self->slots [index];
        if (!slot->key)
            continue;
        size_t at = slot->hash & (count - 1);
        while (slots [at].key)
            at = (at + 1) & (count - 1);
        slots [at] = *slot;
    }
    free (self->slots);
    self->slots = slots;
    self->slot_count = count;
    return 0;
}

//  Counts one more occurrence of text. Returns the count (1 for the first),
//  or 0 when out of memory, when the arena would pass 4 GiB, or when text
//  is new and the table already holds limit numbers.
static uint32_t
s_counter_add (s_counter_t *self, const char *text, size_t limit)
{
    if (self->used + 1 > self->slot_count / 4 * 3 && self->used < limit
    &&  s_counter_grow (self))
        return 0;
    if (!self->slot_count)
        return 0;               //  limit 0: the table holds nothing
    uint32_t hash = s_counter_hash (self, text);
    size_t at = hash & (self->slot_count - 1);
    while (self->slots [at].key) {
        s_slot_t *slot = &self->slots [at];
        if (slot->hash == hash && strcmp (self->arena + slot->key, text) == 0)
            return slot->count < UINT32_MAX? ++slot->count: 0;
        at = (at + 1) & (self->slot_count - 1);
    }
    if (self->used >= limit)
        return 0;
    size_t length = strlen (text) + 1;
    if (self->arena_used == 0)
        self->arena_used = 1;
    if (self->arena_used + length > UINT32_MAX)
        return 0;
    if (self->arena_used + length > self->arena_size) {
        size_t size = self->arena_size? self->arena_size: 4096;
        while (self->arena_used + length > size)
            size *= 2;
        char *arena = (char *) realloc (self->arena, size);
        if (!arena)
            return 0;
        self->arena = arena;
        self->arena_size = size;
    }
    memcpy (self->arena + self->arena_used, text, length);
    self->slots [at] = (s_slot_t) { (uint32_t) self->arena_used, hash, 1 };
    self->arena_used += length;
    self->used++;
    return 1;
}


//  --------------------------------------------------------------------------
//  First occurrences of transaction numbers in Roaring bitmaps. A
//  number's shape is its text with each digit as S_DIGIT ("1012-00001"
//  is "####-#####" with # for S_DIGIT), its value the 1 to 18 digits read
//  as one number. A bitmap's key is (shape, value >> 32) and it holds
//  value & 0xffffffff; shape and value give back the text, so the key is
//  injective: "7", "007", "0-07" and "00-7" are four numbers, as they are
//  to the string table. Near-sequential numbers of one shape share one or
//  a handful of bitmaps; the bitmaps are a sorted array, with the last
//  one used tried first.
//
//  Memory is bounded by limits, and the counts stay exact because a
//  number always takes the same path: it is looked up in its bitmap
//  before the limits are asked, and their answer, once "no", is "no" for
//  good (shapes, bitmaps, containers and measured bytes only grow, and
//  full is never cleared). So a number the bitmaps took is found there at
//  every later occurrence, and one they refused was never added and is
//  refused again, going to the string table each time.

//  Stands for a digit in a shape; a text holding it is not taken, nor
//  one holding any other control character
#define S_DIGIT             '\x01'
//  Shapes longer than this are not document numbers
#define S_SHAPE_MAX         32
//  Distinct shapes: a finance system writes one or two
#define S_NUMBERS_SHAPES    64
//  The bitmaps together may hold about this many bytes
#define S_NUMBERS_BUDGET    (16 << 20)
//  Distinct (shape, value >> 32) keys: more is not document numbers
#define S_NUMBERS_BITMAPS   4096
//  Containers (of 65,536 values each) in all bitmaps. A bitmap keeps its
//  containers in one sorted array, so numbers in random order cost a
//  memmove of it each: filling 65,536 containers so took 0.34 s, 16,384
//  take 0.01 s. Near-sequential numbers reach it only when they span
//  about 10^9 values.
#define S_NUMBERS_CONTAINERS 16384
//  Numbers added between two measures of the bitmaps: at ~250 bytes a
//  number at worst (a new bitmap and container), the budget is passed by
//  at most ~1 MB
#define S_NUMBERS_MEASURE   4096

typedef struct {
    uint64_t key;               //  shape's index << 32 | value >> 32
    roaring_bitmap_t *bitmap;
} s_bitmap_t;

typedef struct {
    s_bitmap_t *bitmaps;        //  sorted by key
    size_t count;
    size_t allocated;
    size_t last;                //  index of the bitmap used last
    size_t added;               //  numbers added since the last measure
    bool full;                  //  takes no new number, ever again
    char shapes [S_NUMBERS_SHAPES][S_SHAPE_MAX + 1];     //  in order first added
    size_t shape_count;
    size_t last_shape;          //  index of the shape found last
    //  Limits, set by ingest_spend_new; the self-test lowers them
    size_t budget;              //  bytes
    size_t bitmaps_max;
    size_t containers_max;
    size_t measure_every;       //  numbers
} s_numbers_t;

//  Returns an upper bound on the heap bytes one bitmap holds. CRoaring's
//  serialised size leaves out the spare capacity of array containers (up
//  to half again) and ~90 bytes of headers per container, which is most
//  of a sparse bitmap; measured with mallinfo2 against 0.2.66.
static size_t
s_numbers_bytes (const roaring_bitmap_t *bitmap)
{
    return roaring_bitmap_size_in_bytes (bitmap) / 2 * 3
         + (size_t) bitmap->high_low_container.size * 96 + 160;
}

//  Sums the bitmaps' bytes and containers and closes the bitmaps for
//  good past either limit
static void
s_numbers_measure (s_numbers_t *self)
{
    size_t bytes = self->allocated * sizeof (s_bitmap_t);
    size_t containers = 0;
    for (size_t index = 0; index < self->count; index++) {
        bytes += s_numbers_bytes (self->bitmaps [index].bitmap);
        containers += (size_t) self->bitmaps [index].bitmap->high_low_container.size;
    }
    if (bytes >= self->budget || containers >= self->containers_max)
        self->full = true;
    self->added = 0;
}

//  Finds text's shape and value. Returns the shape's index, count when
//  it is new (in shape), or -1 when the bitmaps do not take text: no digit
//  or more than 18, a control character, or longer than S_SHAPE_MAX.
static int
s_numbers_shape (s_numbers_t *self, const char *text,
                 char shape [S_SHAPE_MAX + 1], uint64_t *value_p)
{
    uint64_t value = 0;
    size_t digits = 0, size = 0;
    for (; text [size]; size++) {
        char next = text [size];
        if (size == S_SHAPE_MAX || (unsigned char) next < 0x20)
            return -1;
        if (next >= '0' && next <= '9') {
            if (++digits > 18)
                return -1;
            value = value * 10 + (uint64_t) (next - '0');
            next = S_DIGIT;
        }
        shape [size] = next;
    }
    if (digits == 0)
        return -1;
    shape [size] = 0;
    *value_p = value;
    if (self->last_shape < self->shape_count
    &&  streq (self->shapes [self->last_shape], shape))
        return (int) self->last_shape;
    for (size_t index = 0; index < self->shape_count; index++)
        if (streq (self->shapes [index], shape)) {
            self->last_shape = index;
            return (int) index;
        }
    return (int) self->shape_count;
}

//  Counts text's first occurrence in the bitmaps. Returns 1 when text is
//  new there (its first occurrence), 0 when it is already there (a
//  repeat, for the string table to count), or -1 when the bitmaps do not
//  take it: see s_numbers_shape, or past their limits.
static int
s_numbers_add (s_numbers_t *self, const char *text)
{
    char shape [S_SHAPE_MAX + 1];
    uint64_t value;
    int shape_index = s_numbers_shape (self, text, shape, &value);
    if (shape_index < 0)
        return -1;
    uint64_t key = (uint64_t) shape_index << 32 | value >> 32;
    uint32_t low = (uint32_t) value;

    //  The bitmap for key, or where it would go
    size_t at = self->last;
    if (at >= self->count || self->bitmaps [at].key != key) {
        size_t lower = 0, upper = self->count;
        while (lower < upper) {
            size_t middle = lower + (upper - lower) / 2;
            if (self->bitmaps [middle].key < key)
                lower = middle + 1;
            else
                upper = middle;
        }
        at = lower;
    }
    bool found = at < self->count && self->bitmaps [at].key == key;
    if (found && roaring_bitmap_contains (self->bitmaps [at].bitmap, low)) {
        self->last = at;
        return 0;
    }
    //  Only now the limits: see the section comment
    if (self->full || (!found && self->count >= self->bitmaps_max))
        return -1;
    if ((size_t) shape_index == self->shape_count) {
        if (self->shape_count == S_NUMBERS_SHAPES)
            return -1;
        strcpy (self->shapes [self->shape_count++], shape);
    }
    if (!found) {
        if (self->count == self->allocated) {
            size_t allocated = self->allocated? self->allocated * 2: 4;
            s_bitmap_t *bitmaps = (s_bitmap_t *) realloc (self->bitmaps,
                                                          allocated * sizeof (s_bitmap_t));
            if (!bitmaps) {
                self->full = true;      //  never take a number later that was refused now
                return -1;
            }
            self->bitmaps = bitmaps;
            self->allocated = allocated;
        }
        roaring_bitmap_t *bitmap = roaring_bitmap_create ();
        if (!bitmap) {
            self->full = true;
            return -1;
        }
        memmove (&self->bitmaps [at + 1], &self->bitmaps [at],
                 (self->count - at) * sizeof (s_bitmap_t));
        self->bitmaps [at] = (s_bitmap_t) { key, bitmap };
        self->count++;
    }
    self->last = at;
    roaring_bitmap_add (self->bitmaps [at].bitmap, low);
    if (++self->added >= self->measure_every)
        s_numbers_measure (self);
    return 1;
}

//  Frees the bitmaps; self can be used again, empty
static void
s_numbers_free (s_numbers_t *self)
{
    for (size_t index = 0; index < self->count; index++)
        roaring_bitmap_free (self->bitmaps [index].bitmap);
    free (self->bitmaps);
    self->bitmaps = NULL;
    self->count = self->allocated = 0;
    self->shape_count = self->last_shape = 0;
}


//  --------------------------------------------------------------------------
//  Rows held while the payment date column's convention is open, in an
//  ingest_spill (memory up to S_HELD_MEMORY, a temporary file past it).
//  A row is held as its sv_csv record: source line and cell count (size_t
//  each), then per field and for the shape error a byte 0 (NULL) or 1 and
//  the text with its NUL.

//  Bytes of held records kept in memory before they go to a file
#define S_HELD_MEMORY (4 << 20)

//  Appends a NULL-or-text value to an encoded record
static void
s_held_text (zchunk_t *record, const char *text)
{
    char present = text != NULL;
    zchunk_extend (record, &present, 1);
    if (text)
        zchunk_extend (record, text, strlen (text) + 1);
}

//  Encodes row into record, which it empties first
static void
s_held_encode (const sv_csv_row_t *row, zchunk_t *record)
{
    zchunk_set (record, NULL, 0);
    zchunk_extend (record, &row->line, sizeof (size_t));
    zchunk_extend (record, &row->cells, sizeof (size_t));
    for (size_t field = 0; field < INGEST_SPEND_FIELDS; field++)
        s_held_text (record, row->values [field]);
    s_held_text (record, row->shape_error);
}

//  Reads an encoded record back into row and values (which point into it)
static void
s_held_decode (const char *record, sv_csv_row_t *row, const char **values)
{
    memcpy (&row->line, record, sizeof (size_t));
    memcpy (&row->cells, record + sizeof (size_t), sizeof (size_t));
    const char *at = record + 2 * sizeof (size_t);
    for (size_t field = 0; field <= INGEST_SPEND_FIELDS; field++) {
        const char *text = *at++? at: NULL;
        if (text)
            at += strlen (text) + 1;
        if (field < INGEST_SPEND_FIELDS)
            values [field] = text;
        else
            row->shape_error = text;
    }
    row->values = values;
}


//  --------------------------------------------------------------------------
//  The reader

//  Repeated rows warned of one by one; past this, they are counted and
//  summed up in one warning at the end
#define S_REPEATS_WARNED 20

//  The most bytes a value may have, by field; 0 where the field's own
//  format bounds it (dates, amounts, lines, company numbers, postcodes).
//  Names and ids stay within the 256-byte supplier key ("NAME:" and 250)
//  so that no two suppliers are merged by cutting; the rest keep an event
//  well inside what the store and the stream take.
static const size_t s_limits [INGEST_SPEND_FIELDS] = {
    [INGEST_SPEND_BODY_NAME] = 250,
    [INGEST_SPEND_BODY_CODE] = 250,
    [INGEST_SPEND_TRANSACTION_NO] = INGEST_SPEND_TRANSACTION_MAX,
    [INGEST_SPEND_SUPPLIER_NAME] = 250,
    [INGEST_SPEND_SUPPLIER_ID] = 250,
    [INGEST_SPEND_VAT_NUMBER] = 50,
    [INGEST_SPEND_EXPENSE_AREA] = 250,
    [INGEST_SPEND_EXPENSE_TYPE] = 250,
    [INGEST_SPEND_EXPENSE_CODE] = 250,
    [INGEST_SPEND_CAPITAL_REVENUE] = 100,
    [INGEST_SPEND_NARRATIVE] = 2000,
};

struct _ingest_spend_t {
    sv_csv_t *csv;
    ingest_spend_row_fn *row_fn;
    sv_csv_error_fn *error_fn;
    sv_csv_error_fn *warning_fn;        //  may be NULL
    void *arg;
    void *warning_arg;
    s_numbers_t numbers;                //  first occurrences of digit numbers
    s_counter_t counter;                //  the other numbers, and repeats
    ingest_spend_count_fn *count_fn;    //  when set, counts past in_memory
    void *count_arg;
    size_t in_memory;                   //  distinct numbers counter may hold
    size_t accepted;
    size_t rejected;
    int64_t total;
    bool fed;                           //  data has been fed
    //  The payment date column's convention: 0 while open
    int date_order;                     //  SV_DATE_DMY or SV_DATE_MDY
    bool date_declared;                 //  by the partner's config
    size_t order_line;                  //  the row whose date settled it, or 0
    char order_value [48];              //  that date, as written
    ingest_spill_t *held;               //  rows waiting while it is open
    zchunk_t *record;                   //  a row being held, encoded
    size_t held_line;                   //  the line of the last row released
    size_t repeats;                     //  rows that repeat an earlier one
    bool float_warned;                  //  of an amount read from a printed double
    bool id_warned [INGEST_SPEND_FIELDS];   //  of an identifier that names no one
    char reason [400];          //  a composed reason, for the error callback
    char date_reason [200];     //  a composed date reason
    char counted [INGEST_SPEND_TRANSACTION_MAX + 32];  //  "number/line"
    char key [INGEST_SPEND_KEY_MAX + 1];
    zchunk_t *content;          //  a row's fields, for its digest
    char refusal [200];         //  the reader's own refusal, or ""
    //  Credits beside a debit/credit column: how the file writes them,
    //  once a credit row has shown it (see the header)
    int credit_sign;            //  0 open, -1 already negative, 1 unsigned
    size_t credit_line;         //  the row that showed it
    bool marker_checked;        //  the marker column's kind is known
    bool marker_strict;         //  every cell must be a marker
};

//  Reports a rejected row.
static void
s_reject (ingest_spend_t *self, size_t line, ingest_spend_field_t field,
          const char *value, const char *reason)
{
    self->rejected++;
    if (self->error_fn) {
        const char *column = field < INGEST_SPEND_FIELDS? sv_csv_column (self->csv, field): NULL;
        sv_csv_error_t error = { line, column, column? value: NULL, reason };
        self->error_fn (&error, self->arg);
    }
}

//  True when amount, which sv_money read, has nonzero digits past the
//  pence: a binary double printed in full (see sv_money_parse)
static bool
s_float_printed (const char *amount)
{
    const char *dot = strchr (amount, '.');
    if (!dot)
        return false;
    size_t decimals = strspn (dot + 1, "0123456789");
    return decimals > 2 && strspn (dot + 3, "0") < decimals - 2;
}

//  Tells the caller something a person should know about a row or the
//  file that was nevertheless read (field INGEST_SPEND_FIELDS: no column)
static void
s_warn (ingest_spend_t *self, size_t line, ingest_spend_field_t field,
        const char *value, const char *reason)
{
    if (self->warning_fn) {
        const char *column = field < INGEST_SPEND_FIELDS? sv_csv_column (self->csv, field): NULL;
        sv_csv_error_t warning = { line, column, column? value: NULL, reason };
        self->warning_fn (&warning, self->warning_arg);
    }
}

//  Returns value, or "" for NULL
static const char *
s_text (const char *value)
{
    return value? value: "";
}

//  Reads an explicit line/sequence number: decimal digits only, up to
//  999,999,999. Returns NULL, or a static reason.
static const char *
s_read_line (const char *text, int64_t *line_p)
{
    int64_t line = 0;
    for (const char *digit = text; *digit; digit++) {
        if (*digit < '0' || *digit > '9')
            return "line number is not a whole number";
        line = line * 10 + (*digit - '0');
        if (line > 999999999)
            return "line number too large";
    }
    *line_p = line;
    return NULL;
}

//  True if text, folded to ASCII letters and digits in lower case, is
//  folded (which is already so)
static bool
s_folded_is (const char *text, const char *folded)
{
    for (; *text; text++) {
        if (!isalnum ((unsigned char) *text))
            continue;
        if (tolower ((unsigned char) *text) != *folded++)
            return false;
    }
    return *folded == 0;
}

//  What a debit/credit marker says: 1 a credit, -1 a debit, 0 neither.
//  Read by its letters in any case, so "CR", "Cr." and "Credit Note" are
//  what they look like; a marker with a digit in it is neither.
static int
s_marker (const char *text)
{
    static const char *const credits [] = {
        "c", "cr", "crn", "cn", "credit", "creditnote", "creditmemo",
        "refund",               //  purchase card files' "Transaction Type"
        NULL
    };
    static const char *const debits [] = {
        "d", "dr", "debit", "inv", "invoice", "debitnote", NULL
    };
    if (strpbrk (text, "0123456789"))
        return 0;
    for (size_t index = 0; credits [index]; index++)
        if (s_folded_is (text, credits [index]))
            return 1;
    for (size_t index = 0; debits [index]; index++)
        if (s_folded_is (text, debits [index]))
            return -1;
    return 0;
}

//  Reads a row's amount, pence, against its debit/credit marker (see
//  "Credits" in the header), negating it where the file writes credits
//  unsigned. Returns 0 to go on, 1 when the row was rejected, or -1 when
//  the file is refused whole (the reader's refusal then says why).
static int
s_credit (ingest_spend_t *self, size_t line, const char *marker, const char *amount,
          int64_t *pence)
{
    const char *column = sv_csv_column (self->csv, INGEST_SPEND_CREDIT_DEBIT);
    if (!self->marker_checked) {
        //  A "Transaction Type" may also name payments of other kinds
        //  ("BACS", "Journal"): those rows keep the amount as written
        self->marker_strict = !s_folded_is (column, "transactiontype");
        self->marker_checked = true;
    }
    int kind = s_marker (marker);
    if (kind == 0 && self->marker_strict) {
        s_reject (self, line, INGEST_SPEND_CREDIT_DEBIT, marker, *marker
                  ? "neither a debit nor a credit marker (such as DR or CR, Debit or Credit, "
                    "INV or CRN, Invoice or Credit Note)"
                  : "no debit or credit marker: the amount's sign cannot be told");
        return 1;
    }
    //  A negative line of an invoice (a discount taken off it) is what a
    //  "Transaction Type" of "Invoice" may well hold: only a column that
    //  says debit or credit and nothing else contradicts a minus
    if (kind < 0 && *pence < 0 && self->marker_strict) {
        s_reject (self, line, INGEST_SPEND_AMOUNT, amount,
                  "a negative amount on a row marked as a debit: the sign and the marker "
                  "disagree");
        return 1;
    }
    if (kind <= 0 || *pence == 0)
        return 0;

    int sign = *pence < 0? -1: 1;
    if (!self->credit_sign) {
        self->credit_sign = sign;
        self->credit_line = line;
        if (sign > 0) {
            snprintf (self->reason, sizeof self->reason,
                      "credits are written as positive amounts beside the marker '%s': "
                      "read as negative, as is every credit of this file", marker);
            s_warn (self, line, INGEST_SPEND_CREDIT_DEBIT, marker, self->reason);
        }
    }
    else
    if (sign != self->credit_sign) {
        size_t negative = sign < 0? line: self->credit_line;
        size_t positive = sign > 0? line: self->credit_line;
        snprintf (self->refusal, sizeof self->refusal,
                  "credits are written both ways beside column '%s' (line %zu negative, "
                  "line %zu positive): which amounts are credits cannot be told",
                  column, negative, positive);
        return -1;
    }
    if (sign > 0)
        *pence = -*pence;
    return 0;
}

//  True if a supplier name names nobody: no letter (an ASCII letter or any
//  non-ASCII character, a name's accented or non-Latin letters byte by
//  byte) and some punctuation, as a date, a date range or an amount has.
//  Digits alone are kept: "3663" is a food wholesaler's name.
static bool
s_no_name (const char *text)
{
    bool punctuation = false;
    for (; *text; text++) {
        unsigned char c = (unsigned char) *text;
        if (isalpha (c) || c >= 0x80)
            return false;
        punctuation |= !isdigit (c) && c != ' ';
    }
    return punctuation;
}

//  Reads an identifier cell (supplier ID, VAT number) that names no one,
//  a redaction ("Redacted": Wakefield's every supplier ID), a placeholder
//  ("N/A", "Not yet available") or zeros alone, as no identifier: kept,
//  it would make every supplier of the file one supplier. Sets *value to
//  "" and warns, once a file for each column.
static void
s_no_identifier (ingest_spend_t *self, size_t line, ingest_spend_field_t field,
                 const char **value)
{
    const char *text = *value;
    bool zeros = *text && strspn (text, "0") == strlen (text);
    if (!*text || !(zeros || ingest_spend_redaction (text) || sv_company_placeholder (text)))
        return;
    if (!self->id_warned [field]) {
        snprintf (self->reason, sizeof self->reason,
                  "names no one: read as no %s, so its supplier is known by name (or company "
                  "number); every such cell of this column is read alike",
                  field == INGEST_SPEND_VAT_NUMBER? "VAT number": "supplier ID");
        s_warn (self, line, field, *value, self->reason);
        self->id_warned [field] = true;
    }
    *value = "";
}

//  Counts one more occurrence of a transaction number. Returns the count
//  (1 for the first), or 0 when it cannot be counted.
static uint32_t
s_count (ingest_spend_t *self, const char *transaction)
{
    int taken = s_numbers_add (&self->numbers, transaction);
    if (taken == 1)
        return 1;
    //  The string table counts what the bitmaps do not: for a number in
    //  them, its repeats, so its count is one more. Past in_memory
    //  distinct texts, new ones are counted by count_fn when set, so
    //  memory stays bounded and small files stay fast.
    uint32_t count = s_counter_add (&self->counter, transaction,
                                    self->count_fn? self->in_memory: SIZE_MAX);
    if (!count && self->count_fn)
        count = self->count_fn (transaction, self->count_arg);
    if (taken == 0 && count)
        count = count < UINT32_MAX? count + 1: 0;
    return count;
}

//  The convention's name in reasons and warnings
static const char *
s_order_name (int order)
{
    return order == SV_DATE_MDY? "month first (m/d/y)": "day first (d/m/y)";
}

//  Settles the payment date column's convention: at line (0: by default,
//  at the end of a file whose every date reads both ways) by value
static void
s_settle (ingest_spend_t *self, sv_date_order_t order, size_t line, const char *value)
{
    self->date_order = order;
    self->order_line = line;
    snprintf (self->order_value, sizeof self->order_value, "%s", s_text (value));
    if (order == SV_DATE_MDY)
        s_warn (self, line, INGEST_SPEND_PAYMENT_DATE, value,
                "this date can only be read month first, so every date in the column is "
                "read month first (m/d/y)");
}

//  Settles the convention from row's date when it can be read one way
//  only, and says whether row must wait: its date reads two ways that
//  differ while the column is open, or rows before it wait. A row that
//  does not fit the header settles nothing: its cells may be shifted.
//  Sets *day_p and *known_p when the date reads one way under the column
//  as it now stands, so that it is not read twice.
static bool
s_date_waits (ingest_spend_t *self, const sv_csv_row_t *row, int32_t *day_p, bool *known_p)
{
    const char *date = row->values [INGEST_SPEND_PAYMENT_DATE];
    if (date && *date && !row->shape_error) {
        int32_t dmy = 0, mdy = 0;
        int readings = sv_date_readings (date, &dmy, &mdy);
        if (readings == SV_DATE_DMY || readings == SV_DATE_MDY) {
            s_settle (self, (sv_date_order_t) readings, row->line, date);
            *day_p = readings == SV_DATE_DMY? dmy: mdy;
            *known_p = true;
            return false;
        }
        if (readings == (SV_DATE_DMY | SV_DATE_MDY)) {
            if (dmy != mdy)
                return true;
            *day_p = dmy;
            *known_p = true;
        }
    }
    return ingest_spill_count (self->held) > 0;
}

//  Reads a payment date under the column's convention. Returns NULL, or
//  the reason, naming the row that settled the convention when the date
//  can only be read the other way.
static const char *
s_read_date (ingest_spend_t *self, const char *date, int32_t *day_p)
{
    sv_date_order_t order = self->date_order == SV_DATE_MDY? SV_DATE_MDY: SV_DATE_DMY;
    const char *reason = NULL;
    if (sv_date_parse_order (date, order, day_p, &reason) == 0)
        return NULL;
    int32_t other;
    sv_date_order_t flipped = order == SV_DATE_MDY? SV_DATE_DMY: SV_DATE_MDY;
    if ((!self->order_line && !self->date_declared)
    ||  sv_date_parse_order (date, flipped, &other, NULL))
        return reason;
    if (self->order_line)
        snprintf (self->date_reason, sizeof self->date_reason,
                  "can only be read %s, but this column is %s: line %zu has '%s'",
                  s_order_name (flipped), s_order_name (order), self->order_line,
                  self->order_value);
    else
        snprintf (self->date_reason, sizeof self->date_reason,
                  "can only be read %s, but the partner's dates are %s",
                  s_order_name (flipped), s_order_name (order));
    return self->date_reason;
}

//  Adds "length:text" to the content being digested
static void
s_content_add (zchunk_t *content, const char *text)
{
    char length [24];
    size_t size = strlen (text);
    zchunk_extend (content, length, (size_t) sprintf (length, "%zu:", size));
    zchunk_extend (content, text, size);
}

//  Writes the digest of a payment without a transaction number, as 32 hex
//  digits, into hex (33 bytes): its date and amount as read, then every
//  other field as written, empty and missing alike, each with its length
//  so that no two rows' fields run into the same text.
static void
s_content_digest (ingest_spend_t *self, const char *const *values, int32_t day,
                  int64_t pence, char *hex)
{
    static const ingest_spend_field_t fields [] = {
        INGEST_SPEND_BODY_NAME, INGEST_SPEND_BODY_CODE, INGEST_SPEND_LINE,
        INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_SUPPLIER_ID, INGEST_SPEND_VAT_NUMBER,
        INGEST_SPEND_COMPANY_NUMBER, INGEST_SPEND_POSTCODE, INGEST_SPEND_EXPENSE_AREA,
        INGEST_SPEND_EXPENSE_TYPE, INGEST_SPEND_EXPENSE_CODE, INGEST_SPEND_CAPITAL_REVENUE,
        INGEST_SPEND_NARRATIVE,
    };
    char figures [48];
    snprintf (figures, sizeof figures, "%" PRId32 " %" PRId64, day, pence);
    zchunk_set (self->content, NULL, 0);
    s_content_add (self->content, figures);
    for (size_t index = 0; index < sizeof fields / sizeof fields [0]; index++)
        s_content_add (self->content, s_text (values [fields [index]]));
    uint8_t digest [SV_DIGEST_SIZE];
    sv_digest (zchunk_data (self->content), zchunk_size (self->content), digest);
    for (size_t index = 0; index < SV_DIGEST_SIZE; index++)
        sprintf (hex + index * 2, "%02x", digest [index]);
}

//  Writes text, then '/' when slash, then value in decimal when value >= 0,
//  at at; returns the end, NUL-terminated. By hand, as keys are made for
//  every row: snprintf would cost a tenth of the reader's time.
static char *
s_key_part (char *at, const char *text, bool slash, int64_t value)
{
    size_t length = strlen (text);
    memcpy (at, text, length);
    at += length;
    if (slash)
        *at++ = '/';
    if (value >= 0) {
        char digits [24];
        size_t count = 0;
        do
            digits [count++] = (char) ('0' + value % 10);
        while (value /= 10);
        while (count)
            *at++ = digits [--count];
    }
    *at = 0;
    return at;
}

//  Warns of a row that repeats an earlier one of the file, one by one up
//  to S_REPEATS_WARNED
static void
s_repeat (ingest_spend_t *self, size_t line, const char *reason)
{
    if (++self->repeats <= S_REPEATS_WARNED)
        s_warn (self, line, INGEST_SPEND_FIELDS, NULL, reason);
}

//  Checks and hands over one data row, in file order; day, when not NULL,
//  is its payment date already read under the column's convention
static int
s_process (ingest_spend_t *self, const sv_csv_row_t *row, const int32_t *day)
{
    const char *const *values = row->values;
    const char *transaction = s_text (values [INGEST_SPEND_TRANSACTION_NO]);
    const char *line_cell = values [INGEST_SPEND_LINE];
    int64_t line_value = 0;
    const char *line_reason = line_cell && *line_cell? s_read_line (line_cell, &line_value): NULL;

    //  Every row with a transaction number counts towards its occurrences,
    //  rejected or not, so that the numbering never depends on which rows
    //  were rejected. Where the file has a line column, what is counted is
    //  the number with its line ("T/7"; "T/" without one), so that a
    //  number and line given twice are told apart too.
    uint32_t occurrence = 0;
    bool too_long = strlen (transaction) > INGEST_SPEND_TRANSACTION_MAX;
    if (*transaction && !too_long && !line_reason) {
        const char *counted = transaction;
        if (line_cell) {
            s_key_part (self->counted, transaction, true, *line_cell? line_value: -1);
            counted = self->counted;
        }
        occurrence = s_count (self, counted);
        if (!occurrence) {
            s_reject (self, row->line, INGEST_SPEND_TRANSACTION_NO, transaction,
                      "too many transaction numbers in one file");
            return 0;
        }
    }

    int32_t payment_day = day? *day: 0;
    int64_t pence = 0;
    const char *date_reason = NULL, *amount_reason = NULL;
    const char *date = values [INGEST_SPEND_PAYMENT_DATE];
    const char *amount = values [INGEST_SPEND_AMOUNT];
    if (!date || !*date)
        date_reason = "no payment date";
    else
    if (!day)
        date_reason = s_read_date (self, date, &payment_day);
    if (!amount || !*amount)
        amount_reason = "no amount";
    else
        sv_money_parse (amount, &pence, &amount_reason);

    //  A row that does not fit the header: name the cell that shows why,
    //  when one does (Lambeth's "25/06/2012900" is a date with the amount
    //  run into it, which is why the row is a cell short)
    if (row->shape_error) {
        if (date && date_reason) {
            snprintf (self->reason, sizeof self->reason, "%s, in a row of %s",
                      date_reason, row->shape_error);
            s_reject (self, row->line, INGEST_SPEND_PAYMENT_DATE, date, self->reason);
        }
        else
        if (amount && amount_reason) {
            snprintf (self->reason, sizeof self->reason, "%s, in a row of %s",
                      amount_reason, row->shape_error);
            s_reject (self, row->line, INGEST_SPEND_AMOUNT, amount, self->reason);
        }
        else
            s_reject (self, row->line, INGEST_SPEND_FIELDS, NULL, row->shape_error);
        return 0;
    }
    if (date_reason) {
        s_reject (self, row->line, INGEST_SPEND_PAYMENT_DATE, date, date_reason);
        return 0;
    }
    if (amount_reason) {
        s_reject (self, row->line, INGEST_SPEND_AMOUNT, amount, amount_reason);
        return 0;
    }
    //  (A file with a marker column has a marker cell on every row that
    //  fits its header, empty or not)
    const char *marker = values [INGEST_SPEND_CREDIT_DEBIT];
    if (!marker && sv_csv_column (self->csv, INGEST_SPEND_CREDIT_DEBIT))
        marker = "";
    if (marker) {
        int credit = s_credit (self, row->line, marker, amount, &pence);
        if (credit)
            return credit < 0? -1: 0;
    }

    ingest_spend_row_t spend = {
        .source_line = row->line,
        .payment_date = payment_day,
        .amount = pence,
        .transaction_no = transaction,
        .key = self->key,
        .supplier_name = s_text (values [INGEST_SPEND_SUPPLIER_NAME]),
        .supplier_id = s_text (values [INGEST_SPEND_SUPPLIER_ID]),
        .vat_number = s_text (values [INGEST_SPEND_VAT_NUMBER]),
        .company_number = "",
        .postcode = "",
        .body_name = s_text (values [INGEST_SPEND_BODY_NAME]),
        .body_code = s_text (values [INGEST_SPEND_BODY_CODE]),
        .expense_area = s_text (values [INGEST_SPEND_EXPENSE_AREA]),
        .expense_type = s_text (values [INGEST_SPEND_EXPENSE_TYPE]),
        .expense_code = s_text (values [INGEST_SPEND_EXPENSE_CODE]),
        .capital_revenue = s_text (values [INGEST_SPEND_CAPITAL_REVENUE]),
        .narrative = s_text (values [INGEST_SPEND_NARRATIVE]),
    };
    if (!*spend.supplier_name) {
        s_reject (self, row->line, INGEST_SPEND_SUPPLIER_NAME, "", "no supplier name");
        return 0;
    }
    //  Digits and punctuation alone name nobody: Hyndburn's bank charges
    //  name the period charged, "30.11.19-28.02.20", where the supplier
    //  goes. (Masks such as Craven's "*****" are redactions, read below.)
    if (s_no_name (spend.supplier_name) && !ingest_spend_redaction (spend.supplier_name)) {
        s_reject (self, row->line, INGEST_SPEND_SUPPLIER_NAME, spend.supplier_name,
                  "no letter in it: not a supplier's name");
        return 0;
    }
    //  An over-long value is this row's error, never the batch's
    for (size_t field = 0; field < INGEST_SPEND_FIELDS; field++) {
        size_t length = values [field] && s_limits [field]
                      ? strnlen (values [field], s_limits [field] + 1): 0;
        if (length > s_limits [field]) {
            length = strlen (values [field]);
            snprintf (self->reason, sizeof self->reason, "%zu bytes, at most %zu",
                      length, s_limits [field]);
            s_reject (self, row->line, (ingest_spend_field_t) field, values [field], self->reason);
            return 0;
        }
    }
    if (line_reason) {
        s_reject (self, row->line, INGEST_SPEND_LINE, line_cell, line_reason);
        return 0;
    }

    //  A redaction names nobody: no supplier is ever made from it
    char company [SV_COMPANY_BUF] = "";
    char postcode [SV_POSTCODE_BUF] = "";
    if (ingest_spend_redaction (spend.supplier_name)) {
        spend.redacted = true;
        spend.supplier_name = spend.supplier_id = spend.vat_number = "";
    }
    else {
        s_no_identifier (self, row->line, INGEST_SPEND_SUPPLIER_ID, &spend.supplier_id);
        s_no_identifier (self, row->line, INGEST_SPEND_VAT_NUMBER, &spend.vat_number);
        const char *text = values [INGEST_SPEND_COMPANY_NUMBER];
        const char *reason = NULL;
        if (text && *text && sv_company_number (text, company, sizeof company, &reason)) {
            s_reject (self, row->line, INGEST_SPEND_COMPANY_NUMBER, text, reason);
            return 0;
        }
        text = values [INGEST_SPEND_POSTCODE];
        if (text && *text && sv_postcode_normalise (text, postcode, sizeof postcode, &reason)) {
            s_reject (self, row->line, INGEST_SPEND_POSTCODE, text, reason);
            return 0;
        }
        spend.company_number = company;
        spend.postcode = postcode;
    }

    //  The natural key: one shape per kind of row (see the header)
    if (*transaction && !line_cell) {
        s_key_part (self->key, transaction, true, occurrence);
        spend.line = occurrence;
    }
    else
    if (*transaction && *line_cell) {
        spend.line = line_value;
        char *end = s_key_part (self->key, transaction, true, line_value);
        if (occurrence > 1) {
            s_key_part (end, "+", false, occurrence);
            snprintf (self->reason, sizeof self->reason,
                      "transaction number and line given again in this file: kept as a "
                      "payment of its own (%s)", self->key);
            s_repeat (self, row->line, self->reason);
        }
    }
    else
    if (*transaction) {
        s_key_part (s_key_part (self->key, transaction, true, -1), "+", false, occurrence);
        spend.line = occurrence;
    }
    else {
        //  Known by what it is: its content, and which of the file's
        //  identical rows it is (counted as " digest", which no trimmed
        //  transaction number can be)
        char counted [2 + SV_DIGEST_SIZE * 2] = " ";
        s_content_digest (self, values, payment_day, pence, counted + 1);
        uint32_t repeat = s_count (self, counted);
        if (!repeat) {
            s_reject (self, row->line, INGEST_SPEND_FIELDS, NULL,
                      "too many payments without a transaction number in one file");
            return 0;
        }
        char *end = s_key_part (self->key, "", true, -1);
        end = s_key_part (end, counted + 1, false, -1);
        s_key_part (end, "+", false, repeat);
        spend.line = repeat;
        if (repeat > 1)
            s_repeat (self, row->line, "the same payment as an earlier row of this file "
                      "(every field equal, no transaction number): both are kept");
    }

    int64_t total;
    if (__builtin_add_overflow (self->total, spend.amount, &total)) {
        s_reject (self, row->line, INGEST_SPEND_AMOUNT, amount,
                  "amount takes the file's total past the largest amount");
        return 0;
    }
    self->total = total;
    self->accepted++;
    if (!self->float_warned && s_float_printed (amount)) {
        //  Once a file: every such amount reads the same way
        char pounds [SV_MONEY_BUF];
        snprintf (self->reason, sizeof self->reason,
                  "amount written as a binary floating-point number, read as the whole"
                  " penny it stands for (%s); later amounts so written are read alike",
                  sv_money_format (pence, pounds, sizeof pounds));
        s_warn (self, row->line, INGEST_SPEND_AMOUNT, amount, self->reason);
        self->float_warned = true;
    }
    return self->row_fn (&spend, self->arg);
}

//  Checks one held row, now that the convention is settled
static int
s_release_row (const void *record, size_t size, void *arg)
{
    ingest_spend_t *self = (ingest_spend_t *) arg;
    const char *values [INGEST_SPEND_FIELDS];
    sv_csv_row_t row = { .line = 0 };
    assert (size >= 2 * sizeof (size_t));
    s_held_decode ((const char *) record, &row, values);
    self->held_line = row.line;
    return s_process (self, &row, NULL);
}

//  Hands the held rows over, in file order, now that the convention is
//  settled. 0, or -1 when the row handler stops the file or a spilled row
//  cannot be read back (the reader's refusal then says which).
static int
s_release (ingest_spend_t *self)
{
    int rc = ingest_spill_drain (self->held, s_release_row, self);
    if (rc == -1 && !*self->refusal)
        snprintf (self->refusal, sizeof self->refusal,
                  "stopped by the row handler at line %zu", self->held_line);
    else
    if (rc == -2)
        snprintf (self->refusal, sizeof self->refusal,
                  "rows held in a temporary file could not be read back");
    return rc? -1: 0;
}

//  Takes one data row from sv_csv: holds it while the date column's
//  convention is open and it must wait, else hands over any held rows
//  and then it
static int
s_row (const sv_csv_row_t *row, void *arg)
{
    ingest_spend_t *self = (ingest_spend_t *) arg;
    int32_t day = 0;
    bool known = false;
    if (!self->date_order && s_date_waits (self, row, &day, &known)) {
        s_held_encode (row, self->record);
        if (ingest_spill_put (self->held, zchunk_data (self->record),
                              zchunk_size (self->record)) == 0)
            return 0;
        snprintf (self->refusal, sizeof self->refusal,
                  "rows waiting for the date column's convention could not be held "
                  "(memory or temporary file)");
        return -1;
    }
    if (ingest_spill_count (self->held) && s_release (self))
        return -1;
    return s_process (self, row, known? &day: NULL);
}

ingest_spend_t *
ingest_spend_new (ingest_spend_row_fn *row_fn, sv_csv_error_fn *error_fn, void *arg)
{
    assert (row_fn);
    ingest_spend_t *self = (ingest_spend_t *) zmalloc (sizeof (ingest_spend_t));
    if (!self)
        return NULL;
    self->row_fn = row_fn;
    self->error_fn = error_fn;
    self->arg = arg;
    self->csv = sv_csv_new (s_fields, INGEST_SPEND_FIELDS, s_row, self);
    self->held = ingest_spill_new (S_HELD_MEMORY);
    self->record = zchunk_new (NULL, 256);
    self->content = zchunk_new (NULL, 256);
    if (!self->csv || !self->held || !self->record || !self->content) {
        sv_csv_destroy (&self->csv);
        ingest_spill_destroy (&self->held);
        zchunk_destroy (&self->record);
        zchunk_destroy (&self->content);
        free (self);
        return NULL;
    }
    //  The seed only spreads keys: counts are exact whatever its value
    if (getrandom (&self->counter.seed, sizeof self->counter.seed, GRND_NONBLOCK)
        != (ssize_t) sizeof self->counter.seed)
        self->counter.seed = (uint64_t) zclock_usecs () ^ (uint64_t) getpid ();
    self->numbers.budget = S_NUMBERS_BUDGET;
    self->numbers.bitmaps_max = S_NUMBERS_BITMAPS;
    self->numbers.containers_max = S_NUMBERS_CONTAINERS;
    self->numbers.measure_every = S_NUMBERS_MEASURE;
    return self;
}

void
ingest_spend_destroy (ingest_spend_t **self_p)
{
    assert (self_p);
    ingest_spend_t *self = *self_p;
    if (!self)
        return;
    sv_csv_destroy (&self->csv);
    s_numbers_free (&self->numbers);
    free (self->counter.slots);
    free (self->counter.arena);
    ingest_spill_destroy (&self->held);
    zchunk_destroy (&self->record);
    zchunk_destroy (&self->content);
    free (self);
    *self_p = NULL;
}

void
ingest_spend_set_counter (ingest_spend_t *self, ingest_spend_count_fn *fn, void *arg,
                          size_t in_memory)
{
    assert (self);
    self->count_fn = fn;
    self->count_arg = arg;
    self->in_memory = in_memory;
}

void
ingest_spend_set_warning (ingest_spend_t *self, sv_csv_error_fn *fn, void *arg)
{
    assert (self);
    self->warning_fn = fn;
    self->warning_arg = arg;
}

int
ingest_spend_set_date_order (ingest_spend_t *self, const char *order)
{
    assert (self && order);
    if (self->fed || (!streq (order, "dmy") && !streq (order, "mdy")))
        return -1;
    self->date_order = streq (order, "mdy")? SV_DATE_MDY: SV_DATE_DMY;
    self->date_declared = true;
    return 0;
}

int
ingest_spend_override (ingest_spend_t *self, const char *pair)
{
    assert (self);
    return sv_csv_override (self->csv, pair);
}

int
ingest_spend_feed (ingest_spend_t *self, const void *data, size_t size)
{
    assert (self);
    self->fed = true;
    return sv_csv_feed (self->csv, data, size);
}

int
ingest_spend_feed_cells (ingest_spend_t *self, size_t line, const char *const *cells,
                         size_t count, const char *problem)
{
    assert (self);
    self->fed = true;
    return sv_csv_feed_cells (self->csv, line, cells, count, problem);
}

size_t
ingest_spend_header_line (ingest_spend_t *self)
{
    assert (self);
    return sv_csv_header_line (self->csv);
}

int
ingest_spend_finish (ingest_spend_t *self)
{
    assert (self);
    self->fed = true;
    if (sv_csv_finish (self->csv))
        return -1;
    if (ingest_spill_count (self->held)) {
        //  Every date read both ways to the end: the UK convention, said so
        s_settle (self, SV_DATE_DMY, 0, NULL);
        s_warn (self, sv_csv_header_line (self->csv), INGEST_SPEND_PAYMENT_DATE, NULL,
                "every date in this column reads both day first and month first: read day "
                "first (d/m/y), the UK convention; if the file is month first, declare the "
                "partner's date order mdy and send it again");
        if (s_release (self))
            return -1;
    }
    if (self->repeats > S_REPEATS_WARNED) {
        snprintf (self->reason, sizeof self->reason,
                  "%zu more rows repeat an earlier row's transaction number and line, or "
                  "every field; all are kept", self->repeats - S_REPEATS_WARNED);
        s_warn (self, 0, INGEST_SPEND_FIELDS, NULL, self->reason);
    }
    return 0;
}

const char *
ingest_spend_refusal (ingest_spend_t *self)
{
    assert (self);
    return *self->refusal? self->refusal: sv_csv_refusal (self->csv);
}

size_t
ingest_spend_accepted (ingest_spend_t *self)
{
    assert (self);
    return self->accepted;
}

size_t
ingest_spend_rejected (ingest_spend_t *self)
{
    assert (self);
    return self->rejected;
}

int64_t
ingest_spend_total (ingest_spend_t *self)
{
    assert (self);
    return self->total;
}

const char *
ingest_spend_column (ingest_spend_t *self, ingest_spend_field_t field)
{
    assert (self);
    return sv_csv_column (self->csv, (size_t) field);
}

void
ingest_spend_columns (ingest_spend_t *self, sv_csv_column_fn *fn, void *arg)
{
    assert (self);
    sv_csv_columns (self->csv, fn, arg);
}

const sv_csv_field_t *
ingest_spend_fields (void)
{
    return s_fields;
}


//  --------------------------------------------------------------------------
//  Redactions

bool
ingest_spend_redaction (const char *name)
{
    assert (name);
    const char *original = name;
    //  Letters only, lower case: "REDACTED - Personal Information" and
    //  "Redacted personal information" are one form
    char folded [256];
    size_t length = 0;
    for (; *name && length < sizeof folded - 1; name++) {
        char c = *name;
        if (c >= 'A' && c <= 'Z')
            folded [length++] = (char) (c - 'A' + 'a');
        else
        if (c >= 'a' && c <= 'z')
            folded [length++] = c;
    }
    folded [length] = 0;
    //  A name masked out: only asterisks, with no letter or digit (Craven
    //  District Council writes "*****************************")
    if (strchr (original, '*') && strspn (original, "* ") == strlen (original))
        return true;
    //  "redacted", not "redact": REDACTIVE PUBLISHING LTD is a supplier
    static const char *const marks [] = {
        "redacted", "withheld", "personaldata", "personalinformation", "personaldetails",
    };
    for (size_t index = 0; index < sizeof marks / sizeof marks [0]; index++)
        if (strstr (folded, marks [index]))
            return true;
    return false;
}



//  --------------------------------------------------------------------------
//  Self test

//  A rejected-row reason to count, and how many rows must give it
typedef struct {
    const char *reason;         //  a substring of the reason
    size_t rows;
} s_test_reason_t;

//  A row to look at: its source line, and how it must read (s_test_summary)
typedef struct {
    size_t line;
    const char *summary;
} s_test_probe_t;

//  One fixture under tests/fixtures/spend/ and what reading it must give
typedef struct {
    const char *file;
    const char *override;       //  a partner override, or NULL
    const char *refusal;        //  the whole file refused so, or NULL
    size_t data_rows;           //  counted independently (see the table)
    size_t rejected;
    int64_t total;              //  pence of the accepted rows, likewise
    size_t redacted;
    const char *first_error;    //  as sv_csv_error_format writes it
    s_test_reason_t reasons [4];
    s_test_probe_t probes [3];
} s_test_fixture_t;

//  What the callbacks saw
typedef struct {
    const s_test_fixture_t *fixture;
    zdigest_t *digest;          //  of every row and error, in order
    size_t rows;
    size_t redacted;
    size_t errors;
    char first_error [400];
    size_t reason_rows [4];
    size_t probes_seen;
    size_t stop_after;          //  row_fn returns -1 at this row, 0: never
    char last_summary [600];
    zlist_t *summaries;         //  "line: summary" of each row
    zlist_t *error_list;        //  each error, formatted
    char first_company [SV_COMPANY_BUF];
    char first_postcode [SV_POSTCODE_BUF];
    char keys [4096];           //  the natural key of each row, while they fit
    size_t warnings;
    char warning_text [6000];   //  each warning, formatted, while they fit
    char last_column [128];     //  of the last error
    char last_reason [400];
} s_test_t;

//  "2014-04-01 7360.50 834024/1 NEW PROSPECTS ... | narrative"
static void
s_test_summary (const ingest_spend_row_t *row, char *buf, size_t size)
{
    char date [SV_DATE_BUF], amount [SV_MONEY_BUF];
    snprintf (buf, size, "%s %s %s/%lld %s | %s",
              sv_date_format (row->payment_date, date, sizeof date),
              sv_money_format_plain (row->amount, amount, sizeof amount),
              row->transaction_no, (long long) row->line,
              row->redacted? "(redacted)": row->supplier_name, row->narrative);
}

//  Test row callback: adds the row to the digest and summaries, checks
//  redactions and the fixture's probes; returns -1 at stop_after
static int
s_test_row (const ingest_spend_row_t *row, void *arg)
{
    s_test_t *test = (s_test_t *) arg;
    char buf [2048];
    s_test_summary (row, test->last_summary, sizeof test->last_summary);
    snprintf (buf, sizeof buf, "%s|%s|%zu|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n", test->last_summary,
              row->key, row->source_line, row->supplier_id, row->vat_number, row->company_number,
              row->postcode, row->body_name, row->body_code, row->expense_area,
              row->expense_type, row->expense_code, row->capital_revenue);
    zdigest_update (test->digest, (byte *) buf, strlen (buf));
    //  A redaction never names a supplier
    if (row->redacted)
        assert (!*row->supplier_name && !*row->supplier_id && !*row->vat_number
                && !*row->company_number && !*row->postcode);
    if (test->rows == 0) {
        snprintf (test->first_company, sizeof test->first_company, "%s", row->company_number);
        snprintf (test->first_postcode, sizeof test->first_postcode, "%s", row->postcode);
    }
    test->redacted += row->redacted;
    test->rows++;
    size_t keys_used = strlen (test->keys);
    snprintf (test->keys + keys_used, sizeof test->keys - keys_used, "%s ", row->key);
    snprintf (buf, sizeof buf, "%zu: %s", row->source_line, test->last_summary);
    zlist_append (test->summaries, buf);
    for (size_t index = 0; test->fixture && index < 3; index++) {
        const s_test_probe_t *probe = &test->fixture->probes [index];
        if (probe->line && probe->line == row->source_line) {
            if (!streq (test->last_summary, probe->summary))
                printf ("  %s line %zu: '%s'\n", test->fixture->file, probe->line, test->last_summary);
            assert (streq (test->last_summary, probe->summary));
            test->probes_seen++;
        }
    }
    return test->stop_after && test->rows == test->stop_after? -1: 0;
}

//  Test error callback: adds the error to the digest and list, keeps the
//  first, and counts the fixture's expected reasons
static void
s_test_error (const sv_csv_error_t *error, void *arg)
{
    s_test_t *test = (s_test_t *) arg;
    char buf [400];
    sv_csv_error_format (error, buf, sizeof buf);
    zdigest_update (test->digest, (byte *) buf, strlen (buf));
    zlist_append (test->error_list, buf);
    snprintf (test->last_column, sizeof test->last_column, "%s", error->column? error->column: "");
    snprintf (test->last_reason, sizeof test->last_reason, "%s", error->reason);
    if (test->errors++ == 0)
        snprintf (test->first_error, sizeof test->first_error, "%s", buf);
    for (size_t index = 0; test->fixture && index < 4; index++) {
        const char *reason = test->fixture->reasons [index].reason;
        if (reason && strstr (error->reason, reason))
            test->reason_rows [index]++;
    }
}

//  Reads a whole fixture file. Returns a fresh buffer; *size_p its size.
static char *
s_test_load (const char *file, size_t *size_p)
{
    char path [256];
    snprintf (path, sizeof path, "tests/fixtures/spend/%s", file);
    FILE *handle = fopen (path, "rb");
    if (!handle)
        printf ("  cannot open %s (run the tests from the repository root)\n", path);
    assert (handle);
    assert (fseek (handle, 0, SEEK_END) == 0);
    long size = ftell (handle);
    assert (size >= 0);
    rewind (handle);
    char *data = (char *) malloc ((size_t) size + 1);
    assert (data);
    assert (fread (data, 1, (size_t) size, handle) == (size_t) size);
    fclose (handle);
    *size_p = (size_t) size;
    return data;
}

//  Test warning callback: counts warnings and keeps their text
static void
s_test_warning (const sv_csv_error_t *warning, void *arg)
{
    s_test_t *test = (s_test_t *) arg;
    char buf [400];
    sv_csv_error_format (warning, buf, sizeof buf);
    size_t used = strlen (test->warning_text);
    snprintf (test->warning_text + used, sizeof test->warning_text - used, "%s\n", buf);
    test->warnings++;
}

//  Feeds data in chunks of chunk bytes (0: all at once), and finishes
//  the file unless finish is false. Returns 0 or -1 as the reader did.
static int
s_test_feed (ingest_spend_t *reader, const char *data, size_t size, size_t chunk, bool finish)
{
    if (chunk == 0)
        chunk = size? size: 1;
    int rc = 0;
    for (size_t at = 0; at < size && rc == 0; at += chunk)
        rc = ingest_spend_feed (reader, data + at, size - at < chunk? size - at: chunk);
    if (rc == 0 && finish)
        rc = ingest_spend_finish (reader);
    return rc;
}

//  Makes a reader whose rows, errors and warnings go to test, with an
//  optional override and partner's date order
static ingest_spend_t *
s_test_reader (const char *override, const char *date_order, s_test_t *test)
{
    ingest_spend_t *reader = ingest_spend_new (s_test_row, s_test_error, test);
    assert (reader);
    ingest_spend_set_warning (reader, s_test_warning, test);
    if (override)
        assert (ingest_spend_override (reader, override) == 0);
    if (date_order)
        assert (ingest_spend_set_date_order (reader, date_order) == 0);
    return reader;
}

//  Reads data in chunks of chunk bytes (0: all at once) with an optional
//  override. Returns the finished reader; test holds what was seen.
static ingest_spend_t *
s_test_read (const char *data, size_t size, size_t chunk, const char *override, s_test_t *test)
{
    ingest_spend_t *reader = s_test_reader (override, NULL, test);
    s_test_feed (reader, data, size, chunk, true);
    return reader;
}

//  Reads text (a C string) whole; returns the reader.
static ingest_spend_t *
s_test_text (const char *text, s_test_t *test)
{
    return s_test_read (text, strlen (text), 0, NULL, test);
}

//  A caller's counter, as the store keeps one on disk. Its log of the
//  numbers it was given shows which way each occurrence was counted.
typedef struct {
    zhashx_t *counts;
    size_t calls;
    char log [200];
} s_test_counted_t;

static uint32_t
s_test_count (const char *transaction_no, void *arg)
{
    s_test_counted_t *counted = (s_test_counted_t *) arg;
    counted->calls++;
    uintptr_t count = (uintptr_t) zhashx_lookup (counted->counts, transaction_no) + 1;
    zhashx_update (counted->counts, transaction_no, (void *) count);
    size_t used = strlen (counted->log);
    snprintf (counted->log + used, sizeof counted->log - used, "%s ", transaction_no);
    return (uint32_t) count;
}

//  Reads text whole, with counted (if not NULL) counting past in_memory
//  distinct texts, and the bitmaps' limits lowered to those of limits
//  where they are not 0. Returns the reader; test holds what was seen.
static ingest_spend_t *
s_test_limits (const char *text, s_test_counted_t *counted, size_t in_memory,
               s_numbers_t limits, s_test_t *test)
{
    ingest_spend_t *reader = ingest_spend_new (s_test_row, s_test_error, test);
    assert (reader);
    if (counted) {
        *counted = (s_test_counted_t) { .counts = zhashx_new () };
        assert (counted->counts);
        ingest_spend_set_counter (reader, s_test_count, counted, in_memory);
    }
    if (limits.budget)
        reader->numbers.budget = limits.budget;
    if (limits.bitmaps_max)
        reader->numbers.bitmaps_max = limits.bitmaps_max;
    if (limits.containers_max)
        reader->numbers.containers_max = limits.containers_max;
    if (limits.measure_every)
        reader->numbers.measure_every = limits.measure_every;
    assert (ingest_spend_feed (reader, text, strlen (text)) == 0);
    assert (ingest_spend_finish (reader) == 0);
    return reader;
}

//  Empties test for the next file (and frees it, with fixture NULL and
//  done true).
static void
s_test_clear (s_test_t *test, const s_test_fixture_t *fixture, bool done)
{
    zdigest_destroy (&test->digest);
    zlist_destroy (&test->summaries);
    zlist_destroy (&test->error_list);
    memset (test, 0, sizeof *test);
    if (done)
        return;
    test->fixture = fixture;
    test->digest = zdigest_new ();
    test->summaries = zlist_new ();
    test->error_list = zlist_new ();
    assert (test->digest && test->summaries && test->error_list);
    zlist_autofree (test->summaries);
    zlist_autofree (test->error_list);
}

//  Empties test for the next file
static void
s_test_reset (s_test_t *test, const s_test_fixture_t *fixture)
{
    s_test_clear (test, fixture, false);
}

//  Every real spend file, excerpted (tests/fixtures/spend/PROVENANCE.md).
//  data_rows, rejected, total and redacted were counted independently of
//  this code, by the Python csv/Decimal script in PROVENANCE.md: a data
//  row is a record below the header with any non-blank cell; it is
//  accepted when it has as many cells as the header, a yyyy-mm-dd or
//  dd/mm/yyyy date, a decimal amount of at most 2 places (commas between
//  groups of three; in brackets, a negative) and a supplier name; total is
//  the Decimal sum of the accepted amounts x 100. The rejected rows and
//  their reasons were also read by eye against the files.
static const s_test_fixture_t s_fixtures [] = {
    //  The supplier summary has no payment dates at all
    { "lambeth_2011-01_supplier_summary.csv", NULL,
      "no column for payment_date; line 1 has: Supplier Name, Sum of Invoice Nett Amount",
      0, 0, 0, 0, NULL, { { NULL, 0 } }, { { 0, NULL } } },
    //  9 preamble lines; dates with the amount run into them, two supplier
    //  names with the date run into them, a "Total" line and a footer
    { "lambeth_2012-06.csv", NULL, NULL, 71, 25, 35237259, 0,
      "row 19, column 'Invoice Creation Date', value '25/06/2012900': "
      "digits run on after the date, in a row of 5 cells where the header has 6",
      { { "digits run on after the date, in a row of 5 cells", 20 },
        { "a number, not a date, in a row of 5 cells", 2 },
        { "not a recognised date, in a row of 4 cells", 1 },
        { "no payment date", 2 } },
      { { 11, "2012-06-08 1534.24 /1 170 Community Project | " },
        { 61, "2012-06-25 2126.19 /1 Castlebar Health Care Ltd | " } } },
    //  cp1252 bytes (0x92, 0x96) in a UTF-8 file; a redacted supplier
    { "bradford_2017-12.csv", NULL, NULL, 44, 0, 26656678, 1, NULL,
      { { NULL, 0 } }, { { 0, NULL } } },
    //  CR LF; cp1252 no-break spaces and dashes
    { "cabinetoffice_2019-06.csv", NULL, NULL, 45, 0, 564210260, 0, NULL,
      { { NULL, 0 } }, { { 0, NULL } } },
    { "calderdale_2010-10.csv", NULL, NULL, 35, 0, 59806806, 1, NULL,
      { { NULL, 0 } }, { { 0, NULL } } },
    //  Every date is a quarter, not a day
    { "darlington_2010-09.csv", NULL, NULL, 20, 20, 0, 0,
      "row 2, column 'Date', value 'July 2010-September 2010': a period, not a date",
      { { "a period, not a date", 20 } }, { { 0, NULL } } },
    //  No payment date column: the partner's override names "Updated"; the
    //  line comes from "Seq no"
    { "gateshead_2010-12.csv", "Updated=payment_date", NULL, 40, 0, 8377165, 5, NULL,
      { { NULL, 0 } },
      { { 2, "2010-12-07 384.00 43598516/2 FORCE TWO LTD | " } } },
    { "harrogate_2015-04.csv", NULL, NULL, 47, 0, 5108948, 2, NULL,
      { { NULL, 0 } },
      { { 41, "2015-04-27 1556.00 4627322/1 MELMERBY/MID\xC2\xB4TON GROUPED PARISH COUNCIL"
              " | MELMERBY Parish Precept 1st Instalment" } } },
    { "leeds_2010-12.csv", NULL, NULL, 30, 0, 7116618, 0, NULL,
      { { NULL, 0 } }, { { 0, NULL } } },
    //  Negatives in brackets; one document number on two distant lines
    { "london_2013-P01.csv", NULL, NULL, 45, 0, 9811345936, 0, NULL,
      { { NULL, 0 } },
      { { 25, "2013-04-24 13507.20 5107854305/1 EDENRED (UK GROUP) LTD | " },
        { 37, "2013-04-24 -385.35 5107854305/2 EDENRED (UK GROUP) LTD | " } } },
    //  One transaction on two lines: occurrences 1 and 2
    { "manchester_2010-12.csv", NULL, NULL, 30, 0, 9670009, 7, NULL,
      { { NULL, 0 } },
      { { 29, "2010-12-15 1260.00 5100400234/1 (redacted) | " },
        { 30, "2010-12-15 1710.00 5100400234/2 (redacted) | " } } },
    //  A "Grand Total" line and a copyright line at the foot
    { "networkrail_2017-01.csv", NULL, NULL, 27, 2, 4806560558, 0,
      "row 27, column 'Invoice GL Date', value '': no payment date",
      { { "no payment date", 2 } }, { { 0, NULL } } },
    { "newcastle_2017-01.csv", NULL, NULL, 30, 0, 26006432, 0, NULL,
      { { NULL, 0 } }, { { 0, NULL } } },
    { "northtyneside_2014-04.csv", NULL, NULL, 35, 0, 21870696, 2, NULL,
      { { NULL, 0 } },
      { { 2, "2014-04-01 7360.50 834024/1 NEW PROSPECTS ASSOCIATION LIMITED | " },
        { 3, "2014-04-01 10164.66 834024/2 NEW PROSPECTS ASSOCIATION LIMITED | " },
        { 34, "2014-04-02 630.00 834395/1 (redacted) | " } } },
    { "salford_2011-08.csv", NULL, NULL, 39, 0, 27599103, 3, NULL,
      { { NULL, 0 } }, { { 0, NULL } } },
    { "sheffield_2011-01.csv", NULL, NULL, 25, 0, 11454679, 3, NULL,
      { { NULL, 0 } }, { { 0, NULL } } },
    { "sheffield_2017-01.csv", NULL, NULL, 30, 0, 23506575, 3, NULL,
      { { NULL, 0 } }, { { 0, NULL } } },
    //  Negative amounts; no transaction numbers, so each is known by its
    //  content (line is its occurrence among identical rows)
    { "sheffield_processed_2021-05.csv", NULL, NULL, 35, 0, 2073847, 3, NULL,
      { { NULL, 0 } },
      { { 2, "2021-05-04 -4040.00 /1 ORCHARD CARE HOMES (ECKINGTON COURT) | " } } },
    //  An explicit "Seq No" line column
    { "wakefield_2020-12.csv", NULL, NULL, 30, 0, 382867, 1, NULL,
      { { NULL, 0 } },
      { { 2, "2020-11-26 80.00 161363/53 LEVERHULME HOTEL & SPA | " } } },
    //  Every payment date is a bare time
    { "oxford_apr-jun-2014.csv", NULL, NULL, 30, 30, 0, 0,
      "row 2, column 'Paid Date', value '00:00:00': time without a date",
      { { "time without a date", 30 } }, { { 0, NULL } } },
    { "oxford_apr-jun-2015.csv", NULL, NULL, 30, 0, 9217392, 13, NULL,
      { { NULL, 0 } }, { { 0, NULL } } },
    //  snake_case headers; a stray "xxx" line at the foot
    { "oxford_jan-mar-2014.csv", NULL, NULL, 32, 1, 17243183, 12,
      "row 33, column 'paid_date', value '': no payment date",
      { { "no payment date", 1 } }, { { 0, NULL } } },
    //  "Expenditure Catergory"
    { "oxford_jan-mar-2017.csv", NULL, NULL, 30, 0, 10144506, 0, NULL,
      { { NULL, 0 } }, { { 0, NULL } } },
    //  "Supplier Name " with a trailing space; "Reacted personal data"
    { "oxford_jul-sep-2014.csv", NULL, NULL, 31, 0, 5673400, 10, NULL,
      { { NULL, 0 } },
      { { 29, "2014-07-08 500.00 46282360_1/1 (redacted) | " } } },
    { "oxford_jul-sep-2017.csv", NULL, NULL, 30, 0, 13748323, 0, NULL,
      { { NULL, 0 } }, { { 0, NULL } } },
    //  Refunds and rounding lines that name no supplier
    { "oxford_oct-dec-2017.csv", NULL, NULL, 49, 7, 15977127, 0,
      "row 4, column 'Supplier Name', value '': no supplier name",
      { { "no supplier name", 7 } }, { { 0, NULL } } },
    //  Oxford's 2014 layout: snake_case headers (paid_date, trans_no,
    //  organisational_unit), a credit, two lines of one transaction
    { "oxford_snake_oct-dec-2014.csv", NULL, NULL, 30, 0, 8753008, 4, NULL,
      { { NULL, 0 } }, { { 0, NULL } } },
    //  Transport for London: dates with month names, document numbers
    //  with a backslash, credits in brackets, and a count and total at
    //  the foot under the date and amount
    { "tfl_2019-01.csv", NULL, NULL, 27, 1, 18501421117, 0,
      "row 28, column 'Clearing Date', value '15694': a number, not a date",
      { { "a number, not a date", 1 } },
      { { 2, "2018-04-04 39440000.00 1005\\1900202628/1 DEPT OF COMMUNITIES AND LOCAL GOV | " },
        { 27, "2018-04-04 -39440000.00 1005\\1700015523/1 DEPT OF COMMUNITIES AND LOCAL GOV | " } } },
    //  Devon County Council, January 2021: "Name of Body" beside "Body"
    //  (18); date-times; 16 amounts written as printed doubles
    //  (2720.7000000000003, 997.9999999999999), each read as its penny
    { "devon_2021-01.csv", NULL, NULL, 51, 0, 41435412, 2, NULL,
      { { NULL, 0 } },
      { { 8, "2021-01-04 2720.70 CDWM35010820/1 JACOBS UK LTD | " },
        { 35, "2021-01-04 998.00 EXCHEQ35292910/1 MEDACO | " },
        { 45, "2021-01-04 -13876.18 HIGHWAYS18110428/1 SKANSKA CONSTRUCTION UK LTD | " } } },
    //  Craven District Council, March 2017: two columns each named
    //  "Account Code" and "Cost Centre Code" (code, then description);
    //  suppliers masked with asterisks; one transaction number on two
    //  lines; an unlabelled total at the foot, under the amount only
    { "craven_2017-03.csv", NULL, NULL, 43, 1, 30477301, 6,
      "row 44, column 'Payment Date', value '': no payment date",
      { { "no payment date", 1 } },
      { { 22, "2017-03-01 810.00 57011358/1 (redacted) | " },
        { 34, "2017-03-30 1900.00 57011936/2 Digital Ticketing Systems Ltd | " },
        { 39, "2017-03-24 606.84 57011740/1 Neville\xC2\xB4s Kitchen | " } } },
    //  Darlington as published: an SQL query and a title block ("Dec-13")
    //  above a header with no payment date column: refused whole, never
    //  dated from the title
    { "darlington_raw_2014-12_a.csv", NULL,
      "no column for payment_date; line 21 has: , , Directotate, Service, Supplier, "
      "Invoice Line Value (net of VAT), Account, ",
      0, 0, 0, 0, NULL, { { NULL, 0 } }, { { 0, NULL } } },
    //  The Oxford excerpt with its dates rewritten month first, as a
    //  spreadsheet set to US dates writes them: read as the original
    { "mdy_oxford_jan-mar-2017.csv", NULL, NULL, 30, 0, 10144506, 0, NULL,
      { { NULL, 0 } },
      { { 2, "2017-02-07 200.00 1034526 - 2/1 ATKINS LIMITED | " },
        { 8, "2017-01-17 4924.69 46292279 - 1/1 HMRC | " } } },
    //  Made from a Harrogate excerpt: a pound sign added to one narrative,
    //  then the whole converted to cp1252 with iconv
    { "cp1252_harrogate_2015-04.csv", NULL, NULL, 31, 0, 5298061, 1, NULL,
      { { NULL, 0 } },
      { { 11, "2015-04-27 600.00 4628737/1 (redacted) | Bond Claim (\xC2\xA3" "600)" } } },
    //  Newcastle as published: a title line; "Group Description" says
    //  "Revenue Income" beside credits that are already negative;
    //  dd-Mon-yyyy dates; "Total" is the amount
    { "newcastle_raw_2017-01.csv", NULL, NULL, 28, 0, 25388678, 0, NULL,
      { { NULL, 0 } },
      { { 25, "2017-01-24 -1018.60 7128210/2 ABBEYFIELD CASTLE FARM | " } } },
    //  That excerpt with a "Dr/Cr" column: credits negative beside "CR",
    //  and credits unsigned beside "CR" (read negative, with a warning,
    //  see s_test_credits): the original's figures either way
    { "drcr_signed_newcastle_2017-01.csv", NULL, NULL, 28, 0, 25388678, 0, NULL,
      { { NULL, 0 } },
      { { 25, "2017-01-24 -1018.60 7128210/2 ABBEYFIELD CASTLE FARM | " } } },
    { "drcr_unsigned_newcastle_2017-01.csv", NULL, NULL, 28, 0, 25388678, 0, NULL,
      { { NULL, 0 } },
      { { 25, "2017-01-24 -1018.60 7128210/2 ABBEYFIELD CASTLE FARM | " },
        { 31, "2017-01-24 -793.84 7128211/6 ABBEYMOOR | " } } },
    //  Wakefield as published: a title line, then the header on line 3;
    //  every supplier ID "Redacted" (read as none, see s_test_identifiers)
    { "wakefield_raw_2017-18_b.csv", NULL, NULL, 8, 0, 669850, 0, NULL,
      { { NULL, 0 } },
      { { 5, "2017-08-23 638.00 23382334/1 ARROW COMMERCIAL CENTRE T/A ARROW SELF DRIVE | " },
        { 12, "2017-08-21 665.00 23373218/1 HANDICARE ACCESSIBILITY LTD | " } } },
    //  Rochdale, December 2024: "AMOUNT (£)" with a space after each
    //  amount, dates "05-Dec-24", "EFEFCTIVE DATE"; one payment listed
    //  twice under one transaction number (30, 31), both kept
    { "rochdale_2024-12.csv", NULL, NULL, 30, 0, 2687637, 2, NULL,
      { { NULL, 0 } },
      { { 2, "2024-12-05 15588.45 V002054211/1 TRANSPORT FOR GREATER MANCHESTER"
             " | MINOR BUILDING WORKS" },
        { 30, "2024-12-03 300.00 V002263183/1 BROWNS LADDERS AND CEILINGS LIMITED"
              " | REPAIRS & ALTS OF BUILDINGS" },
        { 31, "2024-12-03 300.00 V002263183/2 BROWNS LADDERS AND CEILINGS LIMITED"
              " | REPAIRS & ALTS OF BUILDINGS" } } },
    //  Hyndburn, March 2020: a bank charge whose "Name" is the period
    //  charged (39), refused; "REDACTIVE PUBLISHING LTD" is a supplier (8);
    //  one invoice five times (18-22) and purchase-card rows that all give
    //  "P-CARD- MAR 20" as their number, all kept; ten lines of commas
    { "hyndburn_2020-03.csv", NULL, NULL, 38, 1, 5503649, 0,
      "row 39, column 'Name', value '30.11.19-28.02.20': no letter in it: not a "
      "supplier's name",
      { { "no letter in it: not a supplier's name", 1 } },
      { { 8, "2020-03-04 695.00 B000020740/62354/1 REDACTIVE PUBLISHING LTD | ADVERTISING" },
        { 22, "2020-03-04 3800.00 B000020743/59171/5 COLLETT TRANSPORT SERVICES"
              " | HIRE OF REFUSE VEHICLE" },
        { 38, "2020-03-19 848.32 32719/2 WORLDPAY | STREAMLINE" } } },
    //  A Leeds excerpt behind a UTF-8 byte order mark
    { "bom_leeds_2010-12.csv", NULL, NULL, 20, 0, 6450796, 0, NULL,
      { { NULL, 0 } }, { { 0, NULL } } },
    //  The Leeds excerpt with its "Net amount" column taken out
    { "no_amount_leeds_2010-12.csv", NULL,
      "no column for amount; line 1 has: Body name, Body, Service label, Service division label, "
      "Expenditure category, Detailed expenditure type, Detailed expenditure code, Date paid, "
      "Transaction number, Capital or revenue, Supplier name",
      0, 0, 0, 0, NULL, { { NULL, 0 } }, { { 0, NULL } } },
};

//  Checks one fixture, read whole, in 1-byte chunks and in 7-byte chunks:
//  the same figures, rows and errors every time.
static void
s_test_fixture (const s_test_fixture_t *fixture, bool verbose)
{
    size_t size;
    char *data = s_test_load (fixture->file, &size);
    char first_digest [64] = "";
    size_t chunks [] = { 0, 1, 7 };
    for (size_t pass = 0; pass < sizeof chunks / sizeof chunks [0]; pass++) {
        s_test_t test = { .rows = 0 };
        s_test_reset (&test, fixture);
        ingest_spend_t *reader = s_test_read (data, size, chunks [pass], fixture->override, &test);
        size_t accepted = ingest_spend_accepted (reader);
        size_t rejected = ingest_spend_rejected (reader);
        if (verbose && pass == 0)
            printf ("  %-36s %3zu rows: %3zu accepted, %3zu rejected, %lld p%s%s\n",
                    fixture->file, accepted + rejected, accepted, rejected,
                    (long long) ingest_spend_total (reader),
                    ingest_spend_refusal (reader)? "; refused: ": "",
                    ingest_spend_refusal (reader)? ingest_spend_refusal (reader): "");
        if (fixture->refusal) {
            assert (ingest_spend_refusal (reader));
            assert (streq (ingest_spend_refusal (reader), fixture->refusal));
            assert (accepted == 0 && rejected == 0);
        }
        else {
            assert (ingest_spend_refusal (reader) == NULL);
            assert (accepted + rejected == fixture->data_rows);
            assert (rejected == fixture->rejected);
            assert (test.errors == rejected);
            assert (ingest_spend_total (reader) == fixture->total);
            assert (test.redacted == fixture->redacted);
            if (fixture->first_error) {
                if (!streq (test.first_error, fixture->first_error))
                    printf ("  %s: first error '%s'\n", fixture->file, test.first_error);
                assert (streq (test.first_error, fixture->first_error));
            }
            //  Every rejected row is accounted for by an expected reason
            size_t explained = 0;
            for (size_t index = 0; index < 4; index++) {
                assert (test.reason_rows [index] == fixture->reasons [index].rows);
                explained += test.reason_rows [index];
            }
            assert (explained == rejected);
            size_t probes = 0;
            for (size_t index = 0; index < 3; index++)
                probes += fixture->probes [index].line != 0;
            assert (test.probes_seen == probes);
        }
        const char *digest = zdigest_string (test.digest);
        if (pass == 0)
            snprintf (first_digest, sizeof first_digest, "%s", digest);
        else
            assert (streq (digest, first_digest));
        ingest_spend_destroy (&reader);
        s_test_clear (&test, NULL, true);
    }
    free (data);
}

//  Collects the rows' summaries of a reading, one per line, into a fresh
//  string
static char *
s_test_summaries (s_test_t *test)
{
    size_t size = 1;
    for (const char *row = (const char *) zlist_first (test->summaries); row;
         row = (const char *) zlist_next (test->summaries))
        size += strlen (row) + 1;
    char *all = (char *) zmalloc (size);
    assert (all);
    for (const char *row = (const char *) zlist_first (test->summaries); row;
         row = (const char *) zlist_next (test->summaries))
        strcat (strcat (all, row), "\n");
    return all;
}

//  Returns how many bytes of text its first lines take, through line
//  number lines (1-based), line breaks included
static size_t
s_test_lines (const char *text, int lines)
{
    const char *at = text;
    for (int line = 0; line < lines; line++)
        at = strchr (at, '\n') + 1;
    return (size_t) (at - text);
}

//  Identity: rows without a transaction number are known by what they
//  are, never by where they sit
static void
s_test_identity (bool verbose)
{
    s_test_t test = { .rows = 0 };

    //  A real file with no transaction numbers, cut in two as a council's
    //  two years of card spend: line n of one is not line n of the other.
    //  Both are counted in full (14 and 21 rows, 2,073,847 pence between
    //  them, as the whole excerpt), and no key of one is a key of the
    //  other. The file itself lists one refund of £2,020.00 three times
    //  (lines 3-5) and one of £591.40 twice: every one is kept
    size_t size;
    char *processed = s_test_load ("sheffield_processed_2021-05.csv", &size);
    size_t header = s_test_lines (processed, 1), cut = s_test_lines (processed, 15);
    char *second = (char *) malloc (header + size - cut);
    assert (second);
    memcpy (second, processed, header);
    memcpy (second + header, processed + cut, size - cut);
    s_test_reset (&test, NULL);
    ingest_spend_t *reader = s_test_read (processed, cut, 0, NULL, &test);
    assert (ingest_spend_accepted (reader) == 14 && ingest_spend_rejected (reader) == 0);
    assert (test.warnings == 3);
    assert (strstr (test.warning_text, "row 4: the same payment as an earlier row"));
    int64_t first_total = ingest_spend_total (reader);
    char *first_keys = strdup (test.keys);
    ingest_spend_destroy (&reader);
    s_test_reset (&test, NULL);
    reader = s_test_read (second, header + size - cut, 0, NULL, &test);
    assert (ingest_spend_accepted (reader) == 21 && ingest_spend_rejected (reader) == 0);
    assert (first_total + ingest_spend_total (reader) == 2073847);
    if (verbose)
        printf ("  two files without transaction numbers: 14 + 21 rows, %lld + %lld p\n",
                (long long) first_total, (long long) ingest_spend_total (reader));
    size_t threes = 0;
    for (char *key = strtok (first_keys, " "); key; key = strtok (NULL, " ")) {
        //  "/", 32 hex digits, "+", the occurrence
        assert (strlen (key) == 35 && key [0] == '/' && key [33] == '+');
        assert (strspn (key + 1, "0123456789abcdef") == 32);
        threes += streq (key + 33, "+3");
        assert (!strstr (test.keys, key));
    }
    assert (threes == 1);
    ingest_spend_destroy (&reader);
    free (first_keys);
    free (second);

    //  The same file twice gives the same keys, so a republished file's
    //  rows are duplicates; in other chunks too
    s_test_reset (&test, NULL);
    reader = s_test_read (processed, size, 0, NULL, &test);
    char *keys = strdup (test.keys);
    ingest_spend_destroy (&reader);
    s_test_reset (&test, NULL);
    reader = s_test_read (processed, size, 3, NULL, &test);
    assert (streq (test.keys, keys));
    ingest_spend_destroy (&reader);
    free (keys);
    free (processed);

    //  A payment listed twice keeps both, the second warned of; its date
    //  is compared as read (2024-04-13 is 13/04/2024), and a narrative
    //  that differs makes another payment
    const char *twice =
        "Date,Amount,Merchant Name,Narrative\n"
        "13/04/2024,25.00,Costa,coffee\n"
        "2024-04-13,25.00,Costa,coffee\n"
        "13/04/2024,25.00,Costa,tea\n"
        "13/04/2024,25.00,Costa,coffee\n";
    s_test_reset (&test, NULL);
    reader = s_test_text (twice, &test);
    assert (ingest_spend_accepted (reader) == 4 && ingest_spend_total (reader) == 10000);
    char digest [40];
    memcpy (digest, test.keys, 33);
    digest [33] = 0;
    char expected [200];
    snprintf (expected, sizeof expected, "%s+1 %s+2 ", digest, digest);
    assert (strncmp (test.keys, expected, strlen (expected)) == 0);
    const char *third = test.keys + strlen (expected);
    assert (strncmp (third, digest, 33) != 0 && strncmp (third + 33, "+1 ", 3) == 0);
    snprintf (expected, sizeof expected, "%s+3 ", digest);
    assert (streq (third + 36, expected));
    if (test.warnings != 2)
        printf ("  warnings %zu: %s", test.warnings, test.warning_text);
    assert (test.warnings == 2);
    assert (strstr (test.warning_text, "row 3: the same payment as an earlier row"));
    assert (strstr (test.warning_text, "row 5: the same payment as an earlier row"));
    ingest_spend_destroy (&reader);

    //  A number and line given twice with other amounts (a borough's
    //  £186.00 and £805.00) are two payments; a row with an empty line in
    //  a file with a line column is one without a line, never T/L
    s_test_reset (&test, NULL);
    reader = s_test_text ("Strategic Group,TransNo,Seq no,Supplier Text,Amount,Payment Date\n"
                          "Central Services,43598516,2,FORCE TWO LTD,186.00,2010-12-07\n"
                          "Central Services,43598516,2,FORCE TWO LTD,805.00,2010-12-07\n"
                          "Central Services,43598516,,FORCE TWO LTD,12.00,2010-12-07\n"
                          "Central Services,43598516,002,FORCE TWO LTD,1.00,2010-12-07\n"
                          "Central Services,43598516,,FORCE TWO LTD,3.00,2010-12-07\n"
                          "Central Services,43598516,1,FORCE TWO LTD,4.00,2010-12-07\n", &test);
    assert (ingest_spend_accepted (reader) == 6 && ingest_spend_rejected (reader) == 0);
    assert (ingest_spend_total (reader) == 18600 + 80500 + 1200 + 100 + 300 + 400);
    assert (streq (test.keys, "43598516/2 43598516/2+2 43598516/+1 43598516/2+3 43598516/+2 "
                              "43598516/1 "));
    assert (test.warnings == 2);
    assert (strstr (test.warning_text, "row 3: transaction number and line given again in this "
                                       "file: kept as a payment of its own (43598516/2+2)"));
    ingest_spend_destroy (&reader);

    //  Repeats are warned of one by one up to S_REPEATS_WARNED, then
    //  counted in one warning at the end
    char repeats [64 * 30 + 64] = "Date,Amount,Supplier\n";
    for (int row = 0; row < 30; row++)
        strcat (repeats, "13/04/2024,1,Same\n");
    s_test_reset (&test, NULL);
    reader = s_test_text (repeats, &test);
    assert (ingest_spend_accepted (reader) == 30);
    assert (test.warnings == S_REPEATS_WARNED + 1);
    assert (strstr (test.warning_text, "9 more rows repeat"));
    ingest_spend_destroy (&reader);
    s_test_clear (&test, NULL, true);
}

//  Payment dates: a column's convention is settled by its values, and
//  rows wait for it in bounded memory
static void
s_test_dates (bool verbose)
{
    s_test_t test = { .rows = 0 };

    //  The Oxford excerpt rewritten month first reads as the original,
    //  every row's date, key and figure; the rows before the first date
    //  that can only be month first (1/17/2017, line 8) waited for it
    size_t size;
    char *original = s_test_load ("oxford_jan-mar-2017.csv", &size);
    s_test_reset (&test, NULL);
    ingest_spend_t *reader = s_test_read (original, size, 0, NULL, &test);
    char *day_first = s_test_summaries (&test);
    assert (test.rows == 30 && test.warnings == 0);
    ingest_spend_destroy (&reader);
    char *rewritten = s_test_load ("mdy_oxford_jan-mar-2017.csv", &size);
    s_test_reset (&test, NULL);
    reader = s_test_reader (NULL, NULL, &test);
    assert (s_test_feed (reader, rewritten, s_test_lines (rewritten, 7), 0, false) == 0);
    assert (test.rows == 0 && ingest_spill_count (reader->held) == 6);
    assert (s_test_feed (reader, rewritten + s_test_lines (rewritten, 7),
                         size - s_test_lines (rewritten, 7), 0, true) == 0);
    char *month_first = s_test_summaries (&test);
    assert (streq (month_first, day_first));
    assert (test.warnings == 1);
    assert (streq (test.warning_text, "row 8, column 'Paid Date', value '1/17/2017': this date "
                   "can only be read month first, so every date in the column is read month "
                   "first (m/d/y)\n"));
    ingest_spend_destroy (&reader);
    free (month_first);

    //  Six rows whose every date reads both ways are read day first at
    //  the end, with one warning naming the column
    size_t six = s_test_lines (original, 7);
    s_test_reset (&test, NULL);
    reader = s_test_read (original, six, 0, NULL, &test);
    char *six_rows = s_test_summaries (&test);
    assert (test.rows == 6 && strncmp (six_rows, day_first, strlen (six_rows)) == 0);
    assert (test.warnings == 1);
    assert (strstr (test.warning_text, "row 1, column 'Paid Date': every date in this column "
                    "reads both day first and month first: read day first (d/m/y)"));
    ingest_spend_destroy (&reader);

    //  Past their memory bound (64 bytes here) the waiting rows go to a
    //  temporary file, and come back the same, in 1-byte chunks too
    s_test_reset (&test, NULL);
    reader = s_test_reader (NULL, NULL, &test);
    ingest_spill_destroy (&reader->held);
    reader->held = ingest_spill_new (64);
    assert (reader->held);
    assert (s_test_feed (reader, original, six, 1, false) == 0);
    assert (ingest_spill_spilled (reader->held) && ingest_spill_count (reader->held) == 6);
    assert (ingest_spend_finish (reader) == 0);
    char *spilled = s_test_summaries (&test);
    assert (streq (spilled, six_rows) && test.warnings == 1);
    assert (!ingest_spill_spilled (reader->held) && ingest_spill_count (reader->held) == 0);
    ingest_spend_destroy (&reader);
    free (spilled);

    //  A row handler that stops at a waiting row refuses the file there
    s_test_reset (&test, NULL);
    test.stop_after = 2;
    reader = s_test_reader (NULL, NULL, &test);
    assert (s_test_feed (reader, original, six, 0, true) == -1);
    assert (ingest_spend_accepted (reader) == 2);
    assert (streq (ingest_spend_refusal (reader), "stopped by the row handler at line 3"));
    assert (ingest_spend_feed (reader, "x", 1) == -1);
    ingest_spend_destroy (&reader);
    free (six_rows);
    free (day_first);
    free (original);
    free (rewritten);

    //  A column with dates of both conventions: the first that can only
    //  be read one way settles it, and those that can only be read the
    //  other way are rejected naming it; waiting rows read as settled
    const char *mixed [2] = {
        "Payment Date,Amount,Supplier,Transaction Number\n"
        "05/06/2024,1,A,T1\n" "13/06/2024,1,A,T2\n" "6/30/2024,1,A,T3\n"
        "07/06/2024,1,A,T4\n" "31/06/2024,1,A,T5\n",
        "Payment Date,Amount,Supplier,Transaction Number\n"
        "05/06/2024,1,A,T1\n" "6/30/2024,1,A,T2\n" "13/06/2024,1,A,T3\n"
        "07/06/2024,1,A,T4\n" "31/06/2024,1,A,T5\n",
    };
    const char *rows [2] = {
        "2: 2024-06-05 1.00 T1/1 A | \n3: 2024-06-13 1.00 T2/1 A | \n"
        "5: 2024-06-07 1.00 T4/1 A | \n",
        "2: 2024-05-06 1.00 T1/1 A | \n3: 2024-06-30 1.00 T2/1 A | \n"
        "5: 2024-07-06 1.00 T4/1 A | \n",
    };
    const char *errors [2][2] = {
        { "row 4, column 'Payment Date', value '6/30/2024': can only be read month first "
          "(m/d/y), but this column is day first (d/m/y): line 3 has '13/06/2024'",
          "row 6, column 'Payment Date', value '31/06/2024': no such day in that month" },
        { "row 4, column 'Payment Date', value '13/06/2024': can only be read day first "
          "(d/m/y), but this column is month first (m/d/y): line 3 has '6/30/2024'",
          "row 6, column 'Payment Date', value '31/06/2024': month must be 1-12" },
    };
    for (int file = 0; file < 2; file++) {
        s_test_reset (&test, NULL);
        reader = s_test_text (mixed [file], &test);
        char *read = s_test_summaries (&test);
        if (verbose)
            printf ("%s", read);
        assert (streq (read, rows [file]));
        assert (test.errors == 2);
        assert (streq ((const char *) zlist_first (test.error_list), errors [file][0]));
        assert (streq ((const char *) zlist_next (test.error_list), errors [file][1]));
        ingest_spend_destroy (&reader);
        free (read);
    }

    //  A declared order settles the column from the first row: nothing
    //  waits, and a date that can only be read the other way is rejected
    s_test_reset (&test, NULL);
    reader = s_test_reader (NULL, "mdy", &test);
    assert (ingest_spend_set_date_order (reader, "ymd") == -1);
    assert (s_test_feed (reader, mixed [0], strlen (mixed [0]), 0, false) == 0);
    assert (ingest_spill_count (reader->held) == 0 && test.rows == 3);
    assert (ingest_spend_set_date_order (reader, "dmy") == -1);
    assert (ingest_spend_finish (reader) == 0);
    assert (streq (test.first_error, "row 3, column 'Payment Date', value '13/06/2024': can only "
                   "be read day first (d/m/y), but the partner's dates are month first (m/d/y)"));
    assert (streq (test.last_summary, "2024-07-06 1.00 T4/1 A | ") && test.warnings == 0);
    ingest_spend_destroy (&reader);
    s_test_clear (&test, NULL, true);
}

//  Folds a header as sv_csv does (ASCII letters and digits, lower case)
static void
s_test_fold (const char *text, char *out)
{
    for (; *text; text++)
        if (isalnum ((unsigned char) *text) && (unsigned char) *text < 0x80)
            *out++ = (char) tolower ((unsigned char) *text);
    *out = 0;
}

//  Over-long values are row errors; headers of real files are known
static void
s_test_limits_and_headers (bool verbose)
{
    s_test_t test = { .rows = 0 };
    char *file = (char *) malloc (8192);
    assert (file);
    const struct {
        const char *row;        //  printf format, given the long text
        size_t length;
        const char *column;
        const char *reason;
    } long_values [] = {
        { "01/04/2024,1,A,%s,x\n", 300, "Transaction Number", "300 bytes, at most 100" },
        { "01/04/2024,1,%s,T,x\n", 251, "Supplier Name", "251 bytes, at most 250" },
        { "01/04/2024,1,A,T,%s\n", 2001, "Narrative", "2001 bytes, at most 2000" },
    };
    for (size_t index = 0; index < 3; index++) {
        char *text = (char *) malloc (long_values [index].length + 1);
        assert (text);
        memset (text, 'X', long_values [index].length);
        text [long_values [index].length] = 0;
        int used = sprintf (file, "Payment Date,Amount,Supplier Name,Transaction Number,Narrative\n");
        sprintf (file + used, long_values [index].row, text);
        strcat (file, "02/04/2024,2,B,T,fine\n");
        s_test_reset (&test, NULL);
        ingest_spend_t *reader = s_test_text (file, &test);
        assert (ingest_spend_refusal (reader) == NULL);
        assert (ingest_spend_accepted (reader) == 1 && ingest_spend_rejected (reader) == 1);
        if (verbose)
            printf ("  %s: %s\n", test.last_column, test.last_reason);
        assert (streq (test.last_column, long_values [index].column));
        assert (streq (test.last_reason, long_values [index].reason));
        ingest_spend_destroy (&reader);
        free (text);
    }
    free (file);

    //  A name of digits alone is kept (the wholesaler "3663"); digits with
    //  punctuation, a date range where the supplier goes, are no name
    s_test_reset (&test, NULL);
    ingest_spend_t *reader = s_test_text (
        "Payment Date,Amount,Supplier Name\n"
        "01/04/2024,10.00,3663\n"
        "02/04/2024,20.00,30.11.19-28.02.20\n", &test);
    assert (ingest_spend_refusal (reader) == NULL);
    assert (ingest_spend_accepted (reader) == 1 && ingest_spend_total (reader) == 1000);
    assert (streq (test.last_reason, "no letter in it: not a supplier's name"));
    ingest_spend_destroy (&reader);

    //  Headers from real files: a borough's "Name:" with trailing spaces,
    //  "HBC Ref No." and "Net Amount(£)"; the NHS template; purchase cards;
    //  Transport for London; East Cambridgeshire's column key
    const struct {
        const char *header;
        ingest_spend_field_t fields [4];
        const char *columns [4];
    } headers [] = {
        { "Name:   ,HBC Ref No.,Net Amount(\xC2\xA3),Date Paid\n",
          { INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_TRANSACTION_NO, INGEST_SPEND_AMOUNT,
            INGEST_SPEND_PAYMENT_DATE },
          { "Name:", "HBC Ref No.", "Net Amount(\xC2\xA3)", "Date Paid" } },
        { "Name,HBC ref no,Amount \xC2\xA3,Payment Date\n",
          { INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_TRANSACTION_NO, INGEST_SPEND_AMOUNT,
            INGEST_SPEND_PAYMENT_DATE },
          { "Name", "HBC ref no", "Amount \xC2\xA3", "Payment Date" } },
        { "Department Family,Entity,Date,Expense Type,Expense Area,Supplier,"
          "Transaction Number,Amount in Sterling,Supplier VAT registration number\n",
          { INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_BODY_NAME, INGEST_SPEND_AMOUNT,
            INGEST_SPEND_VAT_NUMBER },
          { "Supplier", "Entity", "Amount in Sterling",
            "Supplier VAT registration number" } },
        { "Cost Centre Description,Merchant Name,Transaction Date,Merchant Category,"
          "Transaction Amount\n",
          { INGEST_SPEND_EXPENSE_AREA, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_EXPENSE_TYPE,
            INGEST_SPEND_AMOUNT },
          { "Cost Centre Description", "Merchant Name", "Merchant Category",
            "Transaction Amount" } },
        { "Entity,Vendor Name,Expenditure Account ,Document Number,Clearing Date,"
          "Amount (\xC2\xA3),Merchant Category\n",
          { INGEST_SPEND_EXPENSE_TYPE, INGEST_SPEND_TRANSACTION_NO, INGEST_SPEND_AMOUNT,
            INGEST_SPEND_SUPPLIER_NAME },
          { "Expenditure Account", "Document Number", "Amount (\xC2\xA3)", "Vendor Name" } },
        { "Body name,Transaction date,Supplier (beneficiary),Transaction number,Net amount,"
          "Irrecoverable VAT,Procurement category,CIPFA expenditure code,"
          "Purpose of expenditure (narrative)\n",
          { INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_EXPENSE_TYPE, INGEST_SPEND_EXPENSE_CODE,
            INGEST_SPEND_NARRATIVE },
          { "Supplier (beneficiary)", "Procurement category", "CIPFA expenditure code",
            "Purpose of expenditure (narrative)" } },
        //  London boroughs' layouts, as a borough loader's column table lists
        //  them (Ambit-Labs/hacks-tech-eu-agentic-ai docs/payments-schema.md):
        //  Barnet before 2024 and since; Bexley's misspelt number beside its
        //  VAT; Brent; Camden; Havering 2011-14; Islington; Lambeth 2015-17;
        //  Lewisham; Newham 2018-19; Redbridge; Haringey
        { "Payment Date,Vendor Name,Directorate,Department,Expenditure Type,"
          "Expenditure Amount (exc VAT),Ref.Doc.1\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_EXPENSE_TYPE,
            INGEST_SPEND_AMOUNT },
          { "Payment Date", "Vendor Name", "Expenditure Type", "Expenditure Amount (exc VAT)" } },
        { "Payment Date,Supplier Name,Cost Centre Hierarchy - Directorate,Expenditure Type,"
          "Distribution Amount,Payment Reference Number,Payment Number\n",
          { INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_EXPENSE_TYPE, INGEST_SPEND_AMOUNT,
            INGEST_SPEND_TRANSACTION_NO },
          { "Supplier Name", "Expenditure Type", "Distribution Amount",
            "Payment Reference Number" } },
        { "Payment Date,Supplier,Directorate,Service area,Expense Type,Amount,"
          "Non Recoverable VAT,Transcation Number\n",
          { INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_EXPENSE_AREA, INGEST_SPEND_AMOUNT,
            INGEST_SPEND_TRANSACTION_NO },
          { "Supplier", "Service area", "Amount", "Transcation Number" } },
        { "Payment Date,Supplier,Directorate,Service area,Description,\xC2\xA3 ,"
          "Non recoverable VAT \xC2\xA3,Transaction No\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_AMOUNT,
            INGEST_SPEND_TRANSACTION_NO },
          { "Payment Date", "Supplier", "\xC2\xA3", "Transaction No" } },
        { "Payment Date,Vendor Name 2,Cost Centre Description,Subjective desctiption,Amount,"
          "Non Recoverable VAT\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_EXPENSE_AREA,
            INGEST_SPEND_AMOUNT },
          { "Payment Date", "Vendor Name 2", "Cost Centre Description", "Amount" } },
        { "payment_date,beneficiary_name,organisational_unit,purpose,amount_gbp,"
          "irrecoverable_vat_amount_gbp,unique_identifier\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_EXPENSE_AREA,
            INGEST_SPEND_AMOUNT },
          { "payment_date", "beneficiary_name", "organisational_unit", "amount_gbp" } },
        { "Posted Fiscal Date,Supplier Name,Directorate,Service,Subjective Name,"
          "AP Document Amount (\xC2\xA3),Transaction Number\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_EXPENSE_TYPE,
            INGEST_SPEND_AMOUNT },
          { "Posted Fiscal Date", "Supplier Name", "Subjective Name",
            "AP Document Amount (\xC2\xA3)" } },
        { "Entry Date,Supplier Name,Department,Service,Spend Type,Net Amount\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_EXPENSE_AREA,
            INGEST_SPEND_AMOUNT },
          { "Entry Date", "Supplier Name", "Service", "Net Amount" } },
        { "Invoice_Payment_Date,Supplier_Name,Org_Level_2_Desc,Nominal_Desc,"
          "Invoice_Line_Net_Amount\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_AMOUNT,
            INGEST_SPEND_AMOUNT },
          { "Invoice_Payment_Date", "Supplier_Name", "Invoice_Line_Net_Amount",
            "Invoice_Line_Net_Amount" } },
        { "PAYMENT DATE,SUPPLIER,SERVICE,DEPARTMENT,DESCRIPTION,"
          "\xC2\xA3 SPEND (EXCLUDING VAT)\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_NARRATIVE,
            INGEST_SPEND_AMOUNT },
          { "PAYMENT DATE", "SUPPLIER", "DESCRIPTION", "\xC2\xA3 SPEND (EXCLUDING VAT)" } },
        { "Date Incurred,BENEFICIARY,Local Authority Department,Purpose,Amount,"
          "Non Recoverable\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_NARRATIVE,
            INGEST_SPEND_AMOUNT },
          { "Date Incurred", "BENEFICIARY", "Purpose", "Amount" } },
        { "Transaction Date,Supplier description,Directorate,Service,Account description,"
          "Amount,Transaction No\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_EXPENSE_TYPE,
            INGEST_SPEND_TRANSACTION_NO },
          { "Transaction Date", "Supplier description", "Account description",
            "Transaction No" } },
        //  And the columns two more loaders of those files name (Budget-Galaxy,
        //  and a borough loader's fallback column map), each line made of
        //  one borough's named columns ("Payment Date" where none is named):
        //  Hackney's numbered columns, Greenwich, Harrow, Kensington and
        //  Chelsea, Hillingdon, Hammersmith and Fulham, Ealing
        { "3. DATE INCURRED,4. DATE PAID,5. BENEFICIARY,7. DEPARTMENT,"
          "8. PURPOSE OF EXPENDITURE,9. MERCHANT CATEGORY,Total\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_AMOUNT,
            INGEST_SPEND_AMOUNT },
          { "4. DATE PAID", "5. BENEFICIARY", "Total", "Total" } },
        { "LA Department,Expenditure Category/Description,Payment Date,Creditor_Name,"
          "Invoice Line Amount\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_AMOUNT,
            INGEST_SPEND_AMOUNT },
          { "Payment Date", "Creditor_Name", "Invoice Line Amount", "Invoice Line Amount" } },
        { "Department,Category/Purpose,Payment Date,Updated Beneficiary,Gross\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_AMOUNT,
            INGEST_SPEND_EXPENSE_AREA },
          { "Payment Date", "Updated Beneficiary", "Gross", "Department" } },
        { "Directorate / service where expenditure incurred,purpose_of_spend,Payment Date,"
          "Supplier (Beneficiary) name,Net Amount\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_AMOUNT,
            INGEST_SPEND_EXPENSE_TYPE },
          { "Payment Date", "Supplier (Beneficiary) name", "Net Amount", "purpose_of_spend" } },
        { "Cclvl4 Desc,Account Desc,Actual Payment Date,Vendor Name,Distrib Amount SUM\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_AMOUNT,
            INGEST_SPEND_AMOUNT },
          { "Actual Payment Date", "Vendor Name", "Distrib Amount SUM", "Distrib Amount SUM" } },
        { "Cost Center/Capital Project Description,GL Account Description,Payment Date,"
          "Supplier Name,Amount \xC2\xA3 (Ex VAT)\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_AMOUNT,
            INGEST_SPEND_AMOUNT },
          { "Payment Date", "Supplier Name", "Amount \xC2\xA3 (Ex VAT)",
            "Amount \xC2\xA3 (Ex VAT)" } },
        { "Service Label,Expenditure Category,Payment Date,Amended Supplier Name,Net Amount\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_AMOUNT,
            INGEST_SPEND_EXPENSE_AREA },
          { "Payment Date", "Amended Supplier Name", "Net Amount", "Service Label" } },
        { "Payment date,Supplier Name,Department,Purpose,Sum of Amount\n",
          { INGEST_SPEND_PAYMENT_DATE, INGEST_SPEND_SUPPLIER_NAME, INGEST_SPEND_NARRATIVE,
            INGEST_SPEND_AMOUNT },
          { "Payment date", "Supplier Name", "Purpose", "Sum of Amount" } },
    };
    for (size_t index = 0; index < sizeof headers / sizeof headers [0]; index++) {
        s_test_reset (&test, NULL);
        ingest_spend_t *reader = s_test_text (headers [index].header, &test);
        assert (ingest_spend_refusal (reader) == NULL);
        for (size_t field = 0; field < 4; field++) {
            const char *column = ingest_spend_column (reader, headers [index].fields [field]);
            if (!column || !streq (column, headers [index].columns [field]))
                printf ("  header %zu field %zu: %s\n", index, field, column? column: "none");
            assert (column && streq (column, headers [index].columns [field]));
        }
        ingest_spend_destroy (&reader);
    }

    //  No synonym of one field folds to a synonym of another, but "Body":
    //  the body name where a file has nothing better, the body code
    //  beside a "Body Name" column (sv_csv's ranks decide)
    const sv_csv_field_t *fields = ingest_spend_fields ();
    for (size_t one = 0; one < INGEST_SPEND_FIELDS; one++)
        for (size_t other = one + 1; other < INGEST_SPEND_FIELDS; other++)
            for (const char *const *a = fields [one].synonyms; *a; a++)
                for (const char *const *b = fields [other].synonyms; *b; b++) {
                    char folded_a [200], folded_b [200];
                    s_test_fold (*a, folded_a);
                    s_test_fold (*b, folded_b);
                    if (streq (folded_a, folded_b) && !streq (folded_a, "body"))
                        printf ("  '%s' (%s) and '%s' (%s)\n", *a, fields [one].name,
                                *b, fields [other].name);
                    assert (!streq (folded_a, folded_b) || streq (folded_a, "body"));
                }
    s_test_clear (&test, NULL, true);
}

//  Counts the rows that name a supplier ID or VAT number
static int
s_test_identified (const ingest_spend_row_t *row, void *arg)
{
    *(size_t *) arg += *row->supplier_id || *row->vat_number;
    return 0;
}

//  An identifier that names no one is no identifier: Wakefield's supplier
//  IDs, every one "Redacted", would otherwise make its suppliers one
static void
s_test_identifiers (void)
{
    size_t size, identified = 0;
    char *data = s_test_load ("wakefield_raw_2017-18_b.csv", &size);
    s_test_t test = { .rows = 0 };
    s_test_reset (&test, NULL);
    ingest_spend_t *reader = ingest_spend_new (s_test_identified, NULL, &identified);
    assert (reader);
    ingest_spend_set_warning (reader, s_test_warning, &test);
    assert (s_test_feed (reader, data, size, 0, true) == 0);
    assert (ingest_spend_accepted (reader) == 8 && identified == 0);
    assert (test.warnings == 1);
    assert (strstr (test.warning_text, "row 5, column 'Supplier ID', value 'Redacted': names no "
                                       "one: read as no supplier ID"));
    ingest_spend_destroy (&reader);
    free (data);

    //  A placeholder VAT number likewise; a real ID is kept
    identified = 0;
    s_test_reset (&test, NULL);
    reader = ingest_spend_new (s_test_identified, NULL, &identified);
    assert (reader);
    ingest_spend_set_warning (reader, s_test_warning, &test);
    const char *text = "Payment Date,Supplier Name,Supplier ID,VAT Number,Amount\n"
                       "2024-06-01,Acme Ltd,A100,N/A,10.00\n"
                       "2024-06-02,Beta Ltd,Not yet available,GB123456789,10.00\n"
                       "2024-06-03,Gamma Ltd,000,,10.00\n"
                       "2024-06-04,Delta Ltd,1000,,10.00\n";
    assert (s_test_feed (reader, text, strlen (text), 0, true) == 0);
    assert (ingest_spend_accepted (reader) == 4 && identified == 3 && test.warnings == 2);
    ingest_spend_destroy (&reader);
    s_test_clear (&test, NULL, true);
}

//  Debit/credit markers: credits read with the sign the file gives them,
//  never as payments; a file that writes them both ways, refused
static void
s_test_credits (void)
{
    s_test_t test = { .rows = 0 };

    //  Unsigned credits: one warning, on the first credit
    size_t size;
    char *data = s_test_load ("drcr_unsigned_newcastle_2017-01.csv", &size);
    s_test_reset (&test, NULL);
    ingest_spend_t *reader = s_test_read (data, size, 0, NULL, &test);
    assert (ingest_spend_total (reader) == 25388678);
    assert (test.warnings == 1);
    assert (strstr (test.warning_text, "row 25, column 'Dr/Cr', value 'CR': credits are "
                                       "written as positive amounts"));
    ingest_spend_destroy (&reader);
    free (data);

    //  Credits negative beside "CR" (line 31) after one positive (line
    //  25): refused whole, naming both
    data = s_test_load ("drcr_mixed_newcastle_2017-01.csv", &size);
    s_test_reset (&test, NULL);
    reader = s_test_reader (NULL, NULL, &test);
    assert (s_test_feed (reader, data, size, 0, true) == -1);
    assert (streq (ingest_spend_refusal (reader),
                   "credits are written both ways beside column 'Dr/Cr' (line 31 negative, "
                   "line 25 positive): which amounts are credits cannot be told"));
    ingest_spend_destroy (&reader);
    free (data);

    //  Markers as finance systems write them; a marker that is neither,
    //  a missing one, and a debit with a minus are each their row's error
    s_test_reset (&test, NULL);
    reader = s_test_text (
        "Payment Date,Supplier Name,Amount,INV/CRN\n"
        "01/06/2024,Acme Ltd,100.00,INV\n"                     //  2
        "02/06/2024,Acme Ltd,40.00,CRN\n"                      //  3: -40.00
        "03/06/2024,Acme Ltd,30.00,Credit Note\n"              //  4: -30.00
        "04/06/2024,Acme Ltd,20.00,cr.\n"                      //  5: -20.00
        "05/06/2024,Acme Ltd,10.00,Journal\n"                  //  6
        "06/06/2024,Acme Ltd,10.00,\n"                         //  7
        "07/06/2024,Acme Ltd,-10.00,Invoice\n"                 //  8
        "08/06/2024,Acme Ltd,0.00,CR\n", &test);               //  9
    assert (ingest_spend_accepted (reader) == 5);
    assert (ingest_spend_total (reader) == 10000 - 4000 - 3000 - 2000);
    assert (ingest_spend_rejected (reader) == 3);
    const char *error = (const char *) zlist_first (test.error_list);
    assert (strstr (error, "row 6, column 'INV/CRN', value 'Journal': neither a debit nor a credit"));
    error = (const char *) zlist_next (test.error_list);
    assert (strstr (error, "row 7, column 'INV/CRN'") && strstr (error, "no debit or credit marker"));
    error = (const char *) zlist_next (test.error_list);
    assert (strstr (error, "row 8, column 'Amount', value '-10.00': a negative amount on a row "
                           "marked as a debit"));
    ingest_spend_destroy (&reader);

    //  A "Transaction Type" may name other kinds of payment, which keep
    //  their amounts as written; its refunds and credit notes are credits
    //  still, here already negative; an invoice's negative line (a
    //  discount) is kept as written
    s_test_reset (&test, NULL);
    reader = s_test_text (
        "Payment Date,Supplier Name,Amount,Transaction Type\n"
        "2024-06-01,Acme Ltd,100.00,BACS\n"
        "2024-06-02,Acme Ltd,-5.00,Refund\n"
        "2024-06-03,Acme Ltd,-40.00,Credit Note\n"
        "2024-06-04,Acme Ltd,-2.50,Invoice\n", &test);
    assert (ingest_spend_accepted (reader) == 4 && ingest_spend_rejected (reader) == 0);
    assert (ingest_spend_total (reader) == 10000 - 500 - 4000 - 250);
    assert (test.warnings == 0);
    ingest_spend_destroy (&reader);

    //  A card file's refunds written unsigned beside "Refund" are read as
    //  the credits they are, never as purchases
    s_test_reset (&test, NULL);
    reader = s_test_text (
        "Transaction Date,Merchant Name,Amount,Transaction Type\n"
        "2024-06-01,Acme Ltd,100.00,Purchase\n"
        "2024-06-02,Acme Ltd,25.00,Refund\n", &test);
    assert (ingest_spend_accepted (reader) == 2 && ingest_spend_total (reader) == 10000 - 2500);
    assert (test.warnings == 1 && strstr (test.warning_text, "value 'Refund': credits are "
                                                             "written as positive"));
    ingest_spend_destroy (&reader);
    s_test_clear (&test, NULL, true);
}

void
ingest_spend_test (bool verbose)
{
    if (verbose)
        printf (" * ingest_spend:\n");
    s_test_t test = { .rows = 0 };

    //  Redactions, in the forms the real files use, and a supplier whose
    //  name only looks like one
    assert (ingest_spend_redaction ("REDACTED PERSONAL DATA"));
    assert (ingest_spend_redaction ("Redacted personal data"));
    assert (ingest_spend_redaction ("REDACTED - Personal Information"));
    assert (ingest_spend_redaction ("Personal Information Redacted"));
    assert (ingest_spend_redaction ("Name withheld"));
    assert (ingest_spend_redaction ("REDACTED"));
    assert (ingest_spend_redaction ("DETAILS REDACTED"));
    assert (ingest_spend_redaction ("Reacted personal data"));
    assert (!ingest_spend_redaction ("REDACTIVE PUBLISHING LTD"));
    assert (!ingest_spend_redaction ("Orange Personal Communications"));
    //  A name masked with asterisks (Craven) is a redaction; a name with
    //  letters or digits beside them is a name, and no name is not one
    assert (ingest_spend_redaction ("*****************************"));
    assert (ingest_spend_redaction ("*** ***"));
    assert (!ingest_spend_redaction ("A*Star Cleaning Ltd"));
    assert (!ingest_spend_redaction ("***1"));
    assert (!ingest_spend_redaction (""));
    assert (!ingest_spend_redaction ("  "));
    assert (!ingest_spend_redaction ("Ruskin Private Hire"));

    //  Row checks and natural keys, on a file written for the purpose
    const char *file =
        "Transaction No.,Paid Date,Net Amount,Supplier Name,Company No,Post Code,Narrative\n"
        "T1,01/06/2024,\"\xC2\xA3" "1,234.56\",Acme Ltd,1234567,s602td,first of T1\n"      //  2
        "T2,2024-06-02,(10.00),Beta plc,SC123456,,refund\n"                                  //  3
        "T1,03-Jun-24,5,Acme Ltd,,,second of T1\n"                                           //  4
        "T1,00:00:00,5,Acme Ltd,,,a bare time: rejected but counted as T1's third\n"         //  5
        "T1,04/06/2024,5,Acme Ltd,,,so this is T1's fourth\n"                                //  6
        ",05/06/2024,7,Gamma,,,no transaction number: known by its content\n"               //  7
        "T3,06/06/2024,1.005,Delta,,,\n"                                                     //  8
        "T4,07/06/2024,1,Epsilon,,S60 TD2,\n"                                                //  9
        "T5,08/06/2024,1,Zeta,123,,\n"                                                       //  10
        "T6,09/06/2024,1,,,,\n"                                                              //  11
        "T7,10/06/2024,2,Name withheld,01234567,S60 2TD,kept as redacted\n"                  //  12
        "T8,31/06/2024,1,Eta,,,\n";                                                          //  13
    struct {
        size_t line;
        const char *summary;
    } expected_rows [] = {
        { 2, "2024-06-01 1234.56 T1/1 Acme Ltd | first of T1" },
        { 3, "2024-06-02 -10.00 T2/1 Beta plc | refund" },
        { 4, "2024-06-03 5.00 T1/2 Acme Ltd | second of T1" },
        { 6, "2024-06-04 5.00 T1/4 Acme Ltd | so this is T1's fourth" },
        { 7, "2024-06-05 7.00 /1 Gamma | no transaction number: known by its content" },
        { 12, "2024-06-10 2.00 T7/1 (redacted) | kept as redacted" },
    };
    const char *expected_errors [] = {
        "row 5, column 'Paid Date', value '00:00:00': time without a date",
        "row 8, column 'Net Amount', value '1.005': more than two decimal places",
        "row 9, column 'Post Code', value 'S60 TD2': not a UK postcode: the inward code must be a digit and two letters",
        "row 10, column 'Company No', value '123': not a Companies House number: too few digits"
        " (8, or a prefix and 6; at most two lost leading zeros are put back)",
        "row 11, column 'Supplier Name', value '': no supplier name",
        "row 13, column 'Paid Date', value '31/06/2024': no such day in that month",
    };
    {
        s_test_reset (&test, NULL);
        ingest_spend_t *reader = ingest_spend_new (s_test_row, s_test_error, &test);
        assert (reader);
        assert (ingest_spend_column (reader, INGEST_SPEND_AMOUNT) == NULL);
        assert (ingest_spend_feed (reader, file, strlen (file)) == 0);
        assert (ingest_spend_finish (reader) == 0);
        assert (ingest_spend_refusal (reader) == NULL);
        assert (ingest_spend_accepted (reader) == 6);
        assert (ingest_spend_rejected (reader) == 6);
        assert (ingest_spend_total (reader) == 123456 - 1000 + 500 + 500 + 700 + 200);
        assert (streq (ingest_spend_column (reader, INGEST_SPEND_AMOUNT), "Net Amount"));
        assert (ingest_spend_column (reader, INGEST_SPEND_LINE) == NULL);
        assert (test.redacted == 1);
        assert (streq (test.first_company, "01234567"));
        assert (streq (test.first_postcode, "S60 2TD"));
        ingest_spend_destroy (&reader);
        ingest_spend_destroy (&reader);
        assert (reader == NULL);
    }
    //  Row by row, in order: what each accepted row reads as, each error
    s_test_reset (&test, NULL);
    ingest_spend_t *reader = s_test_text (file, &test);
    assert (zlist_size (test.summaries) == 6);
    assert (zlist_size (test.error_list) == 6);
    const char *summary = (const char *) zlist_first (test.summaries);
    for (size_t index = 0; index < 6; index++) {
        char expected [300];
        snprintf (expected, sizeof expected, "%zu: %s",
                  expected_rows [index].line, expected_rows [index].summary);
        if (verbose)
            printf ("  %s\n", summary);
        assert (streq (summary, expected));
        summary = (const char *) zlist_next (test.summaries);
    }
    const char *error = (const char *) zlist_first (test.error_list);
    for (size_t index = 0; index < 6; index++) {
        if (verbose)
            printf ("  %s\n", error);
        assert (streq (error, expected_errors [index]));
        error = (const char *) zlist_next (test.error_list);
    }
    ingest_spend_destroy (&reader);

    //  A row handler that stops the file refuses it
    s_test_reset (&test, NULL);
    test.stop_after = 2;
    reader = s_test_text (file, &test);
    assert (ingest_spend_accepted (reader) == 2);
    assert (streq (ingest_spend_refusal (reader), "stopped by the row handler at line 3"));
    assert (ingest_spend_feed (reader, "x", 1) == -1);
    ingest_spend_destroy (&reader);

    //  The file's total never wraps: the row that would pass int64 is
    //  rejected (92,233,720,368,547,758.07 is INT64_MAX pence)
    s_test_reset (&test, NULL);
    reader = s_test_text ("Date,Amount,Supplier\n"
                          "01/01/2024,\"92,233,720,368,547,758.07\",Big\n"
                          "02/01/2024,0.01,Small\n", &test);
    assert (ingest_spend_accepted (reader) == 1);
    assert (ingest_spend_total (reader) == INT64_MAX);
    assert (streq (test.first_error, "row 3, column 'Amount', value '0.01': "
                   "amount takes the file's total past the largest amount"));
    ingest_spend_destroy (&reader);

    //  An explicit line column must hold whole numbers; an empty one is a
    //  row without a line, numbered among its transaction's such rows
    s_test_reset (&test, NULL);
    reader = s_test_text ("Date,Amount,Supplier,TransNo,Seq No\n"
                          "01/01/2024,1,A,9,3\n"
                          "01/01/2024,1,A,9,x\n"
                          "01/01/2024,1,A,9,\n"
                          "01/01/2024,1,A,,\n", &test);
    assert (ingest_spend_accepted (reader) == 3);
    assert (ingest_spend_rejected (reader) == 1);
    assert (streq (test.first_error, "row 3, column 'Seq No', value 'x': line number is not a whole number"));
    assert (strncmp (test.keys, "9/3 9/+1 /", 10) == 0);
    assert (streq (test.last_summary, "2024-01-01 1.00 /1 A | "));
    ingest_spend_destroy (&reader);

    //  Occurrences stay exact across many transaction numbers (the table
    //  grows several times): 3,000 rows cycling through 1,000 numbers, in
    //  the string table (19 digits) or in bitmaps with repeats in the table
    //  ("7", "T7")
    const char *forms [] = { "1%018d", "%d", "T%d" };
    for (size_t form = 0; form < 3; form++) {
        size_t many_size = 3000 * 40 + 64, many_used = 0;
        char *many = (char *) malloc (many_size);
        assert (many);
        many_used += (size_t) snprintf (many, many_size, "Date,Amount,Supplier,Transaction Number\n");
        for (int index = 0; index < 3000; index++) {
            char number [24];
            snprintf (number, sizeof number, forms [form], index % 1000);
            many_used += (size_t) snprintf (many + many_used, many_size - many_used,
                                            "01/01/2024,1,S,%s\n", number);
        }
        assert (many_used < many_size);
        s_test_reset (&test, NULL);
        reader = s_test_read (many, strlen (many), 4096, NULL, &test);
        assert (ingest_spend_accepted (reader) == 3000);
        assert (ingest_spend_total (reader) == 300000);
        //  "7", "77", "777": one bitmap per shape
        assert (reader->numbers.count == (form == 0? 0: 3));
        assert (reader->counter.used == 1000);
        int index = 0;
        for (const char *row = (const char *) zlist_first (test.summaries); row;
             row = (const char *) zlist_next (test.summaries), index++) {
            char number [24], expected [100];
            snprintf (number, sizeof number, forms [form], index % 1000);
            snprintf (expected, sizeof expected, "%d: 2024-01-01 1.00 %s/%d S | ",
                      index + 2, number, index / 1000 + 1);
            assert (streq (row, expected));
        }
        assert (index == 3000);
        ingest_spend_destroy (&reader);
        free (many);
    }

    //  Numbers of 1 to 18 digits are keyed by their text, not only their
    //  value: leading zeros make another number, as do the same low 32
    //  bits under another high part (5, 2^32 + 5, 2^33 + 5 in 10 digits)
    //  and the same digits in another shape ("1-07", "10-7"); 19 digits,
    //  no digit and 33 characters go to the string table. A rejected row
    //  still counts.
    s_test_reset (&test, NULL);
    reader = s_test_text ("Date,Amount,Supplier,Transaction Number\n"
                          "01/01/2024,1,A,7\n"
                          "01/01/2024,1,A,007\n"
                          "01/01/2024,1,A,0007\n"
                          "01/01/2024,1,A,7\n"
                          "01/01/2024,1,A,0000000005\n"
                          "01/01/2024,1,A,4294967301\n"
                          "01/01/2024,1,A,8589934597\n"
                          "31/06/2024,1,A,4294967301\n"
                          "01/01/2024,1,A,123456789012345678\n"
                          "01/01/2024,1,A,1234567890123456789\n"
                          "01/01/2024,1,A,4294967301\n"
                          "01/01/2024,1,A,007\n"
                          "01/01/2024,1,A,7\n"
                          "01/01/2024,1,A,123456789012345678\n"
                          "01/01/2024,1,A,1234567890123456789\n"
                          "01/01/2024,1,A,00A1\n"
                          "01/01/2024,1,A,+7\n"
                          "01/01/2024,1,A,0000000005\n"
                          "01/01/2024,1,A,999999999999999999\n"
                          "01/01/2024,1,A,0\n"
                          "01/01/2024,1,A,00\n"
                          "01/01/2024,1,A,1-07\n"
                          "01/01/2024,1,A,10-7\n"
                          "01/01/2024,1,A,107\n"
                          "01/01/2024,1,A,1-07\n"
                          "01/01/2024,1,A,N/A\n"
                          "01/01/2024,1,A,PURCHASE ORDER 2024-01 LINE 1 OF 3\n"
                          "01/01/2024,1,A,N/A\n", &test);
    assert (ingest_spend_rejected (reader) == 1);
    if (!streq (test.keys, "7/1 007/1 0007/1 7/2 0000000005/1 4294967301/1 8589934597/1 "
                           "123456789012345678/1 1234567890123456789/1 4294967301/3 007/2 7/3 "
                           "123456789012345678/2 1234567890123456789/2 00A1/1 +7/1 "
                           "0000000005/2 999999999999999999/1 0/1 00/1 "
                           "1-07/1 10-7/1 107/1 1-07/2 N/A/1 PURCHASE ORDER 2024-01 LINE 1 OF 3/1 "
                           "N/A/2 "))
        printf ("  keys: %s\n", test.keys);
    assert (streq (test.keys, "7/1 007/1 0007/1 7/2 0000000005/1 4294967301/1 8589934597/1 "
                              "123456789012345678/1 1234567890123456789/1 4294967301/3 007/2 7/3 "
                              "123456789012345678/2 1234567890123456789/2 00A1/1 +7/1 "
                              "0000000005/2 999999999999999999/1 0/1 00/1 "
                              "1-07/1 10-7/1 107/1 1-07/2 N/A/1 PURCHASE ORDER 2024-01 LINE 1 OF 3/1 "
                              "N/A/2 "));
    //  Bitmaps for 1, 2, 3 and 4 digits, 10 digits under high parts 0, 1
    //  and 2, 18 digits under two high parts, "##A#", "+#", "#-##" and
    //  "##-#"; the string table holds the six numbers seen again there and
    //  the three others
    assert (reader->numbers.count == 13 && reader->numbers.shape_count == 10);
    assert (reader->counter.used == 9);
    assert (!reader->numbers.full);
    ingest_spend_destroy (&reader);

    //  A digit number's repeats go to the caller's counter once the
    //  string table is full (2 texts here), and it is never given a
    //  first occurrence the bitmaps took
    s_test_counted_t counted;
    s_test_reset (&test, NULL);
    reader = s_test_limits ("Date,Amount,Supplier,Transaction Number\n"
                            "01/01/2024,1,A,X\n01/01/2024,1,A,42\n01/01/2024,1,A,Y\n"
                            "01/01/2024,1,A,42\n01/01/2024,1,A,X\n01/01/2024,1,A,42\n"
                            "01/01/2024,1,A,Z\n01/01/2024,1,A,43\n",
                            &counted, 2, (s_numbers_t) { .budget = 0 }, &test);
    assert (streq (test.keys, "X/1 42/1 Y/1 42/2 X/2 42/3 Z/1 43/1 "));
    assert (streq (counted.log, "42 42 Z "));
    ingest_spend_destroy (&reader);
    zhashx_destroy (&counted.counts);

    //  Past the bitmaps' budget (reached here at the second number), new
    //  digit numbers go to the string table, here straight to the
    //  caller's counter (in_memory 0), while those in the bitmaps still
    //  count on; and a number once refused is never taken later
    s_test_reset (&test, NULL);
    reader = s_test_limits ("Date,Amount,Supplier,Transaction Number\n"
                            "01/01/2024,1,A,10\n01/01/2024,1,A,20\n01/01/2024,1,A,30\n"
                            "01/01/2024,1,A,10\n01/01/2024,1,A,30\n01/01/2024,1,A,20\n"
                            "01/01/2024,1,A,10\n01/01/2024,1,A,30\n",
                            &counted, 0, (s_numbers_t) { .budget = 1, .measure_every = 2 }, &test);
    assert (streq (test.keys, "10/1 20/1 30/1 10/2 30/2 20/2 10/3 30/3 "));
    assert (streq (counted.log, "30 10 30 20 10 30 "));
    assert (reader->numbers.full);
    ingest_spend_destroy (&reader);
    zhashx_destroy (&counted.counts);

    //  The budget is measured on the bitmaps themselves: 300 numbers, each
    //  in a container of its own, pass 8 KB partway, or 100 containers at
    //  the 100th; every number still reads 1 then 2
    size_t sparse_size = 600 * 32 + 64, sparse_used = 0;
    char *sparse = (char *) malloc (sparse_size);
    assert (sparse);
    sparse_used += (size_t) snprintf (sparse, sparse_size, "Date,Amount,Supplier,Transaction Number\n");
    for (int index = 0; index < 600; index++)
        sparse_used += (size_t) snprintf (sparse + sparse_used, sparse_size - sparse_used,
                                          "01/01/2024,1,S,%d\n", 1000000000 + index % 300 * 65536);
    assert (sparse_used < sparse_size);
    s_numbers_t sparse_limits [] = {
        { .budget = 8192, .measure_every = 1 },
        { .containers_max = 100, .measure_every = 1 },
    };
    for (size_t limit = 0; limit < 2; limit++) {
        s_test_reset (&test, NULL);
        reader = s_test_limits (sparse, &counted, 0, sparse_limits [limit], &test);
        assert (reader->numbers.full);
        //  Each number the bitmaps refused is given to the counter twice,
        //  each one they took once (its repeat)
        size_t taken = 600 - counted.calls;
        if (verbose)
            printf ("  %s took %zu numbers of 300\n",
                    limit == 0? "8 KB of bitmaps": "100 containers", taken);
        if (limit == 0)
            assert (taken > 10 && taken < 290);
        else
            assert (taken == 100);
        int index = 0;
        for (const char *row = (const char *) zlist_first (test.summaries); row;
             row = (const char *) zlist_next (test.summaries), index++) {
            char expected [100];
            snprintf (expected, sizeof expected, "%d: 2024-01-01 1.00 %d/%d S | ",
                      index + 2, 1000000000 + index % 300 * 65536, index / 300 + 1);
            assert (streq (row, expected));
        }
        assert (index == 600);
        ingest_spend_destroy (&reader);
        zhashx_destroy (&counted.counts);
    }
    free (sparse);

    //  Past the number of bitmaps (2 here), a number needing a new one
    //  goes to the string table for good, while the bitmaps there go on
    //  taking numbers
    s_test_reset (&test, NULL);
    reader = s_test_limits ("Date,Amount,Supplier,Transaction Number\n"
                            "01/01/2024,1,A,5\n01/01/2024,1,A,0000000005\n"
                            "01/01/2024,1,A,4294967301\n01/01/2024,1,A,6\n"
                            "01/01/2024,1,A,4294967301\n01/01/2024,1,A,5\n"
                            "01/01/2024,1,A,0000000006\n01/01/2024,1,A,6\n",
                            &counted, 0, (s_numbers_t) { .bitmaps_max = 2 }, &test);
    assert (streq (test.keys, "5/1 0000000005/1 4294967301/1 6/1 4294967301/2 5/2 "
                              "0000000006/1 6/2 "));
    assert (streq (counted.log, "4294967301 4294967301 5 6 "));
    assert (reader->numbers.count == 2 && !reader->numbers.full);
    ingest_spend_destroy (&reader);
    zhashx_destroy (&counted.counts);

    //  Past S_NUMBERS_SHAPES shapes ("AA#" to "CL#"), a number of a new
    //  shape goes to the string table for good, while the shapes there go
    //  on taking numbers
    char shapes [S_NUMBERS_SHAPES * 20 + 200] = "Date,Amount,Supplier,Transaction Number\n";
    for (int index = 0; index <= S_NUMBERS_SHAPES; index++)
        sprintf (shapes + strlen (shapes), "01/01/2024,1,A,%c%c1\n",
                 'A' + index / 26, 'A' + index % 26);
    strcat (shapes, "01/01/2024,1,A,CM1\n01/01/2024,1,A,AA2\n01/01/2024,1,A,AA1\n");
    s_test_reset (&test, NULL);
    reader = s_test_limits (shapes, &counted, 0, (s_numbers_t) { .budget = 0 }, &test);
    assert (strstr (test.keys, " CL1/1 CM1/1 CM1/2 AA2/1 AA1/2 "));
    assert (streq (counted.log, "CM1 CM1 AA1 "));
    assert (reader->numbers.shape_count == S_NUMBERS_SHAPES);
    assert (reader->numbers.count == S_NUMBERS_SHAPES && !reader->numbers.full);
    ingest_spend_destroy (&reader);
    zhashx_destroy (&counted.counts);

    //  Files that are not spend files at all are refused whole
    s_test_reset (&test, NULL);
    const char garbage [] = "\x7F" "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00";
    reader = s_test_read (garbage, sizeof garbage - 1, 0, NULL, &test);
    assert (ingest_spend_refusal (reader));
    assert (strstr (ingest_spend_refusal (reader), "not a text file"));
    assert (ingest_spend_accepted (reader) == 0 && ingest_spend_rejected (reader) == 0);
    ingest_spend_destroy (&reader);
    reader = s_test_text ("Lorem ipsum dolor sit amet, consectetur adipiscing elit\n"
                          "sed do eiusmod tempor incididunt ut labore\n", &test);
    assert (streq (ingest_spend_refusal (reader),
                   "no header row in the first 30 lines: no cell names a field such as payment_date, "
                   "amount or supplier_name; line 1 has: Lorem ipsum dolor sit amet, consectetur "
                   "adipiscing elit"));
    ingest_spend_destroy (&reader);

    //  A per-partner override wins over the table; without it, Gateshead's
    //  file is refused for want of a payment date
    size_t size;
    char *gateshead = s_test_load ("gateshead_2010-12.csv", &size);
    s_test_reset (&test, NULL);
    reader = s_test_read (gateshead, size, 0, NULL, &test);
    assert (streq (ingest_spend_refusal (reader),
                   "no column for payment_date; line 1 has: Strategic Group, Spend Level 1, "
                   "Spend Level 2, TransNo, Seq no, Period, Supplier Text, Amount, Updated"));
    ingest_spend_destroy (&reader);
    reader = ingest_spend_new (s_test_row, NULL, &test);
    assert (ingest_spend_override (reader, "Updated=no_such_field") == -1);
    assert (ingest_spend_override (reader, "Updated=payment_date") == 0);
    assert (ingest_spend_override (reader, "Supplier Text=") == 0);
    assert (ingest_spend_feed (reader, gateshead, size) == -1);
    assert (streq (ingest_spend_refusal (reader),
                   "no column for supplier_name; line 1 has: Strategic Group, Spend Level 1, "
                   "Spend Level 2, TransNo, Seq no, Period, Supplier Text, Amount, Updated"));
    ingest_spend_destroy (&reader);
    free (gateshead);

    s_test_clear (&test, NULL, true);

    //  A byte order mark is dropped, not read into the first header cell:
    //  the BOM excerpt reads exactly as the first 20 rows of the plain one
    char *plain = s_test_load ("leeds_2010-12.csv", &size);
    const char *cut = plain;
    for (int line = 0; line < 21; line++)
        cut = strchr (cut, '\n') + 1;
    s_test_reset (&test, NULL);
    reader = s_test_read (plain, (size_t) (cut - plain), 0, NULL, &test);
    assert (ingest_spend_accepted (reader) == 20);
    char *plain_digest = strdup (zdigest_string (test.digest));
    ingest_spend_destroy (&reader);
    char *bom = s_test_load ("bom_leeds_2010-12.csv", &size);
    assert (memcmp (bom, "\xEF\xBB\xBF", 3) == 0);
    s_test_reset (&test, NULL);
    reader = s_test_read (bom, size, 1, NULL, &test);
    assert (streq (ingest_spend_column (reader, INGEST_SPEND_BODY_NAME), "Body name"));
    assert (streq (zdigest_string (test.digest), plain_digest));
    ingest_spend_destroy (&reader);
    s_test_clear (&test, NULL, true);
    free (plain_digest);
    free (plain);
    free (bom);

    s_test_identity (verbose);
    s_test_dates (verbose);
    s_test_limits_and_headers (verbose);

    //  Every real file, whole and in small chunks
    for (size_t index = 0; index < sizeof s_fixtures / sizeof s_fixtures [0]; index++)
        s_test_fixture (&s_fixtures [index], verbose);
    s_test_credits ();
    s_test_identifiers ();

    if (verbose)
        printf (" * ingest_spend: OK\n");
}
