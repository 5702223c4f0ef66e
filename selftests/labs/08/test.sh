# lab 08: EPT write protection and dirty tracking (a kmod change).
kselftest lab08_test
finish
