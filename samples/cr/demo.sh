# SPDX-License-Identifier: GPL-2.0
# The demo, run in the VM by scripts/cr/demo (through scripts/cr/run, which
# sets $PROG to the sample program cr-counter): run it, checkpoint it with
# SIGCKPT, kill it, and restore it by executing its image. The image is
# left in the job directory for gdb on the host.
set -e
echo "== kernel: $(uname -sr), image format version $(cat /proc/sys/kernel/cr/image_version)"
cd /tmp
cp "$PROG" .
echo "== ./cr-counter 0 500: counts every 0.5 s and checks a 4 MiB checksum"
./cr-counter 0 500 &
pid=$!
sleep 2.2
echo "== kill -63 $pid    (SIGCKPT: checkpoint, then continue)"
kill -63 "$pid"
while [ ! -f cr-counter.ckpt ]; do sleep 0.1; done
ls -l cr-counter.ckpt
sleep 0.5
echo "== kill -9 $pid    (the original is gone)"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
echo "== ./cr-counter.ckpt    (exec of the image: it carries on from the checkpoint)"
./cr-counter.ckpt &
rpid=$!
sleep 2.2
kill "$rpid"
wait "$rpid" 2>/dev/null || true
cp cr-counter.ckpt "$CR_JOB/"
echo "== done: the restored process continued the count with the same memory checksum"
