/*  fuzz_xlsx: ingest_xlsx on arbitrary bytes.

    The first byte says what the rest is: 0, a whole workbook as sent; 1,
    a worksheet's XML; 2, the shared strings' XML; 3, the styles' XML. The
    last three are put in a workbook of plain parts (stored, not deflated,
    so that the fuzzer reaches the XML), around the sheet, strings and
    styles below, so the handlers of every part meet arbitrary XML. Every
    row is checked for the contract its callback promises: numbers that
    increase, cells within A to XFD, a problem that names a cell. */

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include "ingest_xlsx.h"

static const char *s_package =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Target=\"xl/workbook.xml\" Type=\"http://schemas."
    "openxmlformats.org/officeDocument/2006/relationships/officeDocument\"/></Relationships>";
static const char *s_workbook =
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char *s_rels =
    "<Relationships><Relationship Id=\"rId1\" Type=\"t/worksheet\" Target=\"s.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"t/styles\" Target=\"y.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"t/sharedStrings\" Target=\"t.xml\"/></Relationships>";
static const char *s_sheet =
    "<worksheet><sheetData><row r=\"2\"><c r=\"B2\" t=\"s\"><v>1</v></c><c r=\"C2\" s=\"1\">"
    "<v>45383.5</v></c></row></sheetData></worksheet>";
static const char *s_strings = "<sst><si><t>a</t></si><si><r><t>b</t></r></si></sst>";
static const char *s_styles =
    "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"d/m/yy\"/></numFmts>"
    "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>";

//  A workbook of the parts above, part (1-3) replaced by data; its bytes
//  in *bytes_p (caller frees) and size in *size_p. 0 or -1.
static int
s_wrap (int part, const uint8_t *data, size_t size, uint8_t **bytes_p, size_t *size_p)
{
    zip_error_t error;
    zip_error_init (&error);
    zip_source_t *target = zip_source_buffer_create (NULL, 0, 0, &error);
    assert (target);
    zip_source_keep (target);
    zip_t *zip = zip_open_from_source (target, ZIP_TRUNCATE, &error);
    assert (zip);
    const char *names [] = { "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                             "xl/s.xml", "xl/t.xml", "xl/y.xml" };
    const char *texts [] = { s_package, s_workbook, s_rels, s_sheet, s_strings, s_styles };
    for (int index = 0; index < 6; index++) {
        bool fuzzed = index == 2 + part;
        zip_source_t *source = zip_source_buffer (zip, fuzzed? (const void *) data: texts [index],
                                                  fuzzed? size: strlen (texts [index]), 0);
        zip_int64_t entry = zip_file_add (zip, names [index], source, ZIP_FL_OVERWRITE);
        assert (entry >= 0);
        zip_set_file_compression (zip, (zip_uint64_t) entry, ZIP_CM_STORE, 0);
    }
    int rc = zip_close (zip);
    assert (rc == 0);
    zip_stat_t stat;
    zip_stat_init (&stat);
    rc = zip_source_open (target) == 0 && zip_source_stat (target, &stat) == 0? 0: -1;
    *size_p = rc == 0? (size_t) stat.size: 0;
    *bytes_p = (uint8_t *) malloc (*size_p + 1);
    if (rc == 0 && zip_source_read (target, *bytes_p, *size_p) != (zip_int64_t) *size_p)
        rc = -1;
    zip_source_close (target);
    zip_source_free (target);
    zip_error_fini (&error);
    return rc;
}

typedef struct {
    uint64_t last;
} s_seen_t;

static int
s_row (void *arg, uint64_t row, const char *const *cells, size_t count, const char *problem)
{
    s_seen_t *seen = (s_seen_t *) arg;
    assert (row > seen->last && row <= 1048576);
    seen->last = row;
    assert (count <= 16384);
    for (size_t column = 0; column < count; column++)
        if (cells [column])
            assert (strlen (cells [column]) < INGEST_XLSX_ROW_MAX);
    assert (!problem || strncmp (problem, "cell ", 5) == 0);
    return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int part = data [0] % 4;
    uint8_t *bytes = NULL;
    size_t length = size - 1;
    if (part > 0 && s_wrap (part, data + 1, size - 1, &bytes, &length)) {
        free (bytes);
        return 0;
    }
    ingest_xlsx_t *xlsx = ingest_xlsx_new ();
    assert (xlsx);
    s_seen_t seen = { 0 };
    if (ingest_xlsx_write (xlsx, part? bytes: data + 1, length) == 0
    &&  ingest_xlsx_read (xlsx, NULL, s_row, &seen))
        assert (*ingest_xlsx_reason (xlsx));
    ingest_xlsx_destroy (&xlsx);
    free (bytes);
    return 0;
}
