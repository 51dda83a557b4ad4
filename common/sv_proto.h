/*  =========================================================================
    sv_proto - the socval wire protocol codec

    ** DO NOT EDIT ** Generated from proto/socval.xml by proto/generate.py.
    Change the schema, run `python3 proto/generate.py`, and commit both.

    Every message is one msgpack map. The key "v" holds a protocol version
    and the key "id" the message name as a string ("FETCH"); every other
    key is a field named as below. A decoder ignores keys it does not know,
    so a newer peer may add fields; it refuses a message with a version
    outside the ones it reads, an unknown name, a missing required field or
    a field of the wrong type.

    Evolution. Services are upgraded one at a time, and events written by
    one release are read by the next from a stream or a backup, so every
    change keeps the released protocol readable both ways. The rules, which
    `proto/generate.py --check` enforces against the last released schema
    (the newest proto/released/socval-N.xml, a copy of this file as that
    release shipped it): a field added later is optional and says since="N"
    with N the version that added it, after the released version, so an
    older decoder ignores it and a newer one does without it when an older
    encoder leaves it out; no field is removed, renamed, retyped, made
    optional or made required; no message or struct is removed; version
    never goes down, and oldest never goes past the released version. A
    decoder reads "v" from oldest to version; an encoder writes oldest as
    "v", the oldest version whose decoders read what it sends, so peers of
    every version in that window read each other. A new message reaches
    only a peer that asks for it: a consumer names the event types it
    applies (FETCH.types), and a request an older service does not know is
    refused with ERROR. At a release, copy this file to
    proto/released/socval-N.xml with N its version.

    A consumer that still cannot read an event (a change made against these
    rules, or a producer's bug) never skips it: its stream stalls at that
    event, visibly, until a fixed release can read it (see FETCH).

    Money is integer pence and quantities are integer thousandths of a unit
    (the _pence and _milli fields); dates are ISO 8601 strings (2024-04-01)
    and financial years are written 2024-25.

    Ownership: a struct filled by sv_proto_decode owns every string, byte
    buffer and list in it (copies; nothing points into the frame), and
    sv_proto_reset releases them. One filled by sv_proto_decode_packed
    keeps its strings in one block of its own and borrows its bytes from
    the frame, for hot paths that read many messages and change none. A struct the caller fills for encoding
    only lends its pointers: encode reads them, and the struct must not be
    passed to sv_proto_reset. A struct must start zeroed (= { 0 }) before
    its first decode.
    =========================================================================
*/

#ifndef SV_PROTO_H_INCLUDED
#define SV_PROTO_H_INCLUDED

#include <czmq.h>
#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

//  The protocol version of this codec, and the oldest whose messages it
//  still reads: a decoder accepts "v" from SV_PROTO_OLDEST to
//  SV_PROTO_VERSION. An encoder writes SV_PROTO_OLDEST as "v", the oldest
//  version whose decoders read the message: fields added since are
//  optional and ignored by a decoder that does not know them, so peers of
//  every version in the window read each other (the rules are in the
//  schema's prose).
#define SV_PROTO_VERSION 2
#define SV_PROTO_OLDEST 1

//  The messages, numbered in schema order. On the wire a message is named
//  by its string ("FETCH"), never by this number.
typedef enum {
    SV_PROTO_SUBMIT = 1,
    SV_PROTO_RECEIPT,
    SV_PROTO_CREDIT,
    SV_PROTO_FETCH,
    SV_PROTO_EVENTS,
    SV_PROTO_ERROR,
    SV_PROTO_STATUS,
    SV_PROTO_STATUS_REPLY,
    SV_PROTO_REPORT_REQUEST,
    SV_PROTO_REPORT_READY,
    SV_PROTO_EXPLAIN_REQUEST,
    SV_PROTO_EXPLANATION,
    SV_PROTO_ALERT_ACK,
    SV_PROTO_FRAMEWORK_IMPORT,
    SV_PROTO_FRAMEWORK_LIST,
    SV_PROTO_FRAMEWORKS,
    SV_PROTO_SUPPLIER_LIST,
    SV_PROTO_SUPPLIERS,
    SV_PROTO_SUPPLIER,
    SV_PROTO_COMPANY,
    SV_PROTO_CONTRACT,
    SV_PROTO_SPEND,
    SV_PROTO_COMMITMENT,
    SV_PROTO_DELIVERY,
    SV_PROTO_VALUATION_LINE,
    SV_PROTO_LOCAL_SPEND_LINE,
    SV_PROTO_ALERT,
    SV_PROTO_KPI,
    SV_PROTO_PAYEE,
    SV_PROTO_PLACE,
} sv_proto_id_t;

//  Field types: string is char * (after a decode an owned copy, never NULL;
//  "" when an optional field was absent); bytes is a pointer and a _size
//  (NULL when empty); int is int64_t, uint uint64_t; a list is a pointer to
//  its elements and a _count, and so is strings (a list of char *). An
//  absent optional number or bool reads as 0 or false, an absent optional
//  list as empty. Money is in pence, quantities in thousandths.

//  ---------------------------------------------------------------------------
//  List elements

//  row_error (list element): One rejected row of a submitted feed, as a person
//  would need it to fix the row.
typedef struct {
    //  Row number in the submitted file, 1 being the first data row.
    uint64_t row;
    //  Name of the offending column, or "" when the whole row is at fault.
    char *column;
    //  What was wrong and what was expected, e.g. "amount 'abc' is not a sum
    //  of money".
    char *reason;
} sv_proto_row_error_t;

