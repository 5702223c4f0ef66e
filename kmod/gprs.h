/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gprs.h - where each of the guest's general-purpose registers lives in
 * vcpu->gprs[]: x86 encoding order, so that the reg field of a ModRM
 * byte indexes the array.  RSP lives in the VMCS and its slot is unused.
 * Plain #defines, so that vmenter.S takes its offsets from here too.
 */
#ifndef VMXLAB_GPRS_H
#define VMXLAB_GPRS_H

#define VCPU_RAX	0
#define VCPU_RCX	1
#define VCPU_RDX	2
#define VCPU_RBX	3
#define VCPU_RSP	4
#define VCPU_RBP	5
#define VCPU_RSI	6
#define VCPU_RDI	7
#define VCPU_R8		8
#define VCPU_R9		9
#define VCPU_R10	10
#define VCPU_R11	11
#define VCPU_R12	12
#define VCPU_R13	13
#define VCPU_R14	14
#define VCPU_R15	15
#define VCPU_NR_GPRS	16

#endif /* VMXLAB_GPRS_H */
