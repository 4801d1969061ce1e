/*
 * CEditLine.h: the REPL's line editing through BSD libedit (Debian libedit-dev), never GNU
 * readline (GPL). Only the `steward` executable links it.
 *
 * libedit's el_set/el_get/history are variadic, which Swift cannot call: each use the REPL
 * needs gets a small fixed-argument wrapper here. The wide-character API (el_wgets, el_wline,
 * el_winsertstr) is used so that editing Chinese text moves the cursor by character; it needs
 * a UTF-8 LC_CTYPE (the REPL calls setlocale first).
 */
#ifndef CEDITLINE_H
#define CEDITLINE_H

#include <histedit.h>
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

typedef unsigned char (*ce_command_fn)(EditLine *, int);
typedef wchar_t *(*ce_prompt_fn)(EditLine *);

static inline EditLine *ce_init(const char *program) {
    return el_init(program, stdin, stdout, stderr);
}

/* The prompt function; `esc` brackets non-printing sequences (colour) in the prompt. */
static inline int ce_set_prompt(EditLine *el, ce_prompt_fn fn, wchar_t esc) {
    return el_wset(el, EL_PROMPT_ESC, fn, esc);
}

static inline int ce_set_editor(EditLine *el, const wchar_t *mode) {
    return el_wset(el, EL_EDITOR, mode);
}

/* Whether libedit installs its own handlers (SIGWINCH, SIGCONT, ...) while it edits. */
static inline int ce_set_signal(EditLine *el, int on) {
    return el_wset(el, EL_SIGNAL, on);
}

static inline int ce_set_clientdata(EditLine *el, void *data) {
    return el_wset(el, EL_CLIENTDATA, data);
}

static inline void *ce_clientdata(EditLine *el) {
    void *data = NULL;
    el_wget(el, EL_CLIENTDATA, &data);
    return data;
}

/* A named editor command implemented by the application. */
static inline int ce_add_function(EditLine *el, const wchar_t *name, const wchar_t *help, ce_command_fn fn) {
    return el_wset(el, EL_ADDFN, name, help, fn);
}

/* `bind KEY COMMAND`, e.g. ce_bind(el, L"^I", L"steward-complete"). */
static inline int ce_bind(EditLine *el, const wchar_t *key, const wchar_t *command) {
    return el_wset(el, EL_BIND, key, command, (const wchar_t *)NULL);
}

/* `setty ARG` (e.g. L"-d", L"-isig": no SIGINT from ^C while editing; it arrives as a key). */
static inline int ce_setty(EditLine *el, const wchar_t *mode, const wchar_t *flag) {
    return el_wset(el, EL_SETTY, mode, flag, (const wchar_t *)NULL);
}

static inline int ce_set_history(EditLine *el, HistoryW *h) {
    return el_wset(el, EL_HIST, history_w, h);
}

static inline int ce_source_editrc(EditLine *el) { return el_source(el, NULL); }

/* History: a size cap, adjacent duplicates skipped, entries added one at a time. */
static inline HistoryW *ce_history_init(int size) {
    HistoryW *h = history_winit();
    if (h == NULL) return NULL;
    HistEventW ev;
    history_w(h, &ev, H_SETSIZE, size);
    history_w(h, &ev, H_SETUNIQUE, 1);
    return h;
}

static inline int ce_history_enter(HistoryW *h, const wchar_t *line) {
    HistEventW ev;
    return history_w(h, &ev, H_ENTER, line);
}

static inline void ce_history_end(HistoryW *h) { history_wend(h); }

/* Moves the cursor to the end of the line being edited. */
static inline void ce_cursor_to_end(EditLine *el) {
    const LineInfoW *li = el_wline(el);
    el_cursor(el, (int)(li->lastchar - li->cursor));
}

/* What the editor holds: the whole line and the cursor's offset in characters. */
static inline int ce_line_length(EditLine *el) {
    const LineInfoW *li = el_wline(el);
    return (int)(li->lastchar - li->buffer);
}
static inline int ce_cursor_offset(EditLine *el) {
    const LineInfoW *li = el_wline(el);
    return (int)(li->cursor - li->buffer);
}
static inline const wchar_t *ce_line_buffer(EditLine *el) { return el_wline(el)->buffer; }

/* The editor's return codes for application commands. */
static inline unsigned char ce_cc_norm(void) { return CC_NORM; }
static inline unsigned char ce_cc_newline(void) { return CC_NEWLINE; }
static inline unsigned char ce_cc_eof(void) { return CC_EOF; }
static inline unsigned char ce_cc_refresh(void) { return CC_REFRESH; }
static inline unsigned char ce_cc_redisplay(void) { return CC_REDISPLAY; }
static inline unsigned char ce_cc_error(void) { return CC_ERROR; }

/* Whether LC_CTYPE's codeset is UTF-8 (libedit's wide API decodes input with it). */
static inline int ce_ctype_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

#endif