//  column_map (list element): What became of one column of a submitted CSV
//  file.
typedef struct {
    //  The column's header as written in the file.
    char *source;
    //  The canonical field it was read as (e.g. "payment_date"), or "" when
    //  the column was ignored.
    char *field;
} sv_proto_column_map_t;

//  event (list element): One event of a durable stream, as stored in the
//  producer's outbox.
typedef struct {
    //  Position of the event in its stream; strictly increasing, starting at
    //  1.
    uint64_t seq;
    //  Name of the message held in body, e.g. "SUPPLIER".
    char *type;
    //  Business key of the event (supplier key, contract id...) for consumers
    //  that keep the latest per key.
    char *key;
    //  The event itself: one encoded sv_proto message of the named type.
    uint8_t *body;
    size_t body_size;
} sv_proto_event_t;

//  stream_head (list element): The newest sequence number of one stream.
typedef struct {
    //  Stream name, e.g. "ingest".
    char *name;
    //  Sequence number of the newest event in the stream; 0 when it is empty.
    uint64_t head_seq;
} sv_proto_stream_head_t;

//  framework_info (list element): One framework held by valuation.
typedef struct {
    //  Framework id, e.g. "illustrative-rationalised".
    char *framework;
    //  Framework version.
    char *version;
    //  Number of measures.
    uint64_t measures;
    //  When it was imported, ISO 8601 UTC.
    char *imported_at;
} sv_proto_framework_info_t;

//  consumer_offset (list element): How far one consumer has applied one
//  stream.
typedef struct {
    //  Stream name.
    char *stream;
    //  Endpoint the stream is fetched from.
    char *endpoint;
    //  Sequence number of the last event the consumer committed.
    uint64_t offset;
    //  Sequence number of the newest event the consumer knows of.
    uint64_t head_seq;
    //  Events not yet applied: head_seq minus offset.
    uint64_t lag;
    //  (optional, since version 2) Why the consumer applies nothing more, e.g.
    //  "stalled at seq 42: SPEND.amount_pence: required field missing" or
    //  "stalled: the producer's head 80 is below our offset 120"; "" while it
    //  flows. STATUS_REPLY also lists it among problems.
    char *stalled;
} sv_proto_consumer_offset_t;

//  report_file (list element): One file of an assembled report: a single file
//  for html, json and xlsx, one per table for csv.
typedef struct {
    //  File name, e.g. "annual-all-2024-25.html" or "by_theme.csv".
    char *name;
    //  The file's bytes.
    uint8_t *payload;
    size_t payload_size;
} sv_proto_report_file_t;

//  problem (list element): Something a service could not use and runs without,
//  for an operator to fix, such as a data file it refused. Said once in the
//  log and on every STATUS until the service is restarted with it fixed.
typedef struct {
    //  What is affected, as the config key that names it, e.g.
    //  "valuation/postcode_lookup".
    char *subject;
    //  What is wrong, naming the file, the column and what was expected, and
    //  what the service does instead, e.g. "deploy/data/nspl.csv: no ward
    //  column (looked for ward_code, osward, ward, wd##cd, wdcd); localities
    //  come from postcode districts only".
    char *reason;
} sv_proto_problem_t;

//  supplier_ref (list element): A supplier some partner's feeds named, as
//  valuation holds it: what a register can be searched by.
typedef struct {
    //  Its normalised key ("CH:05857258", "ID:S-17", "NAME:ACME CLEANING").
    char *supplier_key;
    //  (optional) Its name as a feed gave it; "" when none did (the name of a
    //  NAME: key is the key's text).
    char *name;
    //  (optional) For a partner's own supplier id (an ID: key), that partner:
    //  the same id may be another supplier of another partner; "" for CH: and
    //  NAME: keys, which name one company whoever pays it.
    char *partner;
} sv_proto_supplier_ref_t;

//  row_count (list element): The number of rows in one table of a service's
//  store.
typedef struct {
    //  Table name.
    char *name;
    //  Number of rows.
    uint64_t rows;
} sv_proto_row_count_t;

//  ---------------------------------------------------------------------------
//  Messages

//  SUBMIT: partner to ingest: one chunk of a feed. A feed is sent as chunks
//  numbered from 0, the last one flagged, each sent only while the partner
//  holds credit. The partner is taken from the authenticated CURVE key, never
//  from the message, and (partner, batch_id) makes the submission idempotent:
//  a resent batch gets the same receipt and adds nothing.
typedef struct {
    //  The partner's own identifier for the whole feed, the same in every
    //  chunk.
    char *batch_id;
    //  What the feed holds (kpis since version 2: an ingest older than that
    //  refuses the batch naming the kinds it takes). One of: suppliers,
    //  contracts, spend, commitments, deliveries, companies, kpis.
    char *kind;
    //  How the payload is encoded; xlsx since version 2 (an Excel workbook,
    //  read as a CSV file of its kind). One of: csv, ocds, msgpack, xlsx.
    char *format;
    //  Position of this chunk in the feed, counting from 0.
    uint64_t chunk_no;
    //  True on the final chunk; the receipt follows it.
    bool last;
    //  The bytes of this chunk, cut anywhere; ingest joins the chunks in
    //  order.
    uint8_t *payload;
    size_t payload_size;
    //  (optional, since version 2) For format xlsx, the worksheet to read, by
    //  its name exactly as on its tab; "" for the first worksheet. Sent in
    //  every chunk; ingest reads it from the first. A sheet the workbook lacks
    //  refuses the batch, naming the sheets it has; a sheet named for another
    //  format refuses it too.
    char *sheet;
} sv_proto_submit_t;

