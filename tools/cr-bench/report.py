#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the benchmark's CSV into results.md and the gnuplot data/plot.

report.py RESULTS.CSV ENV.TXT OUTDIR

Every number is the median of the repetitions, with the range (min-max)
beside it; ratios are of medians from the same VM boot.
"""
import csv
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict


def load(path):
    vals = defaultdict(list)    # (workload, tool, metric) -> [values]
    notes = defaultdict(list)   # (workload, tool) -> [text]
    order = []
    with open(path, newline='') as f:
        for row in csv.reader(f):
            if len(row) != 5:
                continue
            wl, tool, rep, metric, value = row
            if wl not in order:
                order.append(wl)
            if metric == 'note':
                notes[(wl, tool)].append('run %s: %s' % (rep, value))
            else:
                vals[(wl, tool, metric)].append(float(value))
    return vals, notes, order


def med(vals, wl, tool, metric):
    v = vals.get((wl, tool, metric))
    return statistics.median(v) if v else None


def cell(vals, wl, tool, metric, digits=0):
    v = vals.get((wl, tool, metric))
    if not v:
        return 'failed' if tool == 'criu' else 'n/a'
    m = statistics.median(v)
    fmt = '%.' + str(digits) + 'f'
    if len(v) == 1 or min(v) == max(v):
        return fmt % m
    return (fmt + ' (' + fmt + '-' + fmt + ')') % (m, min(v), max(v))


def ratio(a, b):
    if a is None or b is None or b == 0:
        return 'n/a'
    return '%.2f' % (a / b)


def describe(wl):
    parts = wl.split(':')
    if parts[0] == 'mem':
        kind = 'half zero pages' if len(parts) > 2 and parts[2] == 'halfzero' else 'random'
        return '%s MiB anonymous, %s' % (parts[1], kind)
    if parts[0] == 'threads':
        return '%s threads' % parts[1]
    if parts[0] == 'tree':
        return '%s processes, chain of pipes' % parts[1]
    if parts[0] == 'dyn':
        return 'dynamically linked program'
    return wl


def report(vals, notes, order, env):
    out = []
    w = out.append
    w('# Checkpoint/restart benchmark: ours, CRIU, core dump, the one-copy limit')
    w('')
    w('Run by `scripts/cr/bench` on %s (UTC). Under QEMU TCG (software '
      'emulation): absolute times are those of an emulated CPU; compare '
      'the ratios, measured in the same VM boot.' % time.strftime('%Y-%m-%d %H:%M', time.gmtime()))
    w('')
    for line in env:
        w('- ' + line)
    w('')
    w('Every number: median of the runs, range (min-max) in brackets. '
      'Times in ms, sizes in MiB of allocated blocks. Images on tmpfs.')
    w('')
    w('## Checkpoint')
    w('')
    w('Wall time from trigger to complete image; "frozen": the longest '
      'pause the application measured itself. "limit": one write() of as '
      'many bytes (the memory size, or our image size) of resident memory '
      'to a new file on the same filesystem, each byte copied once: the '
      'limit of a writer in user space. "kernel copy": the same bytes '
      'copied once from a file to a new one by copy_file_range(), '
      'kernel pages to kernel pages, as a checkpoint from its snapshot '
      'copies them.')
    w('')
    w('| workload | ours | criu dump | core dump | limit | kernel copy | ours/criu | ours/limit | frozen ours | frozen criu |')
    w('|---|---|---|---|---|---|---|---|---|---|')
    for wl in order:
        w('| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            describe(wl), cell(vals, wl, 'ours', 'ckpt_ms'),
            cell(vals, wl, 'criu', 'ckpt_ms'), cell(vals, wl, 'core', 'ckpt_ms'),
            cell(vals, wl, 'limit', 'ckpt_ms'), cell(vals, wl, 'kcopy', 'ckpt_ms'),
            ratio(med(vals, wl, 'ours', 'ckpt_ms'), med(vals, wl, 'criu', 'ckpt_ms')),
            ratio(med(vals, wl, 'ours', 'ckpt_ms'), med(vals, wl, 'limit', 'ckpt_ms')),
            cell(vals, wl, 'ours', 'frozen_ms', 1), cell(vals, wl, 'criu', 'frozen_ms', 1)))
    w('')
    w('## Restore')
    w('')
    w('From exec (of our image, or of `criu restore`) to the application '
      'running again, and until it has read every page of its memory '
      'once; both measured by the application. "verified": runs whose '
      'memory checksum (and threads, processes, pipes) were right. '
      '"limit": one read() of as many bytes from a file into fresh '
      'anonymous memory, each page faulted in and each byte copied once: '
      'what no eager restore can beat.')
    w('')
    w('| workload | ours | criu restore | limit | ours/criu | ours/limit | all touched, ours | all touched, criu | ours/criu | verified ours | verified criu |')
    w('|---|---|---|---|---|---|---|---|---|---|---|')
    for wl in order:
        vo = vals.get((wl, 'ours', 'verified'), [])
        vc = vals.get((wl, 'criu', 'verified'), [])
        w('| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d/%d | %d/%d |' % (
            describe(wl), cell(vals, wl, 'ours', 'restore_ms'),
            cell(vals, wl, 'criu', 'restore_ms'), cell(vals, wl, 'limit', 'restore_ms'),
            ratio(med(vals, wl, 'ours', 'restore_ms'), med(vals, wl, 'criu', 'restore_ms')),
            ratio(med(vals, wl, 'ours', 'restore_ms'), med(vals, wl, 'limit', 'restore_ms')),
            cell(vals, wl, 'ours', 'touched_ms'), cell(vals, wl, 'criu', 'touched_ms'),
            ratio(med(vals, wl, 'ours', 'touched_ms'), med(vals, wl, 'criu', 'touched_ms')),
            sum(vo), len(vo), sum(vc), len(vc)))
    w('')
    w('## Image size')
    w('')
    w('| workload | ours | criu | core dump | ours/criu |')
    w('|---|---|---|---|---|')
    for wl in order:
        w('| %s | %s | %s | %s | %s |' % (
            describe(wl), cell(vals, wl, 'ours', 'size_mib', 1),
            cell(vals, wl, 'criu', 'size_mib', 1), cell(vals, wl, 'core', 'size_mib', 1),
            ratio(med(vals, wl, 'ours', 'size_mib'), med(vals, wl, 'criu', 'size_mib'))))
    w('')
    if notes:
        w('## Failures')
        w('')
        for (wl, tool), texts in sorted(notes.items()):
            for t in texts:
                w('- %s, %s: %s' % (describe(wl), tool, t))
        w('')
    w('![time vs memory size](memory.png)')
    w('')
    return '\n'.join(out)


def plot(vals, order, outdir):
    mems = [wl for wl in order if wl.startswith('mem:') and wl.endswith(':random')]
    mems.sort(key=lambda wl: int(wl.split(':')[1]))
    data = os.path.join(outdir, 'memory.dat')
    with open(data, 'w') as f:
        f.write('# MiB ours_ckpt criu_dump core limit_write ours_restore criu_restore '
                'ours_touched criu_touched ours_frozen criu_frozen limit_read\n')
        for wl in mems:
            row = [wl.split(':')[1]]
            for tool, metric in (('ours', 'ckpt_ms'), ('criu', 'ckpt_ms'),
                                 ('core', 'ckpt_ms'), ('limit', 'ckpt_ms'),
                                 ('ours', 'restore_ms'), ('criu', 'restore_ms'),
                                 ('ours', 'touched_ms'), ('criu', 'touched_ms'),
                                 ('ours', 'frozen_ms'), ('criu', 'frozen_ms'),
                                 ('limit', 'restore_ms')):
                m = med(vals, wl, tool, metric)
                row.append('%.3f' % m if m is not None else 'NaN')
            f.write(' '.join(row) + '\n')
    gp = os.path.join(outdir, 'memory.gp')
    with open(gp, 'w') as f:
        f.write('''set terminal pngcairo size 1500,480 font ",10"
set output "memory.png"
set multiplot layout 1,3
set logscale xy
set xrange [10:2000]
set xlabel "anonymous memory (MiB, random bytes)"
set ylabel "ms (median)"
set key top left
set grid
set title "Checkpoint (QEMU TCG)"
plot "memory.dat" using 1:2 with linespoints title "ours (SIGCKPT)", \\
     "" using 1:3 with linespoints title "criu dump", \\
     "" using 1:4 with linespoints title "core dump", \\
     "" using 1:5 with linespoints title "limit: one write() of as many bytes"
set title "Restore (QEMU TCG)"
plot "memory.dat" using 1:6 with linespoints title "ours: running", \\
     "" using 1:7 with linespoints title "criu restore: running", \\
     "" using 1:8 with linespoints title "ours: all memory touched", \\
     "" using 1:9 with linespoints title "criu: all memory touched", \\
     "" using 1:12 with linespoints title "limit: one read() into fresh memory"
set title "Application frozen by the checkpoint (QEMU TCG)"
plot "memory.dat" using 1:10 with linespoints title "ours (snapshot)", \\
     "" using 1:11 with linespoints title "criu dump"
unset multiplot
''')
    subprocess.run(['gnuplot', 'memory.gp'], cwd=outdir, check=True)


def summary(vals, order):
    """The issue's targets, and where this run stands (RST)."""
    def m(wl, tool, metric):
        return med(vals, wl, tool, metric)

    def fmt(v, unit=''):
        return 'n/a' if v is None else ('%.2f%s' % (v, unit))

    def div(a, b):
        return None if a is None or b is None or b == 0 else a / b

    rows = []

    def row(target, value, ok):
        rows.append((target, value, 'n/a' if ok is None else ('yes' if ok else 'no')))

    for wl, size in (('mem:256:random', '256 MiB'), ('mem:1024:random', '1 GiB')):
        r = div(m(wl, 'ours', 'ckpt_ms'), m(wl, 'limit', 'ckpt_ms'))
        row('checkpoint of %s within 1.1x of the one-copy limit' % size, 'ours/limit ' + fmt(r),
            None if r is None else r <= 1.1)
        r = div(m(wl, 'ours', 'ckpt_ms'), m(wl, 'kcopy', 'ckpt_ms'))
        row('(checkpoint of %s beside one kernel copy)' % size, 'ours/kernel copy ' + fmt(r), None)
    for wl, size in (('mem:256:random', '256 MiB'), ('mem:1024:random', '1 GiB')):
        r = div(m(wl, 'ours', 'restore_ms'), m(wl, 'limit', 'restore_ms'))
        row('(eager restore of %s beside the one-copy limit)' % size, 'ours/limit ' + fmt(r), None)
    r = div(m('dyn', 'ours', 'ckpt_ms'), m('dyn', 'criu', 'ckpt_ms'))
    row('fixed cost (dyn: no data) at most 0.1x criu dump', 'ours/criu ' + fmt(r),
        None if r is None else r <= 0.1)
    r = div(m('mem:16:random', 'ours', 'ckpt_ms'), m('mem:16:random', 'criu', 'ckpt_ms'))
    row('(16 MiB: mostly the copy; the limit takes %s)' % fmt(m('mem:16:random', 'limit', 'ckpt_ms'), ' ms'),
        'ours/criu ' + fmt(r), None)
    f = m('mem:256:random', 'ours', 'frozen_ms')
    row('frozen at most 20 ms at 256 MiB', fmt(f, ' ms'), None if f is None else f <= 20)
    f16, f1g = m('mem:16:random', 'ours', 'frozen_ms'), m('mem:1024:random', 'ours', 'frozen_ms')
    row('frozen nearly flat: at most 3x from 16 MiB to 1 GiB',
        '%s ms at 16 MiB, %s ms at 1 GiB' % (fmt(f16), fmt(f1g)),
        None if f16 is None or f1g is None else f1g <= 3 * f16)
    r = div(m('mem:256:random', 'ours', 'restore_ms'), m('mem:256:random', 'criu', 'restore_ms'))
    row('restore of 256 MiB at least 10x faster than criu', 'ours/criu ' + fmt(r),
        None if r is None else r <= 0.1)
    r = div(m('mem:1024:random', 'ours', 'restore_ms'), m('mem:16:random', 'ours', 'restore_ms'))
    row('restore of 1 GiB within 1.5x of 16 MiB', '1 GiB/16 MiB ' + fmt(r), None if r is None else r <= 1.5)
    for wl, what, most in (('threads:32', '32 threads', 20), ('tree:50', '50 processes', 20),
                           ('threads:1000', '1000 threads', 100),
                           ('tree:1000', '1000 processes', 100)):
        f = m(wl, 'ours', 'frozen_ms')
        row('%s frozen at most %d ms' % (what, most), fmt(f, ' ms'),
            None if f is None else f <= most)
    # The cost of each thread or process: no more than linear in their number.
    for small, big, unit in (('threads:32', 'threads:1000', 'thread'),
                             ('tree:50', 'tree:1000', 'process')):
        a, b = m(small, 'ours', 'frozen_ms'), m(big, 'ours', 'frozen_ms')
        ns, nb = int(small.split(':')[1]), int(big.split(':')[1])
        pa = None if a is None else a / ns
        pb = None if b is None else b / nb
        row('frozen per %s at %d at most 1.5x that at %d' % (unit, nb, ns),
            '%s ms at %d, %s ms at %d' % (fmt(pa), ns, fmt(pb), nb),
            None if pa is None or pb is None else pb <= 1.5 * pa)
    worst, ok = None, True
    for wl in order:
        if not wl.endswith(':halfzero'):
            continue
        mib = int(wl.split(':')[1])
        o, c = m(wl, 'ours', 'size_mib'), m(wl, 'criu', 'size_mib')
        if o is None:
            continue
        frac = o / mib
        worst = frac if worst is None else max(worst, frac)
        ok = ok and frac <= 0.55 and (c is None or o <= c)
    row('half-zero memory: image at most 55% of memory, never above criu',
        'at most %s of memory' % fmt(worst), None if worst is None else ok)
    w0 = max(len(r[0]) for r in rows + [('target', '', '')])
    w1 = max(len(r[1]) for r in rows + [('', 'measured', '')])
    w2 = 4
    line = '=' * w0 + '  ' + '=' * w1 + '  ' + '=' * w2
    out = [line, 'target'.ljust(w0) + '  ' + 'measured'.ljust(w1) + '  ' + 'met', line]
    for t, v, k in rows:
        out.append(t.ljust(w0) + '  ' + v.ljust(w1) + '  ' + k)
    out.append(line)
    return '\n'.join(out) + '\n'


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: report.py RESULTS.CSV ENV.TXT OUTDIR')
    vals, notes, order = load(sys.argv[1])
    with open(sys.argv[2]) as f:
        env = [line.strip() for line in f if line.strip()]
    outdir = sys.argv[3]
    with open(os.path.join(outdir, 'results.md'), 'w') as f:
        f.write(report(vals, notes, order, env))
    with open(os.path.join(outdir, 'summary.rst'), 'w') as f:
        f.write('.. The targets of the benchmark, from the run of %s (%s).\n\n' %
                (time.strftime('%Y-%m-%d', time.gmtime()), env[0] if env else 'unknown kernel'))
        f.write(summary(vals, order))
    plot(vals, order, outdir)


if __name__ == '__main__':
    main()
