/* ld-roll-call-prompt.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_ROLL_CALL_PROMPT (ld_roll_call_prompt_get_type ())

G_DECLARE_FINAL_TYPE (LdRollCallPrompt, ld_roll_call_prompt, LD, ROLL_CALL_PROMPT, GtkWidget)

/* A unit's answer to the center's roll call (点名报备): while a roll call
 * of the signed-in unit waits within its limit, a bar counts the time
 * left down and offers 应答; the answer takes the server's time. Hidden
 * otherwise. The engine is kept by a reference. */
void          ld_roll_call_prompt_set_engine (LdRollCallPrompt *self,
                                              LdSyncEngine     *engine);
/* (nullable) (transfer none) */
LdSyncEngine *ld_roll_call_prompt_get_engine (LdRollCallPrompt *self);
/* Reads the roll calls again; what the tick and "duty-changed" do. */
void          ld_roll_call_prompt_refresh    (LdRollCallPrompt *self);
/* (nullable) (transfer none): the bar's text while shown, for tests. */
const char   *ld_roll_call_prompt_get_text   (LdRollCallPrompt *self);
/* Answers the roll call shown, as the button does. */
void          ld_roll_call_prompt_answer     (LdRollCallPrompt *self);

G_END_DECLS