//  RECEIPT: ingest to partner: the outcome of a batch, sent only after the
//  rows it counts are committed. A resent batch gets the same receipt again.
typedef struct {
    //  The batch this receipt is for.
    char *batch_id;
    //  How the batch went: accepted (every row taken), partial (some rows
    //  rejected), refused (nothing taken) or pending (chunks still awaited).
    char *state;
    //  Rows stored by this batch.
    uint64_t accepted;
    //  Rows refused, each listed in errors.
    uint64_t rejected;
    //  Rows already held from an earlier batch, neither stored again nor
    //  counted as accepted.
    uint64_t duplicates;
    //  One entry per rejected row, up to ingest/max_errors of them; when more
    //  were rejected, a warning says so.
    sv_proto_row_error_t *errors;
    size_t errors_count;
    //  (optional) Rows taken, and the file as a whole (row 0), with something
    //  a person should know: a date column read day-first because every date
    //  in it reads both ways, a payment listed twice in the file, a contract
    //  created as a stub, a negative quantity, a release superseded by a later
    //  one, a list of errors cut short. Up to ingest/max_errors of them.
    sv_proto_row_error_t *warnings;
    size_t warnings_count;
    //  (optional) How many warnings there were, listed or not.
    uint64_t warned;
    //  (optional) For a CSV file (or an xlsx sheet), each of its columns and
    //  the field it was read as, ignored columns included; empty for other
    //  formats.
    sv_proto_column_map_t *columns;
    size_t columns_count;
} sv_proto_receipt_t;

//  CREDIT: ingest to partner: permission to send more chunks of a batch.
//  Credit adds up; a partner with none left waits for the next CREDIT.
typedef struct {
    //  The batch the credit applies to.
    char *batch_id;
    //  How many more chunks may be sent.
    uint64_t credit;
} sv_proto_credit_t;

//  FETCH: consumer to producer: ask for the events of a stream after the last
//  one the consumer committed. The producer answers with EVENTS, holding the
//  request until something newer exists or a heartbeat interval ends.
//
//  A consumer that cannot read an event (its decoder refuses the body) stalls
//  the stream there: it applies nothing after it, keeps its offset before it,
//  says so once in its log and on STATUS, and asks again every timeout until
//  the event reads (a fixed producer, or an upgraded consumer). An EVENTS
//  whose head_seq is below the consumer's offset (a producer restored from an
//  older backup) stalls it the same way: the seqs it would reuse are not the
//  events already applied.
typedef struct {
    //  Name of the stream, e.g. "ingest".
    char *stream;
    //  The consumer's committed offset: send events with a greater seq.
    uint64_t after_seq;
    //  Most events the consumer will take in one batch.
    uint64_t max;
    //  (optional) The event types the consumer applies, comma-separated
    //  ("CONTRACT,SUPPLIER"); "" for all. The producer leaves the others out
    //  and says in EVENTS.scanned_seq how far it looked.
    char *types;
} sv_proto_fetch_t;

//  EVENTS: producer to consumer: the answer to FETCH, in seq order; empty when
//  the heartbeat interval passed with nothing new.
typedef struct {
    //  Name of the stream, as fetched.
    char *stream;
    //  Echo of the request's after_seq, so a late answer to an old request can
    //  be recognised.
    uint64_t after_seq;
    //  Newest seq in the stream when answering, so the consumer knows its lag.
    uint64_t head_seq;
    //  The events after after_seq, at most max of them.
    sv_proto_event_t *events;
    size_t events_count;
    //  (optional) The last seq the producer looked at for this answer (0 from
    //  a producer that does not say): a consumer whose FETCH named types
    //  stores it as its offset, since every event up to it that it wants is in
    //  events.
    uint64_t scanned_seq;
} sv_proto_events_t;

//  ERROR: any service to a requester: the request was refused.
typedef struct {
    //  Class of refusal, HTTP-like: 400 bad request, 403 not allowed, 404
    //  unknown, 409 conflict, 500 internal, 503 unavailable.
    uint64_t code;
    //  What was refused and why, for a person to read.
    char *reason;
} sv_proto_error_t;

//  STATUS: operator to any service: ask how it is doing. Answered by
//  STATUS_REPLY.
typedef struct {
    int unused;                 //  STATUS has no fields; C needs a member
} sv_proto_status_t;

//  STATUS_REPLY: any service to operator: its version, uptime, the heads of
//  the streams it produces, how far it has consumed its upstreams, table
//  sizes, and the problems it is running with.
typedef struct {
    //  Service name, e.g. "valuation".
    char *service;
    //  Software version of the service.
    char *version;
    //  Milliseconds since the service started.
    uint64_t uptime_ms;
    //  Streams this service produces.
    sv_proto_stream_head_t *streams;
    size_t streams_count;
    //  Streams this service consumes, with its offsets and lag.
    sv_proto_consumer_offset_t *consumers;
    size_t consumers_count;
    //  Row counts of the service's main tables.
    sv_proto_row_count_t *counts;
    size_t counts_count;
    //  (optional) What the service runs without because it could not use it;
    //  empty when all is well.
    sv_proto_problem_t *problems;
    size_t problems_count;
} sv_proto_status_reply_t;

