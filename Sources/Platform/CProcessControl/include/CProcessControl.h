#ifndef HANGAR_CPROCESSCONTROL_H
#define HANGAR_CPROCESSCONTROL_H

/// Makes the calling process a child subreaper (Linux's PR_SET_CHILD_SUBREAPER): a descendant
/// whose parent exits is re-parented to it rather than to init, so a run's supervisor finds every
/// process the run started, even one that double-forked into a session of its own.
/// Returns 0, or -1 with errno set (on a kernel without the option).
int hangar_become_child_subreaper(void);

#endif
