/* Stage 7, export: a table for people, JSON for dashboards, CSV for spreadsheets. */
#ifndef STANCE_EXPORT_H
#define STANCE_EXPORT_H

#include <stdio.h>

#include "stance/aggregate.h"
#include "stance/doc.h"
#include "stance/models.h"

typedef enum { STANCE_FORMAT_TABLE, STANCE_FORMAT_JSON, STANCE_FORMAT_CSV } stance_format;

typedef struct stance_export_options {
	stance_format format;
	int sentences; /* JSON: add the sentences layer */
	int32_t actor; /* keep pairs whose target or speaker party is this actor; STANCE_NONE: all */
	int width;     /* table: terminal width in columns */
	int excel;     /* CSV: a BOM and CRLF line ends */
} stance_export_options;

/* Writes what comes before the first document (the CSV header row). */
void stance_export_begin(FILE *out, const stance_export_options *opts);

/* Writes one document: a JSON object on one line, CSV rows, or a table. */
int stance_export(FILE *out, const stance_doc *doc, const stance_models *models,
		  const stance_export_options *opts, stance_error *err);

/* Writes a CSV field per RFC 4180, neutralising a leading = + - @ or tab so that no
 * spreadsheet runs it as a formula. */
void stance_csv_field(FILE *out, const char *s);

/* Writes x into buf as printf's "%.4f" does, in a tenth of the time; returns its length. */
#define STANCE_FIXED4_MAX 320
size_t stance_format_fixed4(char *buf, double x);

#endif