//  REPORT_REQUEST: socval to reporting: assemble a report now. Answered by
//  REPORT_READY or ERROR (404 for a year with no data, the reason naming the
//  years that have some).
typedef struct {
    //  Which report; a reporting service older than contracts (or open-data,
    //  or kpi: version 2) answers it with ERROR. open-data is the annual
    //  report's open-data pack: its files (CSV tables, an SQLite file, data
    //  dictionary, methodology, offsets, licence) in REPORT_READY.files,
    //  whatever the format asked. One of: annual, partnership, rlw-scope,
    //  alerts, contracts, open-data, kpi.
    char *kind;
    //  (optional) Financial year, e.g. "2024-25"; "" for the latest year with
    //  spend, else the latest with any data (REPORT_READY names it).
    char *year;
    //  (optional) Partner to report on; "" for all partners.
    char *partner;
    //  (optional) Output format; "" for html. One of: html, csv, json, xlsx.
    char *format;
    //  (optional, since version 2) The contracts report only: one contract's
    //  rows, by its id; "" for every contract.
    char *contract;
    //  (optional, since version 2) The contracts report only: one supplier's
    //  rows, by its key or its name exactly; "" for every supplier.
    char *supplier;
    //  (optional, since version 2) open-data only: where in the pack (its
    //  files' bytes one after another, in the order REPORT_READY lists them)
    //  the reply starts; 0 for the first. A pack larger than one message comes
    //  in several replies: ask again from the bytes received until
    //  REPORT_READY.total_bytes.
    uint64_t from_byte;
    //  (optional, since version 2) Rebuild the report as it stood at these
    //  stream offsets (name ingest, valuation and compliance, each once,
    //  head_seq the offset, as a report's "offsets" states them), by reading
    //  the streams again to them; empty for now. Refused with ERROR 409 for an
    //  offset reporting has not yet applied, and 503 naming each offset that
    //  can no longer be reached.
    sv_proto_stream_head_t *at;
    size_t at_count;
} sv_proto_report_request_t;

//  REPORT_READY: reporting to socval and to its stream: a report has been
//  assembled.
typedef struct {
    //  Which report.
    char *kind;
    //  Financial year it covers, e.g. "2024-25".
    char *year;
    //  Partner it covers, or "all".
    char *partner;
    //  Format it was written in.
    char *format;
    //  Where the report file was written.
    char *path;
    //  The stream positions the report reflects, so it can be reproduced.
    sv_proto_stream_head_t *offsets;
    size_t offsets_count;
    //  When it was assembled, ISO 8601 UTC (2025-06-30T09:00:00Z).
    char *created;
    //  (optional) The report itself, in the reply to a REPORT_REQUEST; empty
    //  in the stream's events, which name the path only.
    sv_proto_report_file_t *files;
    size_t files_count;
    //  (optional, since version 2) open-data only: the size of the whole pack,
    //  its files together. The files of one reply are the part of the pack
    //  from REPORT_REQUEST.from_byte on that fits in one message: a file may
    //  be cut across replies (its parts, in order, make it), and every file,
    //  even an empty one, appears in some reply.
    uint64_t total_bytes;
} sv_proto_report_ready_t;

//  EXPLAIN_REQUEST: socval to reporting: how one figure of a report is made,
//  down to the lines that add up to it. Answered by EXPLANATION, or by ERROR:
//  404 for a figure path the report does not have (the reason naming the
//  nearest paths it has) or a year with no data, 400 for a malformed path. A
//  reporting service older than this message answers ERROR too.
typedef struct {
    //  The report the figure is of. One of: annual.
    char *kind;
    //  (optional) Financial year, as in REPORT_REQUEST; "" for the default
    //  year.
    char *year;
    //  (optional) Partner reported on; "" for all partners.
    char *partner;
    //  The figure's path in the report's JSON, list elements picked by their
    //  key: "spend.local_pence",
    //  "social_value.by_measure[NT10].delivered_pence",
    //  "spend.by_ward[E05000001].local_pence".
    char *figure;
    //  (optional) Lines to skip, in the explanation's order, to fetch a long
    //  one page by page; 0 from the first.
    uint64_t after;
    //  (optional) Most lines to list; 0 for the service's default (the largest
    //  contributors only).
    uint64_t max;
} sv_proto_explain_request_t;

//  EXPLANATION: reporting to socval: how the figure asked for is made.
typedef struct {
    //  The figure's path, as asked.
    char *figure;
    //  The explanation as one JSON object
    //  (services/reporting/EXPLAIN_JSON.md): the figure, its value, the lines
    //  listed with what each was read from and how it was valued or placed,
    //  their count, and the sum of all of them, equal to the value; or, for a
    //  figure that cannot be traced, "traceable": false and why.
    uint8_t *document;
    size_t document_size;
} sv_proto_explanation_t;

//  ALERT_ACK: socval to compliance: a person has seen an alert. Compliance
//  appends the acknowledged ALERT to its stream.
typedef struct {
    //  The alert being acknowledged.
    char *alert_id;
    //  (optional) Who acknowledged it; "" when not given.
    char *by;
} sv_proto_alert_ack_t;

//  FRAMEWORK_IMPORT: socval to valuation: load a TOMs framework (themes,
//  outcomes, measures with their units and proxy values per year).
typedef struct {
    //  Name and version of the framework, e.g. "National TOMs 2024".
    char *name;
    //  The framework file as read from disk.
    uint8_t *payload;
    size_t payload_size;
} sv_proto_framework_import_t;

//  FRAMEWORK_LIST: socval to valuation: which frameworks are held. Answered by
//  FRAMEWORKS.
typedef struct {
    int unused;                 //  FRAMEWORK_LIST has no fields; C needs a member
} sv_proto_framework_list_t;

