# SPDX-License-Identifier: GPL-2.0
# Put a program through checkpoint/restart, in the VM (through
# scripts/cr/run -p PROGRAM -s samples/cr/roundtrip.sh -- [-b S] [-a S] [ARGS...]):
# run it with ARGS for S seconds (-b, default 2), checkpoint it with
# SIGCKPT, kill it, restore it from its image and let it run for S
# seconds (-a, default 3) or until it exits. Its output goes to
# before.out and after.out in the job directory, with the image.
before=2 after=3
while [ $# -gt 0 ]; do
	case $1 in
	-b) before=$2; shift 2 ;;
	-a) after=$2; shift 2 ;;
	*) break ;;
	esac
done
cd "$CR_JOB"
name=$(basename "$PROG")
image=$(printf '%.15s.ckpt' "$name")	# the pattern is %e.ckpt: comm is 15 chars
rm -f "$image"
"$PROG" "$@" > before.out 2>&1 &
pid=$!
sleep "$before"
if ! kill -0 "$pid" 2>/dev/null; then
	echo "roundtrip: $name exited before the checkpoint"; exit 1
fi
kill -63 "$pid"
for i in $(seq 100); do [ -f "$image" ] && break; sleep 0.1; done
kill -9 "$pid"; wait "$pid" 2>/dev/null
if [ ! -f "$image" ]; then
	echo "roundtrip: no image; the kernel said:"; dmesg | grep 'cr: ' | tail -n 3; exit 1
fi
echo "roundtrip: checkpointed $name (pid $pid) into $image, $(du -k "$image" | cut -f1) KiB on disk"
./"$image" > after.out 2>&1 &
rpid=$!
for i in $(seq $((after * 10))); do kill -0 "$rpid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$rpid" 2>/dev/null; then
	kill "$rpid"; wait "$rpid" 2>/dev/null
	echo "roundtrip: restored as pid $rpid, still running after $after s (stopped)"
else
	wait "$rpid"; rc=$?
	echo "roundtrip: restored as pid $rpid, exited with status $rc"
fi
dmesg | grep 'cr: ' | grep -v kunit | tail -n 3
echo "--- before.out (last lines)"; tail -n 3 before.out
echo "--- after.out (first lines)"; head -n 3 after.out
