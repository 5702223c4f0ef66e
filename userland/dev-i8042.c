// SPDX-License-Identifier: GPL-2.0
/*
 * dev-i8042.c - the 8042 keyboard controller of the PC/AT, and System
 * Control Port A (0x92).
 *
 * The controller (8042/AT keyboard controller, as the IBM AT and PS/2
 * technical references describe it) has an output buffer read at 0x60, a
 * status register read at 0x64, and takes commands at 0x64 and data at
 * 0x60.  Here every command completes at once, so the input buffer is
 * never full (status bit 1 always 0) and a guest's "wait until IBF
 * clears" loop ends on its first read.
 *
 * The keyboard behind it is an AT keyboard that acknowledges every
 * command it knows (0xFA), passes its self-test (0xAA) and never has a
 * key pressed; that is what Linux's atkbd probe and a bootloader expect.
 * No mouse is plugged into the aux port: bytes sent to it get 0xFE
 * ("resend"), so a mouse driver's probe fails cleanly.
 *
 * Both the output port (command 0xD1) and port 0x92 carry an A20 gate
 * bit; the chipset ORs them.  Here they are only stored and read back:
 * guest RAM does not wrap around at 1 MiB, A20 on or off.  Both can reset
 * the machine; that calls ->reset, which the loader uses to end the run
 * (a reset with no callback is ignored).
 */
#include "devices.h"

/* Status register. */
#define ST_OBF		0x01	/* output buffer full */
#define ST_SYS		0x04	/* system flag */
#define ST_CMD		0x08	/* last write was a command (0x64) */
#define ST_UNLOCKED	0x10	/* keyboard not inhibited by the keylock */
#define ST_AUX_OBF	0x20	/* the output buffer byte is from aux */

/* Command byte (controller RAM byte 0). */
#define CB_KBD_INT	0x01	/* IRQ 1 when keyboard data arrives */
#define CB_AUX_INT	0x02	/* IRQ 12 when aux data arrives */
#define CB_SYS		0x04
#define CB_KBD_OFF	0x10	/* keyboard interface disabled */
#define CB_AUX_OFF	0x20	/* aux interface disabled */
#define CB_XLAT		0x40	/* translate scan codes to set 1 */

/* Output port. */
#define OP_RESET	0x01	/* system reset line, active low */
#define OP_A20		0x02

/* Port 0x92 (PS/2 System Control Port A). */
#define P92_RESET	0x01	/* a 0 -> 1 write resets ("fast reset") */
#define P92_A20		0x02
#define P92_RW		0xcb	/* + password lock 3, disk activity 6-7 */

/* Keyboard replies. */
#define KBD_ACK		0xfa
#define KBD_BAT_OK	0xaa	/* basic assurance test passed */
#define KBD_RESEND	0xfe
#define KBD_ECHO	0xee

static void update_irqs(struct i8042 *k)
{
	bool full = k->count > 0;
	bool aux = full && k->queue[k->head].aux;
	int l1 = full && !aux && (k->ram[0] & CB_KBD_INT);
	int l12 = aux && (k->ram[0] & CB_AUX_INT);

	/* The 8042 drives IRQ 1 / 12 while its output buffer is full. */
	if (l1 != k->irq1_level) {
		k->irq1_level = l1;
		irq_line_set(&k->irq1, l1);
	}
	if (l12 != k->irq12_level) {
		k->irq12_level = l12;
		irq_line_set(&k->irq12, l12);
	}
}

/*
 * Queues a byte for the output buffer.  The controller holds one byte;
 * the rest wait, as a keyboard holds its reply until the controller has
 * room for it.  A full queue drops the byte.
 */
static void push(struct i8042 *k, uint8_t byte, bool aux)
{
	unsigned tail;

	if (k->count == I8042_QUEUE)
		return;
	tail = (k->head + k->count++) % I8042_QUEUE;
	k->queue[tail].byte = byte;
	k->queue[tail].aux = aux;
	update_irqs(k);
}

static void system_reset(struct i8042 *k)
{
	if (k->reset)
		k->reset(k->reset_opaque);
}

static void kbd_reply(struct i8042 *k, uint8_t byte)
{
	k->kbd_last = byte;
	push(k, byte, false);
}

/* A byte for the keyboard (IBM AT keyboard command set). */
static void kbd_write(struct i8042 *k, uint8_t val)
{
	uint8_t cmd = k->kbd_pending;

	/* A command byte where an argument was due is a new command. */
	if (cmd && val < 0xed) {
		k->kbd_pending = 0;
		kbd_reply(k, KBD_ACK);
		if (cmd == 0xf0 && val == 0)	/* which scan code set? */
			kbd_reply(k, 2);
		return;
	}
	k->kbd_pending = 0;
	switch (val) {
	case 0xed:	/* set LEDs */
	case 0xf0:	/* select scan code set */
	case 0xf3:	/* set typematic rate: an argument follows */
		k->kbd_pending = val;
		kbd_reply(k, KBD_ACK);
		break;
	case 0xee:
		kbd_reply(k, KBD_ECHO);
		break;
	case 0xf2:	/* identify: an MF2 keyboard, 0xAB 0x83 */
		kbd_reply(k, KBD_ACK);
		kbd_reply(k, 0xab);
		/* The controller translates 0x83 to set 1's 0x41. */
		kbd_reply(k, (k->ram[0] & CB_XLAT) ? 0x41 : 0x83);
		break;
	case 0xf4:	/* enable */
	case 0xf5:	/* disable */
	case 0xf6:	/* set defaults */
	case 0xf7: case 0xf8: case 0xf9: case 0xfa:
	case 0xfb: case 0xfc: case 0xfd:	/* scan set 3 key types */
		kbd_reply(k, KBD_ACK);
		break;
	case 0xfe:	/* resend the last byte */
		push(k, k->kbd_last, false);
		break;
	case 0xff:	/* reset: ACK, then the self-test result */
		kbd_reply(k, KBD_ACK);
		kbd_reply(k, KBD_BAT_OK);
		break;
	default:
		kbd_reply(k, KBD_RESEND);
		break;
	}
}