//  FRAMEWORKS: valuation to socval: the answer to FRAMEWORK_IMPORT (what was
//  imported, or why nothing was) and to FRAMEWORK_LIST (every framework held).
typedef struct {
    //  True when the request was carried out; an import refused changes
    //  nothing.
    bool ok;
    //  (optional) Why an import was refused, in a sentence.
    char *reason;
    //  (optional) Each bad row of a refused file.
    sv_proto_row_error_t *errors;
    size_t errors_count;
    //  (optional) The frameworks held (after the import, for an import).
    sv_proto_framework_info_t *frameworks;
    size_t frameworks_count;
    //  (optional) Valuation lines sent again because the import changed them.
    uint64_t recomputed;
} sv_proto_frameworks_t;

//  SUPPLIER_LIST: socval to valuation: which suppliers are known, every
//  partner's, for `socval suppliers resolve` to look for in Companies House's
//  file. Answered by SUPPLIERS.
typedef struct {
    int unused;                 //  SUPPLIER_LIST has no fields; C needs a member
} sv_proto_supplier_list_t;

//  SUPPLIERS: valuation to socval: the answer to SUPPLIER_LIST.
typedef struct {
    //  Every supplier key held, once, from supplier records and payments
    //  alike.
    sv_proto_supplier_ref_t *suppliers;
    size_t suppliers_count;
} sv_proto_suppliers_t;

//  SUPPLIER: ingest stream: a supplier as last submitted by a partner.
typedef struct {
    //  Partner whose records these are.
    char *partner;
    //  Normalised key for the supplier, stable across partners (Companies
    //  House number when known).
    char *supplier_key;
    //  (optional) Supplier name as given; "" when redacted.
    char *name;
    //  (optional) Companies House registration number.
    char *companies_house;
    //  (optional) The partner's own supplier identifier.
    char *supplier_id;
    //  (optional) VAT registration number.
    char *vat;
    //  (optional) Postcode of the supplier's trading address.
    char *postcode;
    //  (optional) Small or medium-sized enterprise.
    bool sme;
    //  (optional) Voluntary, community or social enterprise.
    bool vcse;
    //  (optional) Accredited as a Real Living Wage employer.
    bool rlw_accredited;
    //  (optional) Employee-owned business.
    bool employee_owned;
    //  (optional) The partner withheld the supplier's identity (e.g. an
    //  individual).
    bool redacted;
    //  (optional) Date the Real Living Wage accreditation lapses, ISO 8601.
    char *rlw_expiry;
} sv_proto_supplier_t;

//  COMPANY: ingest stream: what Companies House's register says of a supplier
//  socval knows, as resolved by `socval suppliers resolve` from the free bulk
//  file (BasicCompanyData) and sent as a feed of kind "companies". The
//  register is about the company, not the partner: valuation gives the
//  registered office to every partner's supplier of that key whose own
//  supplier feed gives no postcode (a partner's postcode always wins). Keyed
//  by supplier_key.
typedef struct {
    //  Partner whose key sent the feed (the register is public: it applies to
    //  every partner's supplier of that key).
    char *partner;
    //  The supplier's key in socval, as SUPPLIER.supplier_key.
    char *supplier_key;
    //  Its Companies House number, 8 characters.
    char *company_number;
    //  How the register's row was found: by the supplier's number, or by its
    //  name matching one company only. One of: number, name.
    char *matched_by;
    //  (optional) The company's registered name.
    char *name;
    //  (optional) Registered office postcode, normalised; "" when the register
    //  has none or not a UK one.
    char *postcode;
    //  (optional) Company status as the register writes it ("Active",
    //  "Liquidation", ...).
    char *status;
    //  (optional) Dissolution date, ISO 8601; "" when not dissolved.
    char *dissolved;
    //  (optional) SIC 2007 codes, comma-separated ("56210,56290").
    char *sic_codes;
    //  (optional) The Real Living Wage category the SIC codes suggest; a
    //  suggestion beside a contract's own category, never in its place; ""
    //  when none. One of: cleaning, security, catering, care, facilities.
    char *rlw_category;
    //  (optional) The register file it was read from, e.g.
    //  "BasicCompanyData-2026-11-01-part3_7.csv".
    char *source;
} sv_proto_company_t;

//  CONTRACT: ingest stream: a contract as last submitted by a partner.
typedef struct {
    //  Partner that let the contract.
    char *partner;
    //  The partner's contract reference.
    char *contract_id;
    //  (optional) Contract title.
    char *title;
    //  (optional) Normalised key of the supplier, as in SUPPLIER.
    char *supplier_key;
    //  (optional) Procurement category.
    char *category;
    //  (optional) Total contract value in pence.
    int64_t value_pence;
    //  (optional) Contract start, ISO 8601.
    char *start_date;
    //  (optional) Contract end, ISO 8601.
    char *end_date;
    //  (optional) Whether Real Living Wage applies; derive (or "") lets
    //  compliance decide from the category. One of: yes, no, derive.
    char *rlw_in_scope;
    //  (optional) The contract commits the supplier to pay the Real Living
    //  Wage.
    bool rlw_commitment;
    //  (optional) Some of the contract's data were missing or unusable.
    bool incomplete;
    //  (optional) For a contract read from OCDS, its contracting process (the
    //  ocid); "" otherwise.
    char *ocid;
    //  (optional) For a contract read from OCDS, the date of the release it
    //  was read from, as published; "" otherwise. Once a release of a process
    //  is held, an older release of that process, sent later, is not applied.
    char *release_date;
} sv_proto_contract_t;

