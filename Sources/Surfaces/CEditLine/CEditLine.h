#ifndef HANGAR_CEDITLINE_H
#define HANGAR_CEDITLINE_H

// Debian's libedit (BSD licensed; libedit-dev), the line editor of the interactive `hangar sql`.
#include <histedit.h>

// el_set, el_get and history take variadic arguments, which Swift cannot pass: one wrapper with
// fixed arguments for each call the shell makes.

/// An editor on the process's own standard streams (Swift 6 cannot read C's `stdin` globals).
static inline EditLine *hangar_el_init(const char *program) {
    return el_init(program, stdin, stdout, stderr);
}

static inline int hangar_el_set_prompt(EditLine *el, char *(*prompt)(EditLine *)) {
    return el_set(el, EL_PROMPT, prompt);
}

static inline int hangar_el_set_editor(EditLine *el, const char *editor) {
    return el_set(el, EL_EDITOR, editor);
}

static inline int hangar_el_set_history(EditLine *el, History *history_list) {
    return el_set(el, EL_HIST, history, history_list);
}

static inline int hangar_el_set_read_character(EditLine *el, el_rfunc_t read_character) {
    return el_set(el, EL_GETCFN, read_character);
}

/// Puts the terminal in libedit's editing mode (nonzero) or back to how it was (zero).
static inline int hangar_el_prepare_terminal(EditLine *el, int editing) {
    return el_set(el, EL_PREP_TERM, editing);
}

static inline int hangar_el_set_client_data(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}

static inline void *hangar_el_client_data(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}

static inline int hangar_el_add_function(EditLine *el, const char *name, const char *help,
                                         unsigned char (*function)(EditLine *, int)) {
    return el_set(el, EL_ADDFN, name, help, function);
}

static inline int hangar_el_bind(EditLine *el, const char *keys, const char *function) {
    return el_set(el, EL_BIND, keys, function, NULL);
}

static inline int hangar_history_set_size(History *history_list, int size) {
    HistEvent event;
    return history(history_list, &event, H_SETSIZE, size);
}

/// Consecutive duplicates are kept once.
static inline int hangar_history_set_unique(History *history_list, int unique) {
    HistEvent event;
    return history(history_list, &event, H_SETUNIQUE, unique);
}

static inline int hangar_history_enter(History *history_list, const char *entry) {
    HistEvent event;
    return history(history_list, &event, H_ENTER, entry);
}

static inline int hangar_history_load(History *history_list, const char *file) {
    HistEvent event;
    return history(history_list, &event, H_LOAD, file);
}

static inline int hangar_history_save(History *history_list, const char *file) {
    HistEvent event;
    return history(history_list, &event, H_SAVE, file);
}

#endif
