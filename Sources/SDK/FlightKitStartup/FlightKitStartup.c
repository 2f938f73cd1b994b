#include <stdio.h>

// A flight's standard output is a pipe to its supervisor, which the C library (and so Swift's
// `print`) buffers in blocks: lines would reach the run's log only when the block fills or the
// program exits, `logs --follow` would show nothing meanwhile, and a flight that crashes would
// lose them. Loading libFlightKit.so makes standard output line-buffered, as on a terminal,
// before the flight's first statement runs. (Python flights get PYTHONUNBUFFERED for the same
// reason.)
__attribute__((constructor)) static void flightkit_line_buffered_stdout(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
}
