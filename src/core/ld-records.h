/* ld-records.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ld-time.h"

G_BEGIN_DECLS

/* Plain records as the store reads and writes them. A record the store
 * returns, and one the import or the sync builds from what it reads, owns
 * its strings: free it with the matching _free. A record filled in on the
 * stack only to be written may point at the caller's strings, and is then
 * never freed. A missing coordinate is NAN, a missing time LD_TIME_NONE, a
 * missing limit 0. */

typedef enum {
  LD_OVERDUE_SIGN     = 1 << 0,
  LD_OVERDUE_ARRIVE   = 1 << 1,
  LD_OVERDUE_FEEDBACK = 1 << 2,
  LD_OVERDUE_RESULT   = 1 << 3,
} LdOverdue;

typedef struct {
  int sign_s;
  int arrive_s;
  int feedback_s;
  int result_s;
} LdLimits;

typedef struct {
  char    *code;
  char    *name;
  char    *parent_code;
} LdRegion;

typedef struct {
  char    *code;
  char    *name;
  int      tier;
  char    *category;       /* "police" marks the police */
  char    *region_code;
  char    *phone;
  double   lat, lon;
  gboolean inactive;
  LdLimits limits;         /* the unit's own, e.g. town command rooms sign in 1 min */
} LdUnit;

typedef struct {
  char    *code;
  char    *name;
  char    *mode;           /* divert, immediate, joint */
  char    *platform;       /* for divert */
  char    *unit_categories;
  LdLimits limits;
} LdCategory;

typedef struct {
  char    *id;
  gint64   received_at;
  char    *source;         /* 110, 12345, 96345, grid, inspection, other */
  char    *kind;           /* police, linkage, diverted */
  char    *diverted_to;    /* 12345, 114, 96345, governance */
  char    *caller_phone;
  char    *address;
  double   lat, lon;
  char    *region_code;
  char    *category;
  char    *summary;
  char    *state;          /* new, dispatched, diverted, closed */
  gint64   closed_at;
  char    *repeat_of;      /* the caller's previous incident 8 min – 72 h earlier */
  guint    returns;        /* how many times its orders were returned, overruled ones too */
} LdIncident;

typedef struct {
  char    *id;
  char    *incident_id;
  char    *unit_code;
  char    *state;          /* dispatched, signed, arrived, completed, returned */
  gint64   dispatched_at;
  gint64   signed_at;
  gint64   arrived_at;
  gint64   completed_at;
  gint64   returned_at;
  char    *return_reason;
  gint64   sign_due;
  gint64   arrive_due;
  gint64   feedback_due;
  gint64   result_due;
  gint64   first_feedback_at;
  guint    feedback_count;
  guint    overdue;        /* LdOverdue flags */
  /* When the center logged a step a unit reported by phone, if it did so
   * LD_LOGGED_LATER_US or more after the step's own time (补录). */
  gint64   signed_logged_at;
  gint64   arrived_logged_at;
  gint64   completed_logged_at;
  gint64   returned_logged_at;
  gint64   first_feedback_logged_at;
  /* Whose duty the returning unit says the matter is: another unit, or
   * none of its own (not_ours) on the stated basis. */
  char    *duty_unit_code;
  gboolean not_ours;
  char    *basis;
  /* The center's ruling on the return (退单审定): "accepted", "overruled"
   * (the order went back to the unit, which may not return it again) or
   * NULL; returned_at stays, since the return happened. */
  char    *return_ruling;
  gint64   return_ruled_at;
  char    *return_ruled_by;
  char    *return_ruling_reason;
  gint64   result_feedback_at;   /* the first "result" feedback: completion needs one */
  /* The unit's request to move a deadline (申请延期), one at a time, and
   * the center's ruling. An approved one moves feedback_due or result_due
   * to extension_until and keeps the deadline it replaced. */
  char    *extension_step;       /* "feedback" or "complete" */
  gint64   extension_until;
  char    *extension_reason;
  gint64   extension_requested_at;
  char    *extension_ruling;     /* "approved", "refused" or NULL while pending */
  gint64   extension_ruled_at;
  char    *extension_ruling_reason;
  gint64   extension_original_due;
} LdOrder;

