/*
 * The PS/2 (AT) keyboard behind the i8042 controller.
 *
 * The controller is set to interrupt on IRQ 1 for every keyboard byte
 * and to translate the keyboard's codes to scancode set 1, which is
 * what the BIOS leaves and what the console's decoder (keyboard.c)
 * expects. Each byte is read from the data port in the interrupt
 * handler and handed to the virtual consoles (vt_keyboard_input()).
 *
 * The lock-key LEDs are set with the keyboard's two-byte command ED,
 * bits: the keyboard acknowledges each byte with FA, so the update is a
 * small state machine driven by the interrupt: send ED, on its FA send
 * the bits, on that FA done. A change during an update is sent when the
 * update ends. The acknowledgements never reach the decoder. An
 * acknowledgement that never comes (a keyboard unplugged mid-command)
 * would stall the LEDs for good: a timer gives up on the update after
 * LED_ACK_TIMEOUT_MS and starts the next.
 *
 * Locking: atkbd_lock (irqsave) guards the LED state machine; the
 * controller's ports are only touched under it after boot.
 */
#include "../serio/i8042.h"
#include <asm/io.h>
#include <kestrel/init.h>
#include <kestrel/err.h>
#include <kestrel/interrupt.h>
#include <kestrel/ioport.h>
#include <kestrel/platform_device.h>
#include <kestrel/printk.h>
#include <kestrel/spinlock.h>
#include <kestrel/time.h>
#include <kestrel/timer.h>
#include <kestrel/vt.h>

/* How long a keyboard may take to acknowledge a command byte: the PS/2
 * specification allows 20 ms; Linux's atkbd waits 200. */
#define LED_ACK_TIMEOUT_MS 200

enum led_state {
	LED_IDLE, /* no command under way */
	LED_SENT_CMD, /* ED sent, waiting for its ACK */
	LED_SENT_BITS, /* the bits sent, waiting for their ACK */
};

/* The LED state machine below; irqsave (the keyboard interrupt). */
static DEFINE_SPINLOCK(atkbd_lock);
static enum led_state led_state; /* atkbd_lock */
static int led_pending = -1; /* bits to send next, or -1 (atkbd_lock) */
/* Gives up on a lost ACK; armed and disarmed under atkbd_lock. */
static struct timer_list led_timer;

/* Wait until the controller takes a byte; false if it never does. */
static bool i8042_wait_write(void)
{
	unsigned int spin;

	for (spin = 0; spin < I8042_POLL_LIMIT; spin++)
		if (!(inb(I8042_STATUS_REG) & I8042_STR_IBF))
			return true;
	return false;
}

/* Wait for a byte to read; false if none comes. */
static bool i8042_wait_read(void)
{
	unsigned int spin;

	for (spin = 0; spin < I8042_POLL_LIMIT; spin++)
		if (inb(I8042_STATUS_REG) & I8042_STR_OBF)
			return true;
	return false;
}

static void kbd_send(u8 byte)
{
	if (i8042_wait_write())
		outb(byte, I8042_DATA_REG);
}

/* Start an LED update if none runs. atkbd_lock held. */
static void led_kick(void)
{
	lockdep_assert_held(&atkbd_lock);
	if (led_state != LED_IDLE || led_pending < 0)
		return;
	kbd_send(ATKBD_CMD_SETLEDS);
	led_state = LED_SENT_CMD;
	mod_timer(&led_timer, jiffies + msecs_to_jiffies(LED_ACK_TIMEOUT_MS));
}

/* No ACK in time: drop the update under way and start the next. */
static void led_timeout(struct timer_list *timer)
{
	unsigned long flags;

	spin_lock_irqsave(&atkbd_lock, flags);
	if (led_state != LED_IDLE) {
		led_state = LED_IDLE;
		led_kick();
	}
	spin_unlock_irqrestore(&atkbd_lock, flags);
}

/* An ACK or RESEND from the keyboard. atkbd_lock held. */
static void led_answer(u8 byte)
{
	lockdep_assert_held(&atkbd_lock);
	if (byte == ATKBD_RET_ACK && led_state == LED_SENT_CMD) {
		kbd_send((u8)led_pending);
		led_pending = -1;
		led_state = LED_SENT_BITS;
		mod_timer(&led_timer,
			  jiffies + msecs_to_jiffies(LED_ACK_TIMEOUT_MS));
		return;
	}
	del_timer(&led_timer);
	led_state = LED_IDLE; /* done, or refused: drop it */
	led_kick();
}

