/*  sv_name: names of places and groups. See sv_name.h for the rules. */

#include "sv_name.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

//  Words kept lower case in a canonical spelling, after the first word
static const char *const s_small_words [] = {
    "and", "of", "the", "on", "upon", "in", "with", NULL
};

//  The key being written: out, its size, how much is used, whether a
//  space is owed before the next word character, and whether it overran
typedef struct {
    char *out;
    size_t size;
    size_t used;
    bool space;
    bool full;
} s_writer_t;

static void
s_put (s_writer_t *self, char character)
{
    if (self->space && self->used > 0) {
        self->space = false;
        s_put (self, ' ');
    }
    self->space = false;
    if (self->used + 1 >= self->size)
        self->full = true;
    else
        self->out [self->used++] = character;
}

int
sv_name_key (const char *text, char *out, size_t size)
{
    assert (text);
    assert (out);
    s_writer_t writer = { out, size, 0, false, size == 0 };
    const unsigned char *scan = (const unsigned char *) text;
    while (*scan) {
        unsigned char byte = *scan;
        if (byte < 0x80) {
            if (isalnum (byte))
                s_put (&writer, (char) tolower (byte));
            else
            if (byte == '&') {
                writer.space = true;
                s_put (&writer, 'a');
                s_put (&writer, 'n');
                s_put (&writer, 'd');
                writer.space = true;
            }
            else
            if (byte != '\'')
                writer.space = true;
            scan++;
        }
        else
        if (byte == 0xE2 && (scan [1] == 0x80 || scan [1] == 0x81) && scan [2] >= 0x80) {
            //  U+2000-U+207F: a curly apostrophe (U+2018, U+2019) is
            //  dropped as a straight one is; the rest separate words
            if (!(scan [1] == 0x80 && (scan [2] == 0x98 || scan [2] == 0x99)))
                writer.space = true;
            scan += 3;
        }
        else {
            s_put (&writer, (char) byte);
            scan++;
        }
    }
    if (writer.full) {
        if (size > 0)
            out [0] = 0;
        return -1;
    }
    out [writer.used] = 0;
    return 0;
}

int
sv_name_canonical (const char *text, char *out, size_t size)
{
    if (sv_name_key (text, out, size))
        return -1;
    char *word = out;
    while (*word) {
        size_t length = strcspn (word, " ");
        bool small = false;
        for (const char *const *entry = s_small_words; *entry && word != out; entry++)
            small |= strlen (*entry) == length && memcmp (*entry, word, length) == 0;
        if (!small)
            *word = (char) toupper ((unsigned char) *word);
        word += length;
        word += strspn (word, " ");
    }
    return 0;
}

bool
sv_name_ward_code (const char *text, char *out, size_t size)
{
    assert (text);
    static const char *const prefixes [] = { "E05", "W05", "S13", "N08", NULL };
    text += strspn (text, " \t");
    size_t length = strlen (text);
    while (length > 0 && (text [length - 1] == ' ' || text [length - 1] == '\t'))
        length--;
    if (length != SV_NAME_WARD_CODE_BUF - 1)
        return false;
    bool known = false;
    for (const char *const *prefix = prefixes; *prefix; prefix++)
        known |= toupper ((unsigned char) text [0]) == (*prefix) [0]
              && text [1] == (*prefix) [1] && text [2] == (*prefix) [2];
    for (size_t index = 3; index < length && known; index++)
        known = isdigit ((unsigned char) text [index]) != 0;
    if (known && out) {
        assert (size >= SV_NAME_WARD_CODE_BUF);
        for (size_t index = 0; index < length; index++)
            out [index] = (char) toupper ((unsigned char) text [index]);
        out [length] = 0;
    }
    return known;
}

//  --------------------------------------------------------------------------
//  Self test

static void
s_expect (const char *text, const char *key, const char *canonical)
{
    char out [SV_NAME_BUF];
    assert (sv_name_key (text, out, sizeof out) == 0);
    if (strcmp (out, key) != 0) {
        fprintf (stderr, "sv_name_key ('%s') gave '%s', expected '%s'\n", text, out, key);
        assert (false);
    }
    assert (sv_name_canonical (text, out, sizeof out) == 0);
    if (strcmp (out, canonical) != 0) {
        fprintf (stderr, "sv_name_canonical ('%s') gave '%s', expected '%s'\n",
                 text, out, canonical);
        assert (false);
    }
}

void
sv_name_test (bool verbose)
{
    if (verbose)
        printf (" * sv_name: ");

    //  The four spellings of one group are one key and one spelling
    s_expect ("Care Leavers", "care leavers", "Care Leavers");
    s_expect ("CARE LEAVERS", "care leavers", "Care Leavers");
    s_expect ("care-leavers", "care leavers", "Care Leavers");
    s_expect ("care leavers ", "care leavers", "Care Leavers");
    //  "&" and "and" alike; small words stay small after the first
    s_expect ("Bowdon & Hale", "bowdon and hale", "Bowdon and Hale");
    s_expect ("bowdon&hale", "bowdon and hale", "Bowdon and Hale");
    s_expect ("STRETFORD AND HUMPHREY PARK", "stretford and humphrey park",
              "Stretford and Humphrey Park");
    s_expect ("the Heath", "the heath", "The Heath");
    //  Apostrophes dropped, straight or curly; other punctuation separates
    s_expect ("St Mary's", "st marys", "St Marys");
    s_expect ("St Mary\xE2\x80\x99s", "st marys", "St Marys");
    s_expect ("St. Mary's", "st marys", "St Marys");
    s_expect ("Hale\xE2\x80\x93" "Central", "hale central", "Hale Central");
    //  Other UTF-8 is a letter, kept
    s_expect ("Ynys M\xC3\xB4n", "ynys m\xC3\xB4n", "Ynys M\xC3\xB4n");
    s_expect (" -- ", "", "");
    s_expect ("", "", "");

    //  Too small a buffer is refused, never cut short
    char small [6];
    assert (sv_name_key ("care leavers", small, sizeof small) == -1);
    assert (small [0] == 0);

    //  Ward codes in any case; names and other ONS codes are not
    char code [SV_NAME_WARD_CODE_BUF];
    assert (sv_name_ward_code ("E05015239", code, sizeof code) && strcmp (code, "E05015239") == 0);
    assert (sv_name_ward_code (" e05015239 ", code, sizeof code) && strcmp (code, "E05015239") == 0);
    assert (sv_name_ward_code ("w05000001", NULL, 0));
    assert (sv_name_ward_code ("S13002516", NULL, 0));
    assert (sv_name_ward_code ("N08000101", NULL, 0));
    assert (!sv_name_ward_code ("E08000009", NULL, 0));      //  an authority
    assert (!sv_name_ward_code ("E0501523", NULL, 0));
    assert (!sv_name_ward_code ("E05015239X", NULL, 0));
    assert (!sv_name_ward_code ("Altrincham", NULL, 0));

    if (verbose)
        printf ("OK\n");
}