/* A step logged this long after its time was logged later (补录), and
 * shows both times; sooner is the time it takes to write it down, or two
 * clocks a little apart. */
#define LD_LOGGED_LATER_US (G_GINT64_CONSTANT (5) * 60 * LD_USEC_PER_S)

typedef struct {
  char    *id;
  gint64   held_at;
  char    *region_code;
  char    *location;
  char    *scenario;
  double   lat, lon;
} LdDrill;

typedef struct {
  char    *drill_id;
  char    *unit_code;
  gint64   alarm_at;
  gint64   arrived_at;
  int      limit_s;
  char    *note;
  gboolean corrected;      /* arrived_at was corrected with a reason: later logs leave it */
  char    *correction;     /* the reason of the last correction of arrived_at */
} LdDrillUnit;

/* A note an inspector attaches to a drill, or to one unit of it. */
typedef struct {
  char    *id;
  char    *drill_id;
  char    *unit_code;      /* NULL: about the whole drill */
  gint64   at;
  char    *author;
  char    *text;
} LdDrillNote;

/* A photo an inspector takes of a drill, or of one unit at it: the proof
 * of who was there. The desktop makes it a JPEG of a sensible size. */
typedef struct {
  char    *id;
  char    *drill_id;
  char    *unit_code;      /* NULL: of the whole drill */
  gint64   at;
  char    *author;
  char    *caption;
  char    *mime;           /* image/jpeg or image/png */
  GBytes  *data;
} LdDrillPhoto;

/* A photo larger than this is refused: every desk copies every photo. */
#define LD_DRILL_PHOTO_MAX_BYTES (2 * 1024 * 1024)

/* One turn of a unit's duty roster (值班表): who answers for the unit from
 * @from to @to. A removed turn is kept, flagged, so that every desk learns
 * it is gone and the audit trail still says who was on duty that night. */
typedef struct {
  char    *id;
  char    *unit_code;
  char    *name;
  char    *phone;
  gint64   from;
  gint64   to;
  gboolean removed;
} LdDuty;

/* A unit's report on an order (反馈): its kind ("arrival", "progress",
 * "result"), its words and its time. Owns its strings. */
typedef struct {
  char    *id;
  char    *order_id;
  gint64   at;
  char    *kind;
  char    *text;
} LdFeedback;

/* One unit's row of a roll call (点名报备): imported rows carry only
 * whether and how fast the unit answered; a live roll call's rows carry
 * their roll call, its limit and the server's time of the answer. */
typedef struct {
  char    *id;             /* the row's: "ROLL_CALL_ID/UNIT_CODE" for a live one */
  char    *roll_call_id;   /* NULL for an imported row */
  char    *unit_code;
  gint64   started_at;
  int      limit_s;
  gint64   answered_at;    /* LD_TIME_NONE while unanswered, and for imported rows */
  int      answer_s;       /* -1 while unanswered */
  gboolean answered;       /* within the limit */
} LdRollCall;

/* A unit's roll calls in a period, decided ones only: calls = answered +
 * unanswered, and a live call still within its limit is in neither. */
typedef struct {
  guint calls;
  guint answered;
  guint unanswered;
} LdRollCallCounts;

typedef struct {
  char    *name;
  char    *display_name;
  char    *role;           /* admin, dispatcher, inspector, leader, unit */
  char    *unit_code;      /* for role unit: the unit it speaks for */
  char    *password_hash;  /* libsodium's argon2id string; the store never sees a password */
  gint64   created_at;
} LdUser;

/* One entry of the audit trail. */
typedef struct {
  gint64   seq;
  gint64   at;
  char    *actor;
  char    *device;
  char    *remote;
  char    *entity;
  char    *entity_id;
  char    *action;
  char    *data;           /* JSON */
} LdEvent;

