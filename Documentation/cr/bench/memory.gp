set terminal pngcairo size 1500,480 font ",10"
set output "memory.png"
set multiplot layout 1,3
set logscale xy
set xrange [10:2000]
set xlabel "anonymous memory (MiB, random bytes)"
set ylabel "ms (median)"
set key top left
set grid
set title "Checkpoint (QEMU TCG)"
plot "memory.dat" using 1:2 with linespoints title "ours (SIGCKPT)", \
     "" using 1:3 with linespoints title "criu dump", \
     "" using 1:4 with linespoints title "core dump", \
     "" using 1:5 with linespoints title "limit: one write() of as many bytes"
set title "Restore (QEMU TCG)"
plot "memory.dat" using 1:6 with linespoints title "ours: running", \
     "" using 1:7 with linespoints title "criu restore: running", \
     "" using 1:8 with linespoints title "ours: all memory touched", \
     "" using 1:9 with linespoints title "criu: all memory touched", \
     "" using 1:12 with linespoints title "limit: one read() into fresh memory"
set title "Application frozen by the checkpoint (QEMU TCG)"
plot "memory.dat" using 1:10 with linespoints title "ours (snapshot)", \
     "" using 1:11 with linespoints title "criu dump"
unset multiplot