//  SPEND: ingest stream: one line of a partner's payment data.
typedef struct {
    //  Partner that made the payment.
    char *partner;
    //  The partner's transaction number.
    char *transaction_no;
    //  Line within the transaction, counting from 1.
    uint64_t line;
    //  Date paid, ISO 8601.
    char *payment_date;
    //  Amount paid in pence; negative for a credit note or refund.
    int64_t amount_pence;
    //  (optional) Normalised key of the supplier paid.
    char *supplier_key;
    //  (optional) Supplier name as given on the payment.
    char *supplier_name;
    //  (optional) Supplier postcode as given on the payment.
    char *postcode;
    //  (optional) Name of the paying body.
    char *body_name;
    //  (optional) Service or directorate that paid.
    char *expense_area;
    //  (optional) What the money was for.
    char *expense_type;
    //  (optional) The partner's code for the expense type.
    char *expense_code;
    //  (optional) Capital or revenue, as given.
    char *capital_revenue;
    //  (optional) Free text describing the payment.
    char *narrative;
    //  (optional) Supplier details were withheld by the partner.
    bool redacted;
} sv_proto_spend_t;

//  COMMITMENT: ingest stream: what a supplier committed to deliver against one
//  measure of the framework in one year of a contract.
typedef struct {
    //  Partner that let the contract.
    char *partner;
    //  The contract the commitment belongs to.
    char *contract_id;
    //  Framework measure reference, e.g. "NT10".
    char *measure;
    //  Financial year, e.g. "2024-25".
    char *year;
    //  Committed quantity in thousandths of the measure's unit.
    int64_t quantity_milli;
} sv_proto_commitment_t;

//  DELIVERY: ingest stream: a supplier's return of what it delivered against
//  one measure over a period.
typedef struct {
    //  Partner that let the contract.
    char *partner;
    //  The contract delivered under.
    char *contract_id;
    //  Framework measure reference.
    char *measure;
    //  First day of the period, ISO 8601.
    char *period_start;
    //  Last day of the period, ISO 8601.
    char *period_end;
    //  Delivered quantity in thousandths of the measure's unit.
    int64_t quantity_milli;
    //  How far the return has been checked. One of: claimed, evidenced,
    //  validated.
    char *evidence;
    //  (optional) Ward where the value was delivered.
    char *ward;
    //  (optional) Postcode where the value was delivered.
    char *postcode;
    //  (optional) Protected or priority group that benefited.
    char *beneficiary_group;
} sv_proto_delivery_t;

//  VALUATION_LINE: valuation stream: the social value of one commitment or
//  delivery, valued with the framework's proxy for its year and rounded once,
//  half to even.
typedef struct {
    //  Partner that let the contract.
    char *partner;
    //  The contract valued.
    char *contract_id;
    //  (optional) Supplier of the contract, when known.
    char *supplier_key;
    //  Framework measure reference.
    char *measure;
    //  (optional) Framework theme the measure belongs to.
    char *theme;
    //  Whether this values a commitment or a delivery. One of: committed,
    //  delivered.
    char *kind;
    //  Financial year valued.
    char *year;
    //  (optional) Ward of the delivery: its ONS code (E05015239) whenever the
    //  return's Ward cell or postcode gives it; else the Ward cell's name in
    //  its canonical spelling (sv_name); "" when neither is given.
    char *ward;
    //  (optional) Beneficiary group of the delivery, when given.
    char *beneficiary_group;
    //  Framework used.
    char *framework;
    //  Version of the framework used.
    char *framework_version;
    //  Quantity valued, in thousandths of the measure's unit.
    int64_t quantity_milli;
    //  Proxy value of one unit in pence.
    int64_t proxy_pence;
    //  Social value in pence: quantity times proxy, rounded half to even.
    int64_t value_pence;
    //  Seq of the ingest event valued.
    uint64_t source_seq;
    //  (optional) Evidence state of the delivery return valued; "" for a
    //  commitment. One of: claimed, evidenced, validated.
    char *evidence;
    //  (optional) Unit of the measure, e.g. "weeks"; "" when the measure is
    //  unknown.
    char *unit;
    //  (optional) The measure's description in its framework; "" when unknown.
    char *description;
    //  (optional) Why the line needs a person's attention (e.g. "no proxy for
    //  year"); "" when none.
    char *flag;
    //  (optional, since version 2) Name of the ward in ward, from the postcode
    //  directory, when ward is an ONS code the directory names; "" otherwise
    //  (ward is then a code the directory does not name, or a name matching no
    //  ward, in its canonical spelling).
    char *ward_name;
    //  (optional, since version 2) True when the measure is record only in its
    //  framework (a Social Value Model metric, say): the line counts in its
    //  unit and has no £ value (value_pence 0, no flag); reports show its
    //  quantity, never a made-up £.
    bool record_only;
    //  (optional, since version 2) The measure's outcome in its framework; ""
    //  when none or unknown.
    char *outcome;
    //  (optional, since version 2) Financial year whose proxy valued the line
    //  (2024-25): the contract's start year for a commitment, the period's
    //  year for a delivery, or the latest earlier year the framework prices;
    //  "" when no proxy was used (flagged, or record only).
    char *proxy_year;
} sv_proto_valuation_line_t;

