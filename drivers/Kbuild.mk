# drivers/: device drivers, one folder per kind.
obj-y += drivers/tty/serial/8250.o
obj-y += drivers/tty/vt/vgacon.o
obj-y += drivers/tty/console_dev.o
obj-y += drivers/char/mem.o