static void write_output_port(struct i8042 *k, uint8_t val)
{
	k->out_port = val;
	if (!(val & OP_RESET))
		system_reset(k);
}

static void controller_command(struct i8042 *k, uint8_t cmd)
{
	k->pending = 0;
	if (cmd >= 0x20 && cmd <= 0x3f) {	/* read controller RAM */
		push(k, k->ram[cmd & 0x1f], false);
		return;
	}
	if ((cmd >= 0x60 && cmd <= 0x7f) ||	/* write controller RAM */
	    (cmd >= 0xd1 && cmd <= 0xd4)) {	/* the data byte follows */
		k->pending = cmd;
		return;
	}
	if (cmd >= 0xf0) {
		/*
		 * Pulse output port bits 0-3 low where the command's bits
		 * 0-3 are 0; only bit 0, the reset line, has an effect.
		 */
		if (!(cmd & OP_RESET))
			system_reset(k);
		return;
	}
	switch (cmd) {
	case 0xa7:
		k->ram[0] |= CB_AUX_OFF;
		break;
	case 0xa8:
		k->ram[0] &= ~CB_AUX_OFF;
		break;
	case 0xa9:	/* aux interface test: 0 = no error */
	case 0xab:	/* keyboard interface test */
		push(k, 0x00, false);
		break;
	case 0xaa:	/* self-test: 0x55 = passed, sets the system flag */
		k->sys = true;
		push(k, 0x55, false);
		break;
	case 0xad:
		k->ram[0] |= CB_KBD_OFF;
		break;
	case 0xae:
		k->ram[0] &= ~CB_KBD_OFF;
		break;
	case 0xd0:
		push(k, k->out_port, false);
		break;
	default:
		break;	/* vendor commands: ignored */
	}
	update_irqs(k);
}

static void data_write(struct i8042 *k, uint8_t val)
{
	uint8_t cmd = k->pending;

	k->pending = 0;
	if (!cmd) {
		kbd_write(k, val);
		return;
	}
	if (cmd >= 0x60 && cmd <= 0x7f) {
		k->ram[cmd & 0x1f] = val;
		/* The firmware copies command byte bit 2 to the status. */
		if (cmd == 0x60)
			k->sys = val & CB_SYS;
		update_irqs(k);
		return;
	}
	switch (cmd) {
	case 0xd1:
		write_output_port(k, val);
		break;
	case 0xd2:	/* as if the keyboard had sent it */
		push(k, val, false);
		break;
	case 0xd3:	/* as if the aux device had sent it */
		push(k, val, true);
		break;
	default:	/* 0xd4: to the aux device, which is absent */
		push(k, KBD_RESEND, true);
		break;
	}
}

static uint64_t i8042_read(void *opaque, uint64_t port, unsigned size)
{
	struct i8042 *k = opaque;
	uint8_t st;

	(void)size;
	if (port == I8042_DATA_PORT) {
		/* Reading empties the buffer; an empty one keeps its byte. */
		if (k->count) {
			k->last_read = k->queue[k->head].byte;
			k->head = (k->head + 1) % I8042_QUEUE;
			k->count--;
			update_irqs(k);
		}
		return k->last_read;
	}
	st = ST_UNLOCKED;
	if (k->count)
		st |= ST_OBF | (k->queue[k->head].aux ? ST_AUX_OBF : 0);
	if (k->sys)
		st |= ST_SYS;
	if (k->last_cmd)
		st |= ST_CMD;
	return st;
}

static void i8042_write(void *opaque, uint64_t port, unsigned size,
			uint64_t val)
{
	struct i8042 *k = opaque;

	(void)size;
	k->last_cmd = port == I8042_CMD_PORT;
	if (k->last_cmd)
		controller_command(k, val);
	else
		data_write(k, val);
}

static uint64_t port92_read(void *opaque, uint64_t port, unsigned size)
{
	struct i8042 *k = opaque;

	(void)port;
	(void)size;
	return k->port92;
}

static void port92_write(void *opaque, uint64_t port, unsigned size,
			 uint64_t val)
{
	struct i8042 *k = opaque;
	bool rise = (val & P92_RESET) && !(k->port92 & P92_RESET);

	(void)port;
	(void)size;
	k->port92 = val & P92_RW;
	if (rise)
		system_reset(k);
}

int i8042_attach(struct platform *p, struct i8042 *k)
{
	struct io_region data = {
		.base = I8042_DATA_PORT, .len = 1, .name = "i8042-data",
		.opaque = k, .read = i8042_read, .write = i8042_write,
	};
	struct io_region cmd = data;
	struct io_region p92 = {
		.base = PORT_92, .len = 1, .name = "port92", .opaque = k,
		.read = port92_read, .write = port92_write,
	};

	cmd.base = I8042_CMD_PORT;
	cmd.name = "i8042-cmd";
	/*
	 * As a PC BIOS leaves it after POST: self-test passed (system flag
	 * set), keyboard interrupt on, translation to scan code set 1 on;
	 * reset line high and A20 on (nothing wraps at 1 MiB here anyway).
	 */
	*k = (struct i8042){
		.ram[0] = CB_XLAT | CB_SYS | CB_KBD_INT,
		.out_port = OP_A20 | OP_RESET,
		.sys = true,
	};
	if (platform_add_pio(p, &data) || platform_add_pio(p, &cmd) ||
	    platform_add_pio(p, &p92))
		return -1;
	return 0;
}
