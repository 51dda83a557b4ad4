/*  reporting_store_kpi: the SQL of reporting's store for the kpi report,
    kept beside reporting_store.c (whose tables and migrations these are)
    so that the store's main file stays one concern a section. Used by
    reporting_store only.

    The kpis table holds ingest's KPI events, the latest per (year,
    partner, contract, KPI). A year's KPI rows are those KPIs, and one
    social value KPI for each contract and measure with a commitment in
    the year: its target the committed quantity, its actual the delivered
    quantity counted (the contracts report's quantities: every line of
    the year, flagged or not, deliveries in the evidence states counted).
    A fed KPI that names a measure stands for that measure's social value
    KPI (which is then not made), and when it gives no actual takes the
    same delivered quantity of the measure as its actual.
*/
#ifndef REPORTING_STORE_KPI_H_INCLUDED
#define REPORTING_STORE_KPI_H_INCLUDED

#include <czmq.h>
#include <jansson.h>
#include "sv_db.h"
#include "sv_proto.h"

//  Keeps one KPI event, in the caller's transaction. 0 or -1.
int
    reporting_store_kpi_apply (sv_db_t *db, const sv_proto_kpi_t *kpi);

//  Appends to rows (a JSON array) the KPI rows of financial year fy (by
//  its start) of partner (NULL for all), deliveries counted when their
//  evidence state's bit is in mask (1 << 1 claimed, 1 << 2 evidenced,
//  1 << 3 validated), in partner, contract, then social value KPIs before
//  fed ones, then KPI id order, each an object with the keys
//  reporting_kpi_package reads, but partner_name, and ocid "" when the
//  KPI did not come from OCDS. 0, or -1 on a database error.
int
    reporting_store_kpi_rows (sv_db_t *db, int fy, const char *partner, int mask, json_t *rows);

//  Self-test: the kpis table and the rows through reporting_store.
void
    reporting_store_kpi_test (bool verbose);

#endif
