# drivers/: device drivers, one folder per kind.
obj-y += drivers/tty/serial/8250.o
obj-y += drivers/tty/vt/vgacon.o
