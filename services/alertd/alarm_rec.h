/* alarm_rec.h — one alarm transition as alertd journals it, stores it in
 * PostgreSQL (alarms + alarm_events) and restores it at start: the alarm's
 * identity, the transition, who did it, and the whole lifecycle state after
 * it. Fixed size and pointer-free, so it is written to the journal as bytes
 * and read back by the same build (version and size are checked). */
#ifndef FM_ALERTD_ALARM_REC_H
#define FM_ALERTD_ALARM_REC_H

#include "alertd/alarm.h"
#include "registry.h"
#include "rules_conf.h"

#define ALARM_REC_VERSION 1
#define ALARM_ID_SIZE 48 /* "<raised_at ms, hex>-<8 hex of device and rule>" and room */
#define ALARM_NOTE_SIZE 257

/* The journal's record type for a struct alarm_rec (spool record types are
 * 1..255). */
#define ALARM_REC_SPOOL_TYPE 1

struct alarm_rec {
	unsigned version; /* ALARM_REC_VERSION */
	char alarm_id[ALARM_ID_SIZE];
	char site[REG_ID_SIZE];
	char device[REG_ID_SIZE];
	char rule[RCF_NAME_SIZE];
	int severity;                 /* 1..4 */
	enum alarm_transition t;      /* what happened (alarm_transition_name) */
	long long ts_ms;              /* when it happened */
	char actor[ALARM_ACTOR_SIZE]; /* the person (acked, shelved, unshelved), else "alertd" */
	char note[ALARM_NOTE_SIZE];   /* the person's note, or "" */
	struct alarm a;               /* the lifecycle state after the transition */
	int expected;                 /* a work order in progress on the device explains it */
	char suppressed_by[ALARM_ID_SIZE]; /* the upstream cause's alarm_id, or "" */
	char wo_id[REG_ID_SIZE];           /* the work order opened for it, or "" */
	char message[RCF_MESSAGE_SIZE];    /* the rendered message */
};

#endif
