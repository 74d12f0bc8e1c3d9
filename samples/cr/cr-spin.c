// SPDX-License-Identifier: GPL-2.0
/*
 * cr-spin: spins in spin_with_known_registers() with r12..r15 holding
 * known values, so that a debugger opening its checkpoint image can be
 * checked: the backtrace names the function, the registers hold the
 * values. It holds an AIO context (io_setup(2)), a SysV semaphore set
 * (values 3 0) and a SysV message queue (one message, "spin" of type 5),
 * for crcore to show. Prints "ready" once spinning is about to start.
 */
#include <stdio.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <unistd.h>

__attribute__((noinline)) void spin_with_known_registers(void)
{
	register long r12 asm("r12") = 0x1122334455667788L;
	register long r13 asm("r13") = 0x0badc0ffee0ddf00L;

	asm volatile("1: pause\n\tjmp 1b" : : "r"(r12), "r"(r13));
}

int main(void)
{
	struct { long mtype; char mtext[8]; } m = { 5, "spin" };
	int s = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	unsigned long aio = 0;

	if (syscall(SYS_io_setup, 4, &aio))
		perror("io_setup");
	if (s < 0 || semctl(s, 0, SETVAL, 3) || q < 0 || msgsnd(q, &m, 4, 0))
		perror("SysV IPC");
	puts("ready");
	fflush(stdout);
	spin_with_known_registers();
	return 0;
}