//  LOCAL_SPEND_LINE: valuation stream, before version 2: one spend line placed
//  inside or outside the local area by the supplier's postcode. Since version
//  2 valuation publishes a PLACE per payee instead, and reporting joins it
//  with the payments it reads from ingest; a version 2 consumer ignores this
//  event.
typedef struct {
    //  Partner that made the payment.
    char *partner;
    //  Seq of the ingest SPEND event.
    uint64_t source_seq;
    //  (optional) Normalised key of the supplier paid.
    char *supplier_key;
    //  Date paid, ISO 8601.
    char *payment_date;
    //  Financial year of the payment.
    char *year;
    //  Amount in pence.
    int64_t amount_pence;
    //  Whether the supplier is in the local area. One of: local, non_local,
    //  unknown.
    char *locality;
    //  (optional) ONS code of the supplier's ward, when local.
    char *ward_code;
    //  (optional) Name of the supplier's ward, when local.
    char *ward_name;
    //  (optional) The supplier is an SME.
    bool sme;
    //  (optional) The supplier is a VCSE.
    bool vcse;
    //  (optional, since version 2) The supplier is employee-owned.
    bool employee_owned;
    //  (optional, since version 2) Where the postcode that placed the payment
    //  came from: the payment's own, the partner's supplier feed, or Companies
    //  House's registered office (COMPANY); "" when there was none (locality
    //  unknown). One of: payment, supplier, registered_office.
    char *place_source;
    //  (optional, since version 2) The postcode locality was decided on,
    //  normalised: the payment's own, else the supplier's; "" when neither
    //  gave one that reads as a UK postcode.
    char *postcode;
    //  (optional, since version 2) Why the payment has its locality, in
    //  English: which rule of the partner's local area placed the postcode
    //  (e.g. "in a local postcode district", "not in the postcode directory").
    char *locality_reason;
    //  (optional, since version 2) The postcode directory the postcode was
    //  looked up in: the name of the file valuation/postcode_lookup names,
    //  without its folder ("(not loaded)" appended when it could not be used);
    //  "" when none is configured.
    char *directory;
    //  (optional, since version 2) The partner withheld the supplier's
    //  identity on this payment (SPEND.redacted).
    bool redacted;
} sv_proto_local_spend_line_t;

//  ALERT: compliance stream: an alert raised, acknowledged or resolved; the
//  latest event per alert_id is its current state.
typedef struct {
    //  Stable identifier of the alert.
    char *alert_id;
    //  Rule that raised it, e.g. "rlw-missing-commitment".
    char *rule;
    //  How urgent it is, e.g. "warning".
    char *severity;
    //  Where the alert stands. One of: open, acknowledged, resolved.
    char *state;
    //  (optional) Partner concerned; "" for the whole network.
    char *partner;
    //  (optional) Supplier concerned, when any.
    char *supplier_key;
    //  (optional) Contract concerned, when any.
    char *contract_id;
    //  What is wrong, for a person to read.
    char *message;
    //  When the state was reached, ISO 8601 UTC.
    char *at;
    //  (optional, since version 2) Measure concerned (its framework code),
    //  when the alert is about one; "" otherwise.
    char *measure;
} sv_proto_alert_t;

//  KPI: ingest stream, since version 2: a key performance indicator agreed for
//  a contract (the Procurement Act 2023's KPIs), with its target for one
//  financial year, from a kpis CSV feed or from the agreedMetrics of an OCDS
//  contract. Keyed by partner, contract, KPI and year; a later event with that
//  key replaces the earlier. A consumer older than version 2 never asks for it
//  (FETCH.types), and one that takes every type skips a type it does not keep.
typedef struct {
    //  Partner that let the contract.
    char *partner;
    //  The contract the KPI is agreed for.
    char *contract_id;
    //  The KPI's identifier within the contract, as the partner writes it (an
    //  agreedMetrics id for OCDS).
    char *kpi_id;
    //  (optional) What the KPI measures, for a person to read; "" when not
    //  given.
    char *name;
    //  Financial year the target is for, e.g. "2024-25".
    char *year;
    //  Target in thousandths of the unit.
    int64_t target_milli;
    //  (optional) Unit of the target and the actual, e.g. "%" or "weeks"; ""
    //  when not given.
    char *unit;
    //  (optional) True when meeting the KPI means staying at or below the
    //  target (complaints, days late); false, the default, when at or above
    //  it.
    bool lower_is_better;
    //  (optional) True when the partner gave the actual figure delivered in
    //  the year (actual_milli); false when it is to come from the delivery
    //  returns of measure, or is not known yet.
    bool has_actual;
    //  (optional) Actual figure for the year in thousandths of the unit, when
    //  has_actual.
    int64_t actual_milli;
    //  (optional) The framework measure whose delivery returns give the
    //  actual, when the KPI is a social value one; "" otherwise.
    char *measure;
    //  (optional) For a KPI read from OCDS, the contracting process (ocid) of
    //  its contract; "" otherwise.
    char *ocid;
    //  (optional) For a KPI read from OCDS, the date of the release it was
    //  read from, as published; "" otherwise. As for CONTRACT, a KPI from a
    //  release older than the one its process is held from is not applied.
    char *release_date;
} sv_proto_kpi_t;

//  PAYEE: ingest stream, since version 2: a supplier and postcode that a
//  partner's payments name (SPEND.supplier_key and SPEND.postcode, the
//  postcode exactly as given), sent in the same batch as the first payment
//  that names them since ingest started, and again at most once a batch after
//  that. Valuation places each payee once (PLACE) instead of every payment; a
//  payee sent again changes nothing. Keyed by partner, supplier_key and
//  postcode.
typedef struct {
    //  Partner that made the payments.
    char *partner;
    //  (optional) Normalised key of the supplier paid, as SPEND.supplier_key;
    //  "" when the payment names none.
    char *supplier_key;
    //  (optional) Postcode as given on the payments, as SPEND.postcode; ""
    //  when they give none.
    char *postcode;
    //  (optional) Supplier name as given on the first such payment, for
    //  `socval suppliers resolve`.
    char *supplier_name;
} sv_proto_payee_t;

