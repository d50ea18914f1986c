/* Error codes and the error record every fallible stance call fills. */
#ifndef STANCE_ERROR_H
#define STANCE_ERROR_H

#include <stddef.h>

/* The codes are the sysexits.h values, so the CLI can exit with them as they are. */
typedef enum {
	STANCE_OK = 0,
	STANCE_EUSAGE = 64,    /* the call's arguments are wrong */
	STANCE_EDATA = 65,     /* input data is malformed (bad UTF-8, empty, too large) */
	STANCE_ENOINPUT = 66,  /* an input is missing or unreadable */
	STANCE_EINTERNAL = 70, /* a bug or an allocation failure */
	STANCE_EIO = 74,       /* reading or writing failed */
	STANCE_EMODEL = 78     /* a model or resource file is missing or malformed */
} stance_code;

#define STANCE_ERROR_MAX 512

/* One line, naming the input (and line or byte offset) where it applies. */
typedef struct stance_error {
	int code;
	char message[STANCE_ERROR_MAX];
} stance_error;

/* Records code and a printf-style message in err (when err is not NULL); returns code. */
int stance_fail(stance_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Clears err to STANCE_OK with an empty message. */
void stance_error_clear(stance_error *err);

#endif
