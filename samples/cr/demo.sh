# SPDX-License-Identifier: GPL-2.0
# The demo, run in the VM by scripts/cr/demo (through scripts/cr/run, which
# sets $PROG to the sample program): show the kernel and its
# checkpoint/restart support, then the sample running.
set -e
echo "== kernel: $(uname -sr), image format version $(cat /proc/sys/kernel/cr/image_version)"
dmesg | grep -m1 'binfmt_cr registered'
zcat /proc/config.gz | grep -E '^CONFIG_(CHECKPOINT_RESTART|BINFMT_CR)='
echo "== $PROG running"
"$PROG" 4 500 &
pid=$!
sleep 1
echo "pid $pid: $(grep -E '^State' /proc/$pid/status)"
wait "$pid"
echo "== $(basename "$PROG") finished; checkpoint (kill -SIGCKPT) and restore (./cr-counter.ckpt) are next"
