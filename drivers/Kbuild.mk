# drivers/: device drivers, one folder per kind.
obj-y += drivers/tty/serial/8250.o
obj-y += drivers/tty/vt/vgacon.o
obj-y += drivers/tty/vt/vt.o drivers/tty/vt/vt_emul.o drivers/tty/vt/keyboard.o
obj-y += drivers/input/keyboard/atkbd.o
obj-y += drivers/tty/tty_io.o drivers/tty/tty_ioctl.o drivers/tty/tty_jobctrl.o
obj-y += drivers/tty/n_tty.o drivers/tty/pty.o
obj-y += drivers/char/mem.o
obj-y += drivers/pci/access.o drivers/pci/probe.o drivers/pci/proc.o drivers/pci/pci_test.o
