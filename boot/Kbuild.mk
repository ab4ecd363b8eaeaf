# boot/: the Multiboot headers and the 32-bit entry code.
obj-y += boot/multiboot.o boot/entry.o
