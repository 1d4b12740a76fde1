#!/usr/bin/env bash
# quiet_alloc.sh CMD...: runs CMD and passes its stdout and stderr on, minus
# the one line AddressSanitizer prints when, with allocator_may_return_null=1,
# it refuses a huge allocation ("WARNING: AddressSanitizer failed to allocate
# 0x... bytes"): that refusal is the out-of-memory error under test, and the
# warning would otherwise come before rnnlab's own first line. Every other
# line, ASan's error reports included, is kept; the exit status is CMD's.
err=$(mktemp "${TMPDIR:-/tmp}/quiet_alloc.XXXXXX") || exit 2
"$@" 2> "$err"
status=$?
grep -v '^==[0-9]*==WARNING: AddressSanitizer failed to allocate 0x[0-9a-f]* bytes$' "$err" >&2
rm -f "$err"
exit $status
