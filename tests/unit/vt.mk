# Host unit tests of the virtual consoles' pure parts (drivers/tty/vt/):
# the terminal emulator (escape sequences on a cell buffer) and the
# keyboard decoder (scancode set 1 to the bytes of the US keymap).
unit-tests += vt keyboard
unit-vt-srcs := tests/unit/test_vt.c drivers/tty/vt/vt_emul.c
unit-keyboard-srcs := tests/unit/test_keyboard.c drivers/tty/vt/keyboard.c