//  PLACE: valuation stream, since version 2: where a partner's payments to one
//  payee (PAYEE: supplier_key and the postcode given on the payment) fall, by
//  the partner's local area: sent when valuation first places the payee and
//  again whenever what places it changes (the postcode directory, the
//  partner's local area, the supplier's postcode or flags, its registered
//  office), never once a payment. Reporting joins each payment it reads from
//  ingest with its payee's latest PLACE; a payment whose payee has no PLACE
//  yet counts as unknown. Keyed by partner, supplier_key and postcode.
typedef struct {
    //  Partner that made the payments.
    char *partner;
    //  (optional) Normalised key of the supplier paid, as PAYEE.supplier_key.
    char *supplier_key;
    //  (optional) Postcode as given on the payments, as PAYEE.postcode.
    char *postcode;
    //  Whether the payee is in the partner's local area. One of: local,
    //  non_local, unknown.
    char *locality;
    //  (optional) ONS code of the payee's ward, when local.
    char *ward_code;
    //  (optional) Name of that ward, when local.
    char *ward_name;
    //  (optional) The supplier is an SME (the partner's supplier feed).
    bool sme;
    //  (optional) The supplier is a VCSE.
    bool vcse;
    //  (optional) The supplier is employee-owned.
    bool employee_owned;
    //  (optional) Where the postcode that placed the payee came from: the
    //  payments' own, the partner's supplier feed, or Companies House's
    //  registered office (COMPANY); "" when there was none (locality unknown).
    //  One of: payment, supplier, registered_office.
    char *place_source;
    //  (optional) The postcode locality was decided on, normalised; "" when
    //  none reads as a UK postcode.
    char *place_postcode;
    //  (optional) Why the payee has its locality, in English: which rule of
    //  the partner's local area placed the postcode (e.g. "in a local postcode
    //  district", "not in the postcode directory").
    char *locality_reason;
    //  (optional) The postcode directory the postcode was looked up in: the
    //  name of the file valuation/postcode_lookup names, without its folder
    //  ("(not loaded)" appended when it could not be used); "" when none is
    //  configured.
    char *directory;
} sv_proto_place_t;

//  ---------------------------------------------------------------------------
//  A message of any type

typedef struct {
    sv_proto_id_t id;           //  Which message; 0 when none
    char reason [160];          //  Why the last decode failed; "" otherwise
    char *arena;                //  A packed decode's strings; NULL otherwise
    union {
        sv_proto_submit_t submit;
        sv_proto_receipt_t receipt;
        sv_proto_credit_t credit;
        sv_proto_fetch_t fetch;
        sv_proto_events_t events;
        sv_proto_error_t error;
        sv_proto_status_t status;
        sv_proto_status_reply_t status_reply;
        sv_proto_report_request_t report_request;
        sv_proto_report_ready_t report_ready;
        sv_proto_explain_request_t explain_request;
        sv_proto_explanation_t explanation;
        sv_proto_alert_ack_t alert_ack;
        sv_proto_framework_import_t framework_import;
        sv_proto_framework_list_t framework_list;
        sv_proto_frameworks_t frameworks;
        sv_proto_supplier_list_t supplier_list;
        sv_proto_suppliers_t suppliers;
        sv_proto_supplier_t supplier;
        sv_proto_company_t company;
        sv_proto_contract_t contract;
        sv_proto_spend_t spend;
        sv_proto_commitment_t commitment;
        sv_proto_delivery_t delivery;
        sv_proto_valuation_line_t valuation_line;
        sv_proto_local_spend_line_t local_spend_line;
        sv_proto_alert_t alert;
        sv_proto_kpi_t kpi;
        sv_proto_payee_t payee;
        sv_proto_place_t place;
    };
} sv_proto_t;

//  Appends self to buffer as one msgpack map. Only reads self; NULL strings
//  are sent as "", NULL byte buffers and lists as empty. Returns 0, or -1
//  (an id that is not a message, or out of memory) leaving buffer as it was.
int
    sv_proto_encode (const sv_proto_t *self, msgpack_sbuffer *buffer);

//  Encodes self into a new frame, which the caller destroys. Returns NULL
//  where sv_proto_encode would fail.
zframe_t *
    sv_proto_encode_frame (const sv_proto_t *self);

//  Decodes one message from untrusted bytes into self, after resetting it.
//  The bytes are checked with sv_msgpack_check before anything is
//  allocated, so what a refusal costs is bounded by size, whatever the
//  message declares. Keys this version does not know are ignored. Returns
//  0, or -1 with self->reason set (version, unknown message, missing or
//  mistyped field, out-of-range integer, malformed msgpack...), self->id 0,
//  nothing allocated, and a warning logged with zsys_warning. Never asserts
//  on the bytes; data may be freed as soon as this returns.
int
    sv_proto_decode (sv_proto_t *self, const uint8_t *data, size_t size);

//  The same, with every string in one block of self's (one allocation
//  for the whole message, not one a string) and every bytes field pointing
//  into data, which must outlive self's use. The message must be read, not
//  changed: its strings are not each an allocation of their own.
int
    sv_proto_decode_packed (sv_proto_t *self, const uint8_t *data, size_t size);

//  Frees everything a decode allocated in self and zeroes it (id 0, reason
//  ""). Safe on a zeroed struct and twice; not for a struct filled by hand.
void
    sv_proto_reset (sv_proto_t *self);

//  Prints self for a person: one field per line, strings quoted with
//  control characters escaped, bytes as their length and a hex prefix.
void
    sv_proto_print (const sv_proto_t *self, FILE *out);

//  The message's name, as on the wire ("FETCH"), or "?" for anything else.
const char *
    sv_proto_name (sv_proto_id_t id);

//  Self test: a round trip of every message, lists included, and refusals.
void
    sv_proto_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
