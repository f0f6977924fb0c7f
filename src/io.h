/* SPDX-License-Identifier: MIT */
/* The ROM's only door to hardware: port I/O, MMIO, MSRs, CPUID, TSC, CR0 and caches.
 * Pure modules never include this file. */
#ifndef QVM_IO_H
#define QVM_IO_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Read len bytes from an 8-bit port into buf. */
static inline void insb(uint16_t port, void *buf, uint32_t len)
{
	asm volatile("rep insb" : "+D"(buf), "+c"(len) : "d"(port) : "memory");
}

static inline uint32_t readl(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void writel(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint64_t v;

	asm volatile("rdmsr" : "=A"(v) : "c"(msr));
	return v;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" : : "c"(msr), "A"(v) : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline uint64_t rdtsc(void)
{
	uint64_t v;

	asm volatile("rdtsc" : "=A"(v));
	return v;
}

/* CR0 of this CPU. */
static inline uint32_t read_cr0(void)
{
	uint32_t v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

/* Load CR0 (cache disable, write-through and the like). */
static inline void write_cr0(uint32_t v)
{
	asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

/* Write back and invalidate this CPU's caches. */
static inline void wbinvd(void)
{
	asm volatile("wbinvd" ::: "memory");
}

/* Spin-wait hint. */
static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

/* Stop this CPU for good: interrupts off, halt forever. */
static inline __attribute__((noreturn)) void halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

#endif
