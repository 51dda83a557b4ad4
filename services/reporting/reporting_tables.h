/*  =========================================================================
    reporting_tables - a report document written out as csv files or as
    an xlsx workbook; internal to reporting_render (reporting_render.h
    sets out both formats)
    =========================================================================
*/

#ifndef REPORTING_TABLES_H_INCLUDED
#define REPORTING_TABLES_H_INCLUDED

#include "reporting_doc.h"

//  Prefix of this class's temporary files, under $TMPDIR or /tmp
#define REPORTING_TABLES_TEMP_PREFIX "socval-render-"

//  Adds to files summary.csv, then a csv file for each of kind's tables,
//  from doc. 0, or -1 when memory runs out or a write fails.
int
    reporting_tables_csv (const json_t *doc, const reporting_doc_kind_t *kind, zlistx_t *files);

//  Adds to files the workbook BASE.xlsx of doc, by kind's figures and
//  tables; it passes through a temporary file ($TMPDIR, else /tmp),
//  removed before this returns. 0, or -1 when it could not be written.
int
    reporting_tables_xlsx (const json_t *doc, const reporting_doc_kind_t *kind,
                           const char *base, zlistx_t *files);

#endif
