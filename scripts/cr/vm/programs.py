#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Real programs under checkpoint/restart, in the test VM.

Run by scripts/cr/programs (python3 -u programs.py, as root, in the VM
with busybox). Each program is driven by a client of its own before the
checkpoint and after the restore, and the client checks that nothing was
lost:

  redis     redis-server: 2000 keys over TCP, a connection kept open
            across two exit-mode checkpoints in a row (a command sent in
            the gap is answered after the restore); continue and stop
            modes; a listening unix socket
  nginx     a master and 2 workers: a keep-alive HTTP/1.1 connection kept
            across an exit-mode checkpoint of the tree, new ones after
  asyncio   a python3 asyncio echo server with loop.call_later() timers:
            lines sent before, in the gap and after come back once, in
            order
  timerfd   cr-timerfd-loop: a thread in epoll_wait() on a 10 ms timerfd
            misses no expiration and doubles none
  crun      a busybox container started by crun with its default
            configuration: SIGCKPT to its init, crcore restore; its count
            goes on, with its host name, devices, masked files and mounts

Prints "ok N - name" or "not ok N - name # why" per check, and "# "
comments (on a failure, the kernel's last "cr: " lines). Exit status 1
if any check failed.

  python3 programs.py [TEST...]     (default: all, in the order above)
"""
import glob
import json
import hashlib
import http.client
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time

CR = '/proc/sys/kernel/cr/'
CKPT = '/tmp/ckpt'
LOGS = os.path.join(os.environ.get('CR_JOB', '/tmp'), 'logs')
SIGCKPT = 63
MODE_CONTINUE, MODE_STOP, MODE_EXIT = 0, 1, 2

n_checks = 0
n_failed = 0
n_test = 0  # the test running, from 1, for the names of its logs


class Timeout(Exception):
    pass


class Fail(Exception):
    """A step failed: the check it belongs to fails, the test stops."""


def comment(text):
    for line in str(text).splitlines():
        print('# ' + line)


def kernel_lines(since):
    """The kernel's 'cr: ' lines logged after time stamp @since."""
    try:
        out = subprocess.run(['dmesg'], capture_output=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    lines = []
    for line in out.decode(errors='replace').splitlines():
        m = re.match(r'\[ *(\d+\.\d+)\] (.*)', line)
        if m and float(m.group(1)) >= since and 'cr: ' in m.group(2):
            lines.append(m.group(2))
    return lines


def kernel_now():
    """The kernel log's time stamp now (CLOCK_MONOTONIC, as printk's)."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


class Test:
    """One program's checks, reported in any order; a check not reached
    (the test stopped at a failed step or a timeout) fails at the end."""

    def __init__(self, name, checks):
        self.name = name
        self.plan = list(checks)
        self.done = set()
        self.failed = False
        self.since = kernel_now() - 1  # printk's clock may run a little ahead

    def report(self, check, ok, why=''):
        global n_checks, n_failed
        assert check in self.plan and check not in self.done, check
        self.done.add(check)
        n_checks += 1
        if ok:
            print('ok %d - %s: %s' % (n_checks, self.name, check))
            return
        n_failed += 1
        print('not ok %d - %s: %s # %s' % (n_checks, self.name, check, why))
        if self.failed:
            return
        self.failed = True
        lines = kernel_lines(self.since)
        if lines:
            comment('the kernel said:')
            for line in lines[-6:]:
                comment('  ' + line)
        else:
            comment('no "cr: " line in the kernel log')

    def ok(self, check):
        self.report(check, True)

    def check(self, check, cond, why):
        self.report(check, cond, why)
        if not cond:
            raise Fail(why)

    def step(self, check, fn, *args):
        """Run fn(*args): its exception fails @check (and the test)."""
        try:
            return fn(*args)
        except Fail as e:
            why = str(e)
            exc = e
        except Timeout as e:
            why = 'timeout: %s' % e
            exc = e
        except Exception as e:
            why = '%s: %s' % (type(e).__name__, e)
            exc = Fail(why)
        if check not in self.done:
            self.report(check, False, why)
        raise exc

    def finish(self, why):
        for check in self.plan:
            if check not in self.done:
                self.report(check, False, 'not reached: ' + why)


# Processes -------------------------------------------------------------

started = []  # Popen objects to end between tests
clients = []  # client sockets and connections to close between tests
CLEANUP_NAMES = ('redis-server', 'nginx', 'python3', 'cr-timerfd-loop', 'crcore')


def procs():
    """pid -> (comm, state, ppid) of every process."""
    res = {}
    for d in glob.glob('/proc/[0-9]*'):
        try:
            with open(d + '/stat') as f:
                s = f.read()
        except OSError:
            continue
        comm = s[s.index('(') + 1:s.rindex(')')]
        rest = s[s.rindex(')') + 2:].split()
        res[int(d[6:])] = (comm, rest[0], int(rest[1]))
    return res


def alive(pid):
    p = procs().get(pid)
    return p is not None and p[1] not in 'ZX'


def children(pid):
    return [c for c, (_, st, pp) in procs().items() if pp == pid and st not in 'ZX']


def cleanup():
    """End every process a test left, and its images."""
    me = os.getpid()
    for c in clients:
        c.close()
    clients.clear()
    for p in started:
        if p.poll() is None:
            try:
                p.kill()
            except OSError:
                pass
    for pid, (comm, _, _) in procs().items():
        if pid != me and comm in CLEANUP_NAMES:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    for p in started:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    started.clear()
    deadline = time.time() + 10
    while time.time() < deadline:
        if not [1 for pid, (c, st, _) in procs().items()
                if pid != me and c in CLEANUP_NAMES and st not in 'ZX']:
            break
        time.sleep(0.1)
    # The crun test's container, restored or not, ends its loop.
    if os.path.isdir('/tmp/crun-bundle/rootfs/data'):
        open('/tmp/crun-bundle/rootfs/data/stop', 'w').close()
    for f in glob.glob(CKPT + '/*'):
        os.unlink(f)
    for f in glob.glob('/tmp/*.log') + glob.glob('/tmp/nginx/*.log'):
        keep_log(f)
        os.unlink(f)


def start(argv, log, cwd='/tmp'):
    with open(log, 'ab') as out:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                             stderr=subprocess.STDOUT, cwd=cwd)
    started.append(p)
    return p


def keep_log(log):
    """Copy @log to the job directory, named after the test that made it."""
    try:
        os.makedirs(LOGS, exist_ok=True)
        shutil.copy(log, os.path.join(LOGS, '%d-%s' % (n_test, os.path.basename(log))))
    except OSError:
        pass


def wait_for(cond, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if cond():
            return
        time.sleep(0.1)
    raise Fail('waited %d s in vain for %s' % (seconds, what))


# Checkpoint and restore ------------------------------------------------

def image_of(pid):
    """The complete image of process @pid, if there is one."""
    for f in glob.glob('%s/*.%d.ckpt' % (CKPT, pid)):
        return f
    return None


def checkpoint(proc, mode, seconds=60):
    """Checkpoint Popen @proc (and its tree) in @mode; return the image.

    In exit mode, wait for the process to exit (of SIGCKPT); else for the
    image. A refused checkpoint leaves the process running, without an
    image: that fails here, the kernel says why."""
    pid = proc.pid
    try:
        with open(CR + 'checkpoint', 'w') as f:
            f.write('%d %d\n' % (pid, mode))
    except OSError as e:
        raise Fail('writing "%d %d" to %scheckpoint: %s' % (pid, mode, CR, e))
    deadline = time.time() + seconds
    while time.time() < deadline:
        img = image_of(pid)
        if mode == MODE_EXIT:
            if proc.poll() is not None:
                if proc.returncode != -SIGCKPT:
                    raise Fail('exited with status %d, not killed by SIGCKPT' %
                               proc.returncode)
                if not img:
                    raise Fail('exited without an image')
                return img
        elif img:
            return img
        if mode != MODE_EXIT and img is None and proc.poll() is not None:
            raise Fail('exited (status %d) without an image' % proc.returncode)
        time.sleep(0.05)
    raise Fail('no image after %d s (refused?)' % seconds)


def restore(image, log, cwd='/tmp'):
    """Execute @image: the restored process is our child."""
    try:
        return start([image], log, cwd)
    except OSError as e:
        raise Fail('exec of the image failed: %s' % e)


def wait_no_clients(pid, tcp=True):
    """Wait until process @pid holds no connection from our clients (they
    closed theirs), only its listeners and what it made itself: a
    continue- or stop-mode checkpoint with a client connected could not be
    restored while the original's connection lives, and a unix connection
    to a client outside the tree cannot be restored at all. @tcp: TCP
    connections count too (else only unix ones)."""
    def inodes():
        res = set()
        for fd in glob.glob('/proc/%d/fd/*' % pid):
            try:
                m = re.fullmatch(r'socket:\[(\d+)\]', os.readlink(fd))
            except OSError:
                continue
            if m:
                res.add(m.group(1))
        return res

    def rows(table):
        try:
            with open(table) as f:
                return [r.split() for r in f.read().splitlines()[1:]]
        except OSError:
            return []

    def free():
        mine = inodes()
        # /proc/net/tcp: sl local rem st ... inode (10th); 0A is LISTEN.
        for table in ('/proc/net/tcp', '/proc/net/tcp6') if tcp else ():
            if [r for r in rows(table) if r[9] in mine and r[3] != '0A']:
                return False
        # /proc/net/unix: Num RefCount Protocol Flags Type St Inode Path;
        # St 03 is SS_CONNECTED, and a connected socket with a path is an
        # accepted connection on a listener.
        return not [r for r in rows('/proc/net/unix')
                    if r[6] in mine and r[5] == '03' and len(r) > 7]
    wait_for(free, 30, 'process %d to close its client connections' % pid)


# A RESP (redis protocol) client ------------------------------------------

def resp_encode(*args):
    out = [b'*%d\r\n' % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b'$%d\r\n%s\r\n' % (len(a), a))
    return b''.join(out)


class Resp:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b''
        clients.append(sock)

    @classmethod
    def tcp(cls, port, timeout=60):
        return cls(socket.create_connection(('127.0.0.1', port), timeout=timeout))

    @classmethod
    def unix(cls, path, timeout=60):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect(path)
        return cls(s)

    def close(self):
        self.sock.close()

    def _fill(self):
        data = self.sock.recv(1 << 16)
        if not data:
            raise Fail('the server closed the connection')
        self.buf += data

    def _line(self):
        while b'\r\n' not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b'\r\n', 1)
        return line

    def reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b'+':
            return rest.decode()
        if kind == b'-':
            return RuntimeError(rest.decode())
        if kind == b':':
            return int(rest)
        if kind == b'$':
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self._fill()
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data
        if kind == b'*':
            return [self.reply() for _ in range(int(rest))]
        raise Fail('bad reply %r' % line)

    def send(self, *cmds):
        self.sock.sendall(b''.join(resp_encode(*c) for c in cmds))

    def call(self, *args):
        self.send(args)
        return self.reply()

    def pipeline(self, cmds):
        self.send(*cmds)
        return [self.reply() for _ in cmds]


def value(prefix, i):
    return ('%s:%d:' % (prefix, i)).encode() * 4


def load(c, prefix, n):
    replies = c.pipeline([('SET', '%s:%d' % (prefix, i), value(prefix, i)) for i in range(n)])
    bad = [r for r in replies if r != 'OK']
    if bad:
        raise Fail('%d SETs failed: %r' % (len(bad), bad[0]))


def missing(c, prefix, n):
    """The keys of @prefix not there with their values (empty: all there)."""
    got = c.pipeline([('GET', '%s:%d' % (prefix, i)) for i in range(n)])
    return [i for i in range(n) if got[i] != value(prefix, i)]


def keys_check(t, check, c, prefix, n):
    bad = t.step(check, missing, c, prefix, n)
    t.check(check, not bad, '%d of %d keys missing or wrong (first: %s:%d)' %
            (len(bad), n, prefix, bad[0]) if bad else '')


REDIS_ARGS = ['--save', '', '--appendonly', 'no', '--protected-mode', 'no',
              '--daemonize', 'no']


def redis_start(port, log, extra=()):
    os.makedirs('/tmp/redis', exist_ok=True)
    p = start(['redis-server', '--port', str(port)] + REDIS_ARGS + list(extra),
              log, '/tmp/redis')
    redis_ready(p, port, log)
    return p


def redis_ready(p, port, log, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if p.poll() is not None:
            raise Fail('redis exited with status %d (log: logs/%d-%s)' %
                       (p.returncode, n_test, os.path.basename(log)))
        try:
            c = Resp.tcp(port, timeout=5)
            try:
                if c.call('PING') == 'PONG':
                    return
            finally:
                c.close()
        except (OSError, Fail):
            pass
        time.sleep(0.2)
    raise Fail('redis does not answer on port %d after %d s' % (port, seconds))


# a. redis ----------------------------------------------------------------

N_KEYS = 2000


def test_redis(new):
    t = new('redis', [
        'starts and answers PING',
        '2000 keys loaded over TCP (pipelined)',
        'exit-mode checkpoint: image written, redis exits',
        'restore: the image runs and answers a new connection',
        'a command sent in the gap is answered once after the restore',
        '2000 keys on the connection kept across the checkpoint',
        '2000 keys on a new TCP connection',
        'second exit-mode checkpoint, of the restored redis',
        'second restore answers',
        '2000 keys on the connection kept across both checkpoints',
        '2000 keys on a new TCP connection after the second restore',
    ])
    port, log = 6379, '/tmp/redis.log'
    p = t.step('starts and answers PING', redis_start, port, log)
    t.ok('starts and answers PING')
    c = t.step('2000 keys loaded over TCP (pipelined)', Resp.tcp, port)
    t.step('2000 keys loaded over TCP (pipelined)', load, c, 'key', N_KEYS)
    t.ok('2000 keys loaded over TCP (pipelined)')

    img = t.step('exit-mode checkpoint: image written, redis exits',
                 checkpoint, p, MODE_EXIT)
    t.ok('exit-mode checkpoint: image written, redis exits')
    comment('image %s, %d KiB' % (img, os.path.getsize(img) // 1024))
    # In the gap: the server is gone, its socket holds silent.
    t.step('a command sent in the gap is answered once after the restore',
           c.send, ('INCR', 'gap-counter'))
    time.sleep(1)

    p2 = t.step('restore: the image runs and answers a new connection', restore, img, log)
    t.step('restore: the image runs and answers a new connection',
           redis_ready, p2, port, log)
    t.ok('restore: the image runs and answers a new connection')
    r = t.step('a command sent in the gap is answered once after the restore', c.reply)
    t.check('a command sent in the gap is answered once after the restore', r == 1,
            'INCR answered %r, not 1' % (r,))
    keys_check(t, '2000 keys on the connection kept across the checkpoint', c, 'key', N_KEYS)
    c2 = t.step('2000 keys on a new TCP connection', Resp.tcp, port)
    keys_check(t, '2000 keys on a new TCP connection', c2, 'key', N_KEYS)
    c2.close()
    os.unlink(img)

    img = t.step('second exit-mode checkpoint, of the restored redis',
                 checkpoint, p2, MODE_EXIT)
    t.ok('second exit-mode checkpoint, of the restored redis')
    t.step('2000 keys on the connection kept across both checkpoints',
           c.send, ('INCR', 'gap-counter'))
    p3 = t.step('second restore answers', restore, img, log)
    t.step('second restore answers', redis_ready, p3, port, log)
    t.ok('second restore answers')
    check = '2000 keys on the connection kept across both checkpoints'
    r = t.step(check, c.reply)
    bad = t.step(check, missing, c, 'key', N_KEYS)
    t.check(check, r == 2 and not bad, 'the INCR sent in the second gap answered %r '
            '(2 wanted); %d keys missing or wrong' % (r, len(bad)))
    check = '2000 keys on a new TCP connection after the second restore'
    keys_check(t, check, t.step(check, Resp.tcp, port), 'key', N_KEYS)


def test_redis_mode(mode, name):
    def test(new):
        t = new('redis ' + name, [
            'starts, 2000 keys loaded, client closed',
            '%s-mode checkpoint writes an image' % name,
            'original killed, restore answers',
            '2000 keys there',
        ])
        port, log = 6379, '/tmp/redis-%s.log' % name
        p = t.step('starts, 2000 keys loaded, client closed', redis_start, port, log)
        c = t.step('starts, 2000 keys loaded, client closed', Resp.tcp, port)
        t.step('starts, 2000 keys loaded, client closed', load, c, 'key', N_KEYS)
        c.close()
        t.step('starts, 2000 keys loaded, client closed', wait_no_clients, p.pid)
        t.ok('starts, 2000 keys loaded, client closed')
        img = t.step('%s-mode checkpoint writes an image' % name, checkpoint, p, mode)
        if mode == MODE_STOP:
            st = procs().get(p.pid, ('', '?', 0))[1]
            t.check('%s-mode checkpoint writes an image' % name, st == 'T',
                    'redis is in state %s, not stopped' % st)
        else:
            t.check('%s-mode checkpoint writes an image' % name, p.poll() is None,
                    'redis exited')
        p.kill()
        p.wait(30)
        p2 = t.step('original killed, restore answers', restore, img, log)
        t.step('original killed, restore answers', redis_ready, p2, port, log)
        t.ok('original killed, restore answers')
        keys_check(t, '2000 keys there', t.step('2000 keys there', Resp.tcp, port),
                   'key', N_KEYS)
    test.__name__ = 'test_redis_' + name
    return test


def test_redis_unix(new):
    t = new('redis with a unix socket', [
        '200 keys loaded over the unix socket (client closed), 100 over TCP',
        'exit-mode checkpoint with a listening unix socket',
        'restore answers',
        '200 keys over a new unix connection',
        '100 keys on the TCP connection kept across the checkpoint',
        'second checkpoint and restore: 200 keys over a new unix connection',
    ])
    port, log, path = 6380, '/tmp/redis-unix.log', '/tmp/redis.sock'
    first = '200 keys loaded over the unix socket (client closed), 100 over TCP'
    p = t.step(first, redis_start, port, log,
               ['--unixsocket', path, '--unixsocketperm', '700'])
    u = t.step(first, Resp.unix, path)
    t.step(first, load, u, 'ukey', 200)
    u.close()
    c = t.step(first, Resp.tcp, port)
    t.step(first, load, c, 'key', 100)
    t.step(first, wait_no_clients, p.pid, False)
    t.ok(first)
    img = t.step('exit-mode checkpoint with a listening unix socket', checkpoint, p, MODE_EXIT)
    t.ok('exit-mode checkpoint with a listening unix socket')
    p2 = t.step('restore answers', restore, img, log)
    t.step('restore answers', redis_ready, p2, port, log)
    t.ok('restore answers')
    u = t.step('200 keys over a new unix connection', Resp.unix, path)
    keys_check(t, '200 keys over a new unix connection', u, 'ukey', 200)
    keys_check(t, '100 keys on the TCP connection kept across the checkpoint', c, 'key', 100)
    u.close()
    os.unlink(img)
    check = 'second checkpoint and restore: 200 keys over a new unix connection'
    t.step(check, wait_no_clients, p2.pid, False)
    img = t.step(check, checkpoint, p2, MODE_EXIT)
    p3 = t.step(check, restore, img, log)
    t.step(check, redis_ready, p3, port, log)
    u = t.step(check, Resp.unix, path)
    keys_check(t, check, u, 'ukey', 200)


# b. nginx ----------------------------------------------------------------

NGINX_CONF = '''
user nobody nogroup;
daemon off;
master_process on;
worker_processes 2;
error_log /tmp/nginx/error.log info;
pid /tmp/nginx/nginx.pid;
events { worker_connections 64; }
http {
    keepalive_timeout 120;
    keepalive_requests 1000;
    default_type application/octet-stream;
    client_body_temp_path /tmp/nginx/body;
    proxy_temp_path /tmp/nginx/proxy;
    fastcgi_temp_path /tmp/nginx/fastcgi;
    uwsgi_temp_path /tmp/nginx/uwsgi;
    scgi_temp_path /tmp/nginx/scgi;
    server {
        listen 127.0.0.1:8080;
        root /tmp/www;
        access_log off;
    }
}
'''


def http_get(conn, path='/file.bin'):
    conn.request('GET', path)
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        raise Fail('GET %s: status %d' % (path, r.status))
    return hashlib.sha256(data).hexdigest(), len(data)


def uid_of(pid):
    """The real uid of process @pid, from /proc, or None."""
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('Uid:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def nginx_ready(master, seconds=60):
    def up():
        if master.poll() is not None:
            raise Fail('nginx exited with status %d' % master.returncode)
        if len(children(master.pid)) < 2:
            return False
        try:
            socket.create_connection(('127.0.0.1', 8080), timeout=5).close()
            return True
        except OSError:
            return False
    wait_for(up, seconds, 'nginx with 2 workers on port 8080')


def test_nginx(new):
    t = new('nginx', [
        'master and 2 workers serve a 100 KB file on a keep-alive connection',
        'exit-mode checkpoint of the master: image written, master and workers exit',
        'restore: a master and 2 workers again',
        'restore: the workers run as nobody again, the master as root',
        'GET on the keep-alive connection kept across the checkpoint: same checksum',
        'GETs on 4 new connections: same checksum',
    ])
    first = 'master and 2 workers serve a 100 KB file on a keep-alive connection'
    os.makedirs('/tmp/nginx', exist_ok=True)
    os.makedirs('/tmp/www', exist_ok=True)
    body = os.urandom(100 * 1024)
    want = hashlib.sha256(body).hexdigest()
    with open('/tmp/www/file.bin', 'wb') as f:
        f.write(body)
    with open('/tmp/nginx/nginx.conf', 'w') as f:
        f.write(NGINX_CONF)
    log = '/tmp/nginx/stdout.log'
    m = start(['nginx', '-p', '/tmp/nginx', '-e', '/tmp/nginx/error.log',
               '-c', '/tmp/nginx/nginx.conf'], log)
    t.step(first, nginx_ready, m)
    workers = children(m.pid)
    conn = http.client.HTTPConnection('127.0.0.1', 8080, timeout=60)
    clients.append(conn)
    got = t.step(first, http_get, conn)
    sock = conn.sock
    t.check(first, got == (want, len(body)), 'got %r' % (got,))
    worker_uids = [uid_of(w) for w in workers]
    comment('master %d, workers %s (uids %r)' % (m.pid, workers, worker_uids))

    check = 'exit-mode checkpoint of the master: image written, master and workers exit'
    img = t.step(check, checkpoint, m, MODE_EXIT)
    t.step(check, wait_for, lambda: not [w for w in workers if alive(w)], 30,
           'the workers to exit')
    t.ok(check)

    m2 = t.step('restore: a master and 2 workers again', restore, img, log)
    t.step('restore: a master and 2 workers again', nginx_ready, m2)
    t.ok('restore: a master and 2 workers again')
    comment('restored master %d, workers %s' % (m2.pid, children(m2.pid)))
    check = 'restore: the workers run as nobody again, the master as root'
    uids = worker_uids, [uid_of(w) for w in children(m2.pid)], uid_of(m2.pid)
    t.check(check, uids[0] == [65534, 65534] and uids[1] == uids[0] and uids[2] == 0,
            'workers ran as %r, restored as %r, master %r' % uids)

    check = 'GET on the keep-alive connection kept across the checkpoint: same checksum'
    got = t.step(check, http_get, conn)
    t.check(check, conn.sock is sock and got == (want, len(body)),
            'got %r%s' % (got, '' if conn.sock is sock else ', on a new connection'))
    check = 'GETs on 4 new connections: same checksum'
    for i in range(4):
        c = http.client.HTTPConnection('127.0.0.1', 8080, timeout=60)
        clients.append(c)
        got = t.step(check, http_get, c)
        c.close()
        if got != (want, len(body)):
            t.check(check, False, 'connection %d got %r' % (i, got))
    t.ok(check)
    conn.close()


# c. python3 asyncio --------------------------------------------------------

ECHO_SERVER = r'''
import asyncio

beats = 0


def beat(loop):
    global beats
    beats += 1
    loop.call_later(0.05, beat, loop)


async def handle(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        if line.strip() == b'stats':
            writer.write(b'stats beats %d\n' % beats)
        else:
            writer.write(b'echo ' + line)
        await writer.drain()
    writer.close()


async def main():
    loop = asyncio.get_running_loop()
    loop.call_later(0.05, beat, loop)
    server = await asyncio.start_server(handle, '127.0.0.1', 8081)
    print('ready', flush=True)
    async with server:
        await server.serve_forever()

asyncio.run(main())
'''


class Lines:
    def __init__(self, port):
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=60)
        self.buf = b''
        clients.append(self.sock)

    def send(self, line):
        self.sock.sendall(line.encode() + b'\n')

    def line(self):
        while b'\n' not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                raise Fail('the server closed the connection')
            self.buf += data
        line, self.buf = self.buf.split(b'\n', 1)
        return line.decode()

    def beats(self):
        self.send('stats')
        r = self.line()
        m = re.fullmatch(r'stats beats (\d+)', r)
        if not m:
            raise Fail('stats answered %r' % r)
        return int(m.group(1))


def test_asyncio(new):
    t = new('python3 asyncio', [
        'the echo server echoes 10 lines and counts heartbeats',
        'exit-mode checkpoint: image written, the server exits',
        'restore: the server runs again',
        'lines sent before, in the gap and after: each echo once, in order',
        'loop.call_later heartbeats go on after the restore',
        'a new client is served',
    ])
    first = 'the echo server echoes 10 lines and counts heartbeats'
    with open('/tmp/echo_server.py', 'w') as f:
        f.write(ECHO_SERVER)
    log = '/tmp/echo_server.log'
    p = start(['python3', '/tmp/echo_server.py'], log)

    def up():
        if p.poll() is not None:
            raise Fail('the server exited with status %d' % p.returncode)
        try:
            socket.create_connection(('127.0.0.1', 8081), timeout=5).close()
            return True
        except OSError:
            return False
    t.step(first, wait_for, up, 60, 'the server on port 8081')
    c = t.step(first, Lines, 8081)
    sent = []
    for i in range(10):
        sent.append('line %d before' % i)
        c.send(sent[-1])
    got = [t.step(first, c.line) for _ in range(10)]
    # The first heartbeat comes 50 ms after the loop starts: on a fast
    # machine the 10 echoes can come back before it.
    b1 = t.step(first, c.beats)
    for _ in range(50):
        if b1 > 0:
            break
        time.sleep(0.1)
        b1 = t.step(first, c.beats)
    t.check(first, got == ['echo ' + s for s in sent] and b1 > 0,
            'echoes %r..., %d heartbeats' % (got[:2], b1))

    check = 'exit-mode checkpoint: image written, the server exits'
    img = t.step(check, checkpoint, p, MODE_EXIT)
    t.ok(check)
    check = 'lines sent before, in the gap and after: each echo once, in order'
    for i in range(10):
        sent.append('line %d in the gap' % i)
        t.step(check, c.send, sent[-1])
    time.sleep(1)
    p2 = t.step('restore: the server runs again', restore, img, log)
    time.sleep(1)
    t.check('restore: the server runs again', p2.poll() is None,
            'exited with status %s' % p2.returncode)
    for i in range(10):
        sent.append('line %d after' % i)
        t.step(check, c.send, sent[-1])
    # Then stats: its answer must come right after the last echo.
    t.step(check, c.send, 'stats')
    got = [t.step(check, c.line) for _ in range(21)]
    want = ['echo ' + s for s in sent[10:]]
    m = re.fullmatch(r'stats beats (\d+)', got[20])
    diff = next(((g, w) for g, w in zip(got, want + ['stats ...']) if g != w), None)
    t.check(check, got[:20] == want and bool(m), 'first difference (got, wanted): %r' % (diff,))
    b2 = int(m.group(1))
    time.sleep(2)
    b3 = t.step('loop.call_later heartbeats go on after the restore', c.beats)
    t.check('loop.call_later heartbeats go on after the restore', b1 <= b2 < b3,
            'beats %d before, %d then %d after' % (b1, b2, b3))
    comment('heartbeats: %d before, %d and %d (2 s later) after' % (b1, b2, b3))
    c2 = t.step('a new client is served', Lines, 8081)
    c2.send('new client')
    r = t.step('a new client is served', c2.line)
    t.check('a new client is served', r == 'echo new client', 'answered %r' % r)


# d. cr-timerfd-loop ----------------------------------------------------------

def timerfd_lines(log, kind=None):
    """cr-timerfd-loop's lines: (kind, pid, elapsed ms, count, gap ms, diff)
    for tick and done, (kind, pid, waited ms, read, lost ms) for gap."""
    res = []
    for line in open(log, errors='replace'):
        m = (re.match(r'timerfd-loop (tick|done) pid (\d+) elapsed (\d+) ms count (\d+) '
                      r'gap (\d+) ms diff (-?\d+)$', line) or
             re.match(r'timerfd-loop (gap) pid (\d+) waited (\d+) ms read (\d+) '
                      r'lost (\d+) ms$', line))
        if m and (kind is None or m.group(1) == kind or
                  (kind == 'tick' and m.group(1) == 'done')):
            res.append((m.group(1),) + tuple(int(x) for x in m.groups()[1:]))
    return res


def test_timerfd(new):
    t = new('cr-timerfd-loop', [
        'counts 10 ms expirations in epoll_wait',
        'exit-mode checkpoint: image written, the loop exits',
        'the restored loop goes on counting',
        'no expiration missed or doubled beyond the gap (count = (elapsed - gap) / 10 ms, +-2)',
        'SIGTERM through the restored signalfd ends it',
    ])
    first = 'counts 10 ms expirations in epoll_wait'
    log, log2 = '/tmp/timerfd.log', '/tmp/timerfd-restored.log'
    p = start(['cr-timerfd-loop'], log)
    t.step(first, wait_for, lambda: len(timerfd_lines(log, 'tick')) >= 3, 60, '3 ticks')
    last = timerfd_lines(log, 'tick')[-1]
    t.check(first, abs(last[5]) <= 2, 'diff %d: %r' % (last[5], last))

    check = 'exit-mode checkpoint: image written, the loop exits'
    img = t.step(check, checkpoint, p, MODE_EXIT)
    t_exit = time.monotonic()
    t.ok(check)
    before = timerfd_lines(log, 'tick')[-1]
    time.sleep(2)
    t_restore = time.monotonic()
    check = 'the restored loop goes on counting'
    p2 = t.step(check, restore, img, log2)
    t.step(check, wait_for, lambda: len(timerfd_lines(log2, 'tick')) >= 3, 60, '3 ticks')
    after = timerfd_lines(log2, 'tick')
    t.check(check, after[-1][3] > before[3] + 100,
            'count %d before, %d after' % (before[3], after[-1][3]))
    os.kill(p2.pid, signal.SIGTERM)
    try:
        rc = p2.wait(30)
    except subprocess.TimeoutExpired:
        rc = None
    last = timerfd_lines(log2, 'tick')[-1]
    gaps = timerfd_lines(log2, 'gap')
    # The gap the driver saw: from the exit to the exec of the image. The
    # loop's own is longer (the checkpoint before, the restore after).
    seen = int((t_restore - t_exit) * 1000)
    comment('before: %r' % (before,))
    comment('gaps:   %r (the driver saw %d ms)' % (gaps, seen))
    comment('last:   %r' % (last,))
    why = []
    if abs(last[5]) > 2:
        why.append('elapsed %d ms, count %d, gap %d ms: diff %d' % last[2:])
    if len(gaps) != 1:
        why.append('%d waits longer than 0.5 s, 1 wanted' % len(gaps))
    elif gaps[0][4] < seen:
        why.append('a gap of %d ms, shorter than the %d ms the process was not there '
                   '(the gap\'s expirations counted?)' % (gaps[0][4], seen))
    t.report('no expiration missed or doubled beyond the gap (count = (elapsed - gap) / 10 ms, +-2)',
             not why, '; '.join(why))
    t.check('SIGTERM through the restored signalfd ends it', rc == 0 and last[0] == 'done',
            'status %s, last line %r' % (rc, last))


# -----------------------------------------------------------------------------

# Each test with its deadline, in seconds: together they fit in the VM's
# time (scripts/cr/programs boots it for 900 s); each takes about 10.
# e. crun ----------------------------------------------------------------------

CRUN_LOOP = r'''i=0
nc -l -p 7070 -e /bin/cat &
while :; do
	i=$((i+1)); read h < /proc/sys/kernel/hostname; set -- /proc/[0-9]*
	z=$(head -c 4 /dev/zero | wc -c); k=$(wc -c < /proc/timer_list)
	m=$(awk '{ split($6, o, ","); print $5 ":" $8 ":" o[1] }' /proc/self/mountinfo | sort | tr '\n' ,)
	echo "$i $h $# $z $k $m" > /data/count.new; mv /data/count.new /data/count
	[ -e /data/stop ] && exit 0
	sleep 0.1
done
'''


def crun_count(rootfs):
    try:
        with open(rootfs + '/data/count') as f:
            n, rest = f.read().strip().split(' ', 1)
        return int(n), rest
    except (OSError, ValueError):
        return 0, ''


def rtnl_to_netns(ifname, pid):
    """Move device @ifname into the network namespace of @pid (ip link set netns)."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)	# NETLINK_ROUTE
    body = struct.pack('<BxHiII', 0, 0, socket.if_nametoindex(ifname), 0, 0)	# ifinfomsg
    body += struct.pack('<HHI', 8, 19, pid)	# IFLA_NET_NS_PID
    s.sendto(struct.pack('<IHHII', 16 + len(body), 16, 0x5, 1, 0) + body, (0, 0))	# RTM_NEWLINK
    err = struct.unpack('<i', s.recv(4096)[16:20])[0]
    s.close()
    if err:
        raise Fail('moving %s to the network namespace of %d: %s' % (ifname, pid, os.strerror(-err)))


def sh(cmd):
    subprocess.run(['sh', '-ec', cmd], check=True, timeout=30, stdin=subprocess.DEVNULL)


def crun_net(pid):
    """
    The container's network as a CNI bridge plugin makes it: bridge crbr9
    (10.89.0.1/24) on the host, veth pair crun-h (its port) - eth0 in the
    container (10.89.0.2/24, default route via the bridge).
    """
    sh('ip link add crun-h type veth')		# busybox names the other end veth<N>
    with open('/sys/class/net/crun-h/iflink') as f:
        other = socket.if_indextoname(int(f.read()))
    sh('ip link set %s name crun-c; '
       'brctl addbr crbr9; ip addr add 10.89.0.1/24 dev crbr9; ip link set crbr9 up; '
       'brctl addif crbr9 crun-h; ip link set crun-h up' % other)
    rtnl_to_netns('crun-c', pid)
    sh('nsenter -t %d -n sh -ec "ip link set crun-c name eth0; ip link set eth0 address 02:89:00:00:00:02; '
       'ip addr add 10.89.0.2/24 dev eth0; ip link set eth0 up; ip route add default via 10.89.0.1"' % pid)


def crun_net_state(pid):
    """eth0's address, MAC and the default route, in the container of @pid."""
    r = subprocess.run(['nsenter', '-t', str(pid), '-n', 'sh', '-c', 'ip addr show eth0; ip route'],
                       capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    out = r.stdout.decode()
    return ('inet 10.89.0.2/24' in out, 'link/ether 02:89:00:00:00:02' in out,
            'default via 10.89.0.1 dev eth0' in out)


def echo(s, data):
    s.sendall(data)
    got = b''
    while len(got) < len(data):
        b = s.recv(len(data) - len(got))
        if not b:
            break
        got += b
    return got == data


def test_crun(new):
    t = new('crun', [
        'a busybox container started by crun (its default configuration) counts',
        'its network as a CNI bridge plugin makes it: a veth pair to a host bridge, an echo server reached from the host',
        'SIGCKPT to its init in exit mode: image written, the container exits',
        'crcore restore: the count goes on with the same host name, processes, devices, masked files and mounts',
        'the restored container has namespaces of its own, and none of our mounts',
        'its network is back: eth0 with its address, MAC and route, the host end a port of the bridge, the connection from the host goes on',
    ])
    first = 'a busybox container started by crun (its default configuration) counts'
    if not shutil.which('crun'):
        raise Fail('no crun in the VM')
    bundle = '/tmp/crun-bundle'
    rootfs = bundle + '/rootfs'
    shutil.rmtree(bundle, ignore_errors=True)
    for d in ('bin', 'proc', 'dev', 'sys', 'data', 'tmp/ckpt'):
        os.makedirs(rootfs + '/' + d)
    shutil.copy('/bin/busybox', rootfs + '/bin/busybox')
    for a in ('sh', 'mv', 'sleep', 'cat', 'awk', 'head', 'wc', 'sort', 'tr', 'nc'):
        os.symlink('busybox', rootfs + '/bin/' + a)
    with open(rootfs + '/loop.sh', 'w') as f:
        f.write(CRUN_LOOP)
    if not os.path.exists('/sys/fs/cgroup/cgroup.controllers'):
        subprocess.run(['mount', '-t', 'cgroup2', 'none', '/sys/fs/cgroup'], check=True,
                       timeout=10)
    t.step(first, lambda: subprocess.run(['crun', 'spec'], cwd=bundle, check=True, timeout=30))
    with open(bundle + '/config.json') as f:
        c = json.load(f)
    c['process']['terminal'] = False
    c['process']['args'] = ['sh', '/loop.sh']
    c['root']['readonly'] = False
    c['linux']['namespaces'].append({'type': 'cgroup'})
    # The device rules need BPF, which the test kernel has not.
    c['linux'].pop('resources', None)
    with open(bundle + '/config.json', 'w') as f:
        json.dump(c, f)
    log = '/tmp/crun.log'
    with open(log, 'ab') as out:
        r = t.step(first, lambda: subprocess.run(
            ['crun', '--cgroup-manager=cgroupfs', 'run', '-d', 'crctr'], cwd=bundle,
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, timeout=60))
    keep_log(log)
    if r.returncode:
        t.check(first, False, 'crun run: status %d' % r.returncode)
    t.step(first, wait_for, lambda: crun_count(rootfs)[0] >= 20, 60, 'a count of 20')
    st = t.step(first, lambda: subprocess.run(['crun', 'state', 'crctr'], capture_output=True,
                                              timeout=30))
    pid = json.loads(st.stdout)['pid']
    t.ok(first)

    check = 'its network as a CNI bridge plugin makes it: a veth pair to a host bridge, an echo server reached from the host'
    t.step(check, crun_net, pid)
    conn = t.step(check, socket.create_connection, ('10.89.0.2', 7070), 10)
    t.check(check, echo(conn, b'before the checkpoint\n') and all(crun_net_state(pid)),
            'no echo, or eth0 is not as set: %s' % (crun_net_state(pid),))

    check = 'SIGCKPT to its init in exit mode: image written, the container exits'
    with open(CR + 'checkpoint', 'w') as f:
        f.write('%d %d\n' % (pid, MODE_EXIT))

    def done():
        return not os.path.exists('/proc/%d' % pid) and glob.glob(rootfs + '/tmp/ckpt/*.ckpt')
    t.step(check, wait_for, done, 60, 'the image and the end of pid %d' % pid)
    img = glob.glob(rootfs + '/tmp/ckpt/*.ckpt')[0]
    n1, rest1 = crun_count(rootfs)
    t.ok(check)

    check = 'crcore restore: the count goes on with the same host name, processes, devices, masked files and mounts'
    p = t.step(check, start, ['crcore', 'restore', img], '/tmp/crun-restore.log')
    t.step(check, wait_for, lambda: crun_count(rootfs)[0] > n1 + 10, 60, 'the count to go on')
    n2, rest2 = crun_count(rootfs)
    comment('crun container: %d %s' % (n2, rest2))
    t.check(check, rest1 == rest2 and rest2.startswith('crun 2 4 0 /:tmpfs:rw,'),
            'before %r, after %r' % (rest1, rest2))

    check = 'the restored container has namespaces of its own, and none of our mounts'
    inner = [q for q in procs() if q != p.pid and os.path.exists('/proc/%d/root/loop.sh' % q)]
    if not inner:
        t.check(check, False, 'no process with /loop.sh at its root')
    q = inner[0]
    ours = {n: os.readlink('/proc/self/ns/' + n) for n in ('mnt', 'pid', 'uts', 'ipc', 'net', 'cgroup')}
    theirs = {n: os.readlink('/proc/%d/ns/%s' % (q, n)) for n in ours}
    same = [n for n in ours if ours[n] == theirs[n]]
    with open('/proc/%d/mountinfo' % q) as f:
        mounts = [line.split()[4] for line in f]
    t.check(check, not same and '/mnt/job' not in mounts and '/opt' not in mounts,
            'namespaces shared with us: %s; mounts %s' % (same, mounts))

    check = 'its network is back: eth0 with its address, MAC and route, the host end a port of the bridge, the connection from the host goes on'
    state = crun_net_state(q)
    master = os.path.basename(os.readlink('/sys/class/net/crun-h/master')) \
        if os.path.exists('/sys/class/net/crun-h/master') else None
    echoed = t.step(check, echo, conn, b'after the restore\n')
    t.check(check, all(state) and master == 'crbr9' and echoed,
            'eth0 (address, MAC, route) %s, crun-h a port of %s, echo %s' % (state, master, echoed))
    conn.close()
    open(rootfs + '/data/stop', 'w').close()
    time.sleep(1)


TESTS = {
    'redis': (test_redis, 150),
    'redis-continue': (test_redis_mode(MODE_CONTINUE, 'continue'), 80),
    'redis-stop': (test_redis_mode(MODE_STOP, 'stop'), 80),
    'redis-unix': (test_redis_unix, 100),
    'nginx': (test_nginx, 100),
    'asyncio': (test_asyncio, 100),
    'timerfd': (test_timerfd, 80),
    'crun': (test_crun, 150),
}


def setup():
    subprocess.run(['ip', 'link', 'set', 'lo', 'up'], check=True, timeout=10)
    os.makedirs(CKPT, exist_ok=True)
    for name, val in (('pattern', CKPT + '/%e.%p.ckpt'), ('new_tids', '1'),
                      ('default_mode', '0')):
        with open(CR + name, 'w') as f:
            f.write(val + '\n')
    comment('kernel.cr: pattern %s, new_tids 1 (threads and trees restored '
            'with new ids), tcp_hold_seconds %s' %
            (CKPT + '/%e.%p.ckpt', open(CR + 'tcp_hold_seconds').read().strip()))


def main():
    global n_checks, n_failed, n_test
    names = sys.argv[1:] or list(TESTS)
    setup()
    for name in names:
        fn, seconds = TESTS[name]
        n_test += 1
        t0 = time.time()
        holder = []

        def new(tname, checks, holder=holder):
            holder.append(Test(tname, checks))
            return holder[-1]

        def alarm(signum, frame):
            raise Timeout('no end after %d s' % seconds)

        signal.signal(signal.SIGALRM, alarm)
        signal.alarm(seconds)
        why = None
        try:
            fn(new)
        except Timeout as e:
            why = 'timeout (%s)' % e
        except Fail as e:
            why = 'a step failed: %s' % e
        except Exception as e:
            why = 'error %s: %s' % (type(e).__name__, e)
        finally:
            signal.alarm(0)
        try:
            if holder:
                holder[0].finish(why or 'the test ended early')
            elif why:
                n_checks += 1
                n_failed += 1
                print('not ok %d - %s: ran # %s' % (n_checks, name, why))
        finally:
            signal.alarm(30)
            try:
                cleanup()
            except Timeout:
                comment('cleanup after %s took too long' % name)
            signal.alarm(0)
        comment('%s: %.0f s' % (name, time.time() - t0))
    print('# %d checks, %d failed' % (n_checks, n_failed))
    return 1 if n_failed else 0


if __name__ == '__main__':
    sys.exit(main())
