# SPDX-License-Identifier: GPL-2.0
# The benchmark's job in the VM (run by scripts/cr/bench through
# scripts/cr/run): "$@" is REPS WORKLOAD...; cr-bench, cr-bench-dyn and
# criu are in $CR_JOB. Everything is measured on one tmpfs, /bench.
reps=$1
shift
mkdir -p /bench
mount -t tmpfs -o size=90% bench /bench
# criu probes TCP repair on the loopback at start-up.
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
cp "$CR_JOB/cr-bench" "$CR_JOB/cr-bench-dyn" /bench/
cp "$CR_JOB/criu" /usr/sbin/criu
echo /bench/ours.ckpt > /proc/sys/kernel/cr/pattern
echo 1 > /proc/sys/kernel/cr/new_tids
echo /bench/core > /proc/sys/kernel/core_pattern
{
	echo "kernel: $(uname -r) $(uname -v)"
	echo "cpus: $(grep -c ^processor /proc/cpuinfo), memory: $(grep MemTotal /proc/meminfo | tr -s ' ' | cut -d' ' -f2-)"
	echo "criu: $(criu --version | head -n 1)"
	echo "criu check: $(criu check 2>&1 | tail -n 1)"
} > "$CR_JOB/env.txt"
cat "$CR_JOB/env.txt"
cd /bench
./cr-bench run /bench "$reps" "$@" > "$CR_JOB/results.csv"
rc=$?
cp /bench/app.log "$CR_JOB/app.log" 2>/dev/null
exit $rc