/* Who made a change, for the audit trail. */
typedef struct {
  const char *user;
  const char *device;
  const char *remote;      /* the client's network address, for the server's changes */
  /* For an operation synced in: the time its device claimed, and when it
   * reached the store that applies it (DESIGN.md, Whose clock). The
   * event's data keeps both, whichever the step took. */
  gint64      claimed_at;
  gint64      logged_at;
} LdActor;

void ld_region_free      (LdRegion    *region);
void ld_unit_free        (LdUnit      *unit);
void ld_category_free    (LdCategory  *category);
void ld_incident_free    (LdIncident  *incident);
LdIncident *ld_incident_copy (const LdIncident *incident);
void ld_order_free       (LdOrder     *order);
void ld_drill_free       (LdDrill     *drill);
void ld_drill_unit_free  (LdDrillUnit *drill_unit);
/* Frees the strings of a drill unit held by value, as in an array. */
void ld_drill_unit_clear (LdDrillUnit *drill_unit);
void ld_drill_note_free  (LdDrillNote *note);
void ld_drill_photo_free (LdDrillPhoto *photo);
void ld_duty_free        (LdDuty      *duty);
void ld_feedback_free    (LdFeedback  *feedback);
void ld_roll_call_free   (LdRollCall  *roll_call);
void ld_user_free        (LdUser      *user);
void ld_event_free       (LdEvent     *event);

gboolean ld_source_is_valid    (const char *source);
gboolean ld_kind_is_valid      (const char *kind);
gboolean ld_platform_is_valid  (const char *platform);
gboolean ld_feedback_kind_is_valid (const char *kind);
/* Whether @text is NULL or only white space, the ideographic space (U+3000)
 * included: a reason someone must give is more than that. */
gboolean ld_text_is_blank      (const char *text);
/* Whether @order's return holds: it was returned and not overruled. */
gboolean ld_order_return_stands (const LdOrder *order);
/* Whether @order in its state takes @action ("sign", "arrive", "feedback",
 * "complete", "return", "rule-return", "request-extension",
 * "rule-extension"), as the store's rules say: what a desk offers. Who may
 * is the caller's to check. */
gboolean ld_order_takes         (const LdOrder *order,
                                 const char    *action);
gboolean ld_mode_is_valid      (const char *mode);
gboolean ld_role_is_valid      (const char *role);

extern const char * const ld_platforms[];   /* NULL-terminated, in bulletin order */

/* Ids are UUIDs laid out as version 7: the first 48 bits are the record's
 * time in milliseconds, so records written together sit together in the
 * indexes. @random supplies the other 74 bits. */
void        ld_id_format           (char        out[37],
                                    gint64      at_usec,
                                    guint64     random_hi,
                                    guint64     random_lo);
char       *ld_id_new              (gint64      at_usec);

/* Names to show for identifiers; unknown ones come back as given. */
const char *ld_platform_label      (const char *platform);
const char *ld_unit_category_label (const char *category);
const char *ld_incident_state_label (const char *state);
const char *ld_feedback_kind_label  (const char *kind);
const char *ld_source_label        (const char *source);
const char *ld_order_state_label   (const char *state);
/* A late order's missed step ("sign", "arrive", "feedback", "result"), as
 * the late list says it: "Not signed". */
const char *ld_order_step_label    (const char *step);
/* The deadline an open order works to now, the due time of its first
 * step not done; LD_TIME_NONE for a completed or returned order. The
 * store's board statistics say the same in SQL. */
gint64      ld_order_current_due   (const LdOrder *order);
const char *ld_dispatch_mode_label (const char *mode);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdRegion, ld_region_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdUnit, ld_unit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdCategory, ld_category_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdIncident, ld_incident_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdOrder, ld_order_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdDrill, ld_drill_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdDrillUnit, ld_drill_unit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdDrillNote, ld_drill_note_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdDrillPhoto, ld_drill_photo_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdDuty, ld_duty_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdFeedback, ld_feedback_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdRollCall, ld_roll_call_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdUser, ld_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdEvent, ld_event_free)

G_END_DECLS