static irqreturn_t atkbd_interrupt(int irq, void *dev_id)
{
	bool handled = false;
	int leds;
	u8 st, byte;

	while ((st = inb(I8042_STATUS_REG)) & I8042_STR_OBF) {
		byte = inb(I8042_DATA_REG);
		handled = true;
		if (st & I8042_STR_AUXDATA)
			continue; /* a mouse byte: no mouse driver */
		spin_lock(&atkbd_lock);
		if (led_state != LED_IDLE &&
		    (byte == ATKBD_RET_ACK || byte == ATKBD_RET_RESEND)) {
			led_answer(byte);
			spin_unlock(&atkbd_lock);
			continue;
		}
		spin_unlock(&atkbd_lock);
		leds = vt_keyboard_input(byte);
		if (leds >= 0) {
			spin_lock(&atkbd_lock);
			led_pending = leds;
			led_kick();
			spin_unlock(&atkbd_lock);
		}
	}
	return handled ? IRQ_HANDLED : IRQ_NONE;
}

/* Keyboard interrupt and translation on, keyboard clock enabled. */
static void i8042_enable_kbd(void)
{
	u8 ctr;

	if (!i8042_wait_write())
		return;
	outb(I8042_CMD_CTL_RCTR, I8042_COMMAND_REG);
	if (!i8042_wait_read())
		return;
	ctr = inb(I8042_DATA_REG);
	ctr = (u8)((ctr | I8042_CTR_KBDINT | I8042_CTR_XLATE) &
		   ~I8042_CTR_KBDDIS);
	if (!i8042_wait_write())
		return;
	outb(I8042_CMD_CTL_WCTR, I8042_COMMAND_REG);
	if (i8042_wait_write())
		outb(ctr, I8042_DATA_REG);
}

/* The keyboard (a device_initcall: after the consoles it feeds). */
static int atkbd_init(void)
{
	unsigned int n;
	int err;

	for (n = 0;
	     n < I8042_FLUSH_LIMIT && (inb(I8042_STATUS_REG) & I8042_STR_OBF);
	     n++)
		inb(I8042_DATA_REG); /* keys pressed during boot */
	timer_setup(&led_timer, led_timeout, 0);
	/* IRQ 1 is still masked: the handler can't eat the answer */
	i8042_enable_kbd();
	err = request_irq(I8042_KBD_IRQ, atkbd_interrupt, 0, "i8042", NULL);
	if (err)
		pr_err("atkbd: no keyboard interrupt (%d)\n", err);
	return err;
}
device_initcall(atkbd_init);

/*
 * The keyboard controller in the device model: the platform device
 * "i8042" (/sys/devices/platform/i8042) with the keyboard's interrupt,
 * bound to the driver "i8042" whose attributes tell its ports and IRQ.
 * The two ports are the motherboard's "keyboard" ranges, reserved at
 * boot (arch/x86/resource.c), as on Linux.
 */
static ssize_t kbd_irq_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", I8042_KBD_IRQ);
}
static DEVICE_ATTR_RO(kbd_irq);

static ssize_t ports_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "0x%02x 0x%02x\n", I8042_DATA_REG,
			  I8042_STATUS_REG);
}
static DEVICE_ATTR_RO(ports);

static struct attribute *i8042_attrs[] = {
	&dev_attr_kbd_irq.attr,
	&dev_attr_ports.attr,
	NULL,
};
ATTRIBUTE_GROUPS(i8042);

static struct platform_driver i8042_platform_driver = {
	.driver = { .name = "i8042", .dev_groups = i8042_groups },
};

/* The keyboard controller as the platform device "i8042". */
static int i8042_platform_init(void)
{
	const struct resource res[] = { DEFINE_RES_IRQ(I8042_KBD_IRQ) };
	struct platform_device *pdev;
	int err = platform_driver_register(&i8042_platform_driver);

	if (err)
		return err;
	pdev = platform_device_register_simple("i8042", PLATFORM_DEVID_NONE,
					       res, ARRAY_SIZE(res));
	return IS_ERR(pdev) ? PTR_ERR(pdev) : 0;
}
device_initcall(i8042_platform_init);
