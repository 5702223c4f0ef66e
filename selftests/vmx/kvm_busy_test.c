// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_busy_test.c - vmxlab and kvm_intel take turns with VMX.
 *
 * Debian 6.1's kvm_intel turns VMX on when its first VM is created.  While
 * a KVM VM exists, creating a vmxlab VM must fail with EBUSY and a kernel
 * log line naming the reason; once the KVM VM is gone, vmxlab works again;
 * and while a vmxlab VM exists, KVM cannot create one either.
 *
 * Needs the KVM modules in the machine at /vmxlab/kvm/ (the machine script
 * adds them); skipped otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>
#include <kselftest_harness.h>

#include "lib/vmxlab_test.h"

#define KVM_DIR "/vmxlab/kvm"

static int kvm_load(void)
{
	return system("insmod " KVM_DIR "/irqbypass.ko && insmod " KVM_DIR
		      "/kvm.ko && insmod " KVM_DIR "/kvm-intel.ko");
}

static void kvm_unload(void)
{
	if (system("rmmod kvm_intel && rmmod kvm && rmmod irqbypass"))
		fprintf(stderr, "# could not unload the KVM modules\n");
}

static int dmesg_has(const char *needle)
{
	char line[512];
	int found = 0;
	FILE *f = popen("dmesg | tail -n 20", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, needle))
			found = 1;
	pclose(f);
	return found;
}

TEST(vmx_taken_by_kvm)
{
	int kvm, kvm_vm, sys, vm;

	if (access(KVM_DIR "/kvm-intel.ko", R_OK))
		SKIP(return, "no KVM modules at " KVM_DIR);
	ASSERT_EQ(0, kvm_load());
	kvm = open("/dev/kvm", O_RDWR);
	ASSERT_LE(0, kvm);
	kvm_vm = ioctl(kvm, KVM_CREATE_VM, 0);
	ASSERT_LE(0, kvm_vm);

	sys = open("/dev/vmxlab", O_RDWR);
	ASSERT_LE(0, sys);
	errno = 0;
	EXPECT_EQ(-1, ioctl(sys, VMXLAB_CREATE_VM, 0));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_TRUE(dmesg_has("VMX is already in use by another hypervisor"));
	EXPECT_TRUE(dmesg_has("kvm_intel"));

	/* KVM turns VMX off with its last VM: vmxlab's turn. */
	close(kvm_vm);
	vm = ioctl(sys, VMXLAB_CREATE_VM, 0);
	EXPECT_LE(0, vm);
	/* And now KVM cannot have it. */
	errno = 0;
	EXPECT_EQ(-1, ioctl(kvm, KVM_CREATE_VM, 0));
	EXPECT_NE(0, errno);
	close(vm);

	/* With vmxlab's VM gone, KVM can run again. */
	kvm_vm = ioctl(kvm, KVM_CREATE_VM, 0);
	EXPECT_LE(0, kvm_vm);
	if (kvm_vm >= 0)
		close(kvm_vm);
	close(kvm);
	close(sys);
	kvm_unload();
}

TEST_HARNESS_MAIN
