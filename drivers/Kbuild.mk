# drivers/: device drivers, one folder per kind.
obj-y += drivers/tty/serial/8250.o
obj-y += drivers/tty/vt/vgacon.o
obj-y += drivers/tty/vt/vt.o drivers/tty/vt/vt_emul.o drivers/tty/vt/keyboard.o
obj-y += drivers/input/keyboard/atkbd.o
obj-y += drivers/tty/tty_io.o drivers/tty/tty_ioctl.o drivers/tty/tty_jobctrl.o
obj-y += drivers/tty/n_tty.o drivers/tty/pty.o
obj-y += drivers/char/mem.o
obj-y += drivers/pci/access.o drivers/pci/probe.o drivers/pci/proc.o
obj-$(CONFIG_KTEST) += drivers/pci/pci_test.o
obj-y += drivers/base/core.o drivers/base/bus.o drivers/base/driver.o drivers/base/dd.o drivers/base/class.o drivers/base/platform.o drivers/base/init.o
obj-$(CONFIG_KTEST) += drivers/base/base_test.o
obj-y += drivers/pci/pci-driver.o drivers/pci/pci-sysfs.o
obj-$(CONFIG_KTEST) += drivers/pci/pci_bus_test.o
obj-y += drivers/misc/edu.o drivers/rtc/rtc-cmos.o
obj-y += drivers/base/cpu.o drivers/clocksource/i8253.o
obj-y += drivers/ata/libata-core.o drivers/ata/ata_piix.o
obj-$(CONFIG_KTEST) += drivers/ata/ata_test.o
