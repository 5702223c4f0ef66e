# lab 02: RDTSC exiting and a fake clock (a kmod change).
kselftest lab02_test
finish
