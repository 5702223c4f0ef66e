/* SPDX-License-Identifier: GPL-2.0 */
/* chardev.h - what chardev.c exports: /dev/vmxlab. */
#ifndef VMXLAB_CHARDEV_H
#define VMXLAB_CHARDEV_H

int vmxlab_chardev_init(void);
void vmxlab_chardev_exit(void);

#endif /* VMXLAB_CHARDEV_H */
