/* SPDX-License-Identifier: MIT */
/* PCI IRQ Routing Table ($PIR, version 1.0) builder for the pc (PIIX3) and q35 (ICH9) machines.
 * Pure: the caller gives the devices and their PIRQ links; this writes the table. */
#ifndef QVM_PIRTABLE_H
#define QVM_PIRTABLE_H

#include <stddef.h>
#include <stdint.h>

#define PIR_SIGNATURE	  0x52495024u /* "$PIR" */
#define PIR_VERSION	  0x0100
#define PIR_LINK_NONE	  0	 /* INTx not connected */
#define PIR_PIIX_LINK_A	  0x60	 /* PIIX3 PIRQRC[A] config register; B-D follow */
#define PIR_PIIX_IRQ_MASK 0x0c20 /* IRQ 5, 10, 11: the DSDT's LNKx _PRS (pc and q35) */
#define PIR_ICH9_LINK_A	  0x60	 /* ICH9 PIRQA_ROUT; B-D follow */
#define PIR_ICH9_LINK_E	  0x68	 /* ICH9 PIRQE_ROUT; F-H follow */
#define PIR_PIIX_VENDOR	  0x8086
#define PIR_PIIX_DEVICE	  0x7000

/* Table header. */
struct pir_header {
	uint32_t signature;
	uint16_t version;
	uint16_t size; /* header plus slots, bytes */
	uint8_t router_bus;
	uint8_t router_devfn;
	uint16_t exclusive_irqs;
	uint16_t router_vendor;
	uint16_t router_device;
	uint32_t miniport_data;
	uint8_t reserved[11];
	uint8_t checksum;
} __attribute__((packed));
_Static_assert(sizeof(struct pir_header) == 32, "$PIR header is 32 bytes");

/* INTx link and the IRQs it may be routed to. */
struct pir_link {
	uint8_t link;
	uint16_t bitmap;
} __attribute__((packed));
_Static_assert(sizeof(struct pir_link) == 3, "$PIR link entry is 3 bytes");

/* One device (or slot) entry. */
struct pir_slot {
	uint8_t bus;
	uint8_t devfn; /* device << 3 */
	struct pir_link links[4];
	uint8_t slot; /* 0: built-in device */
	uint8_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct pir_slot) == 16, "$PIR slot entry is 16 bytes");

/* One device found by the PCI code. */
struct pir_device {
	uint8_t bus;
	uint8_t dev;
	uint8_t slot;	 /* physical slot number, 0 for built-in */
	uint8_t link[4]; /* INTA..INTD link values, PIR_LINK_NONE if not wired */
};

struct pir_input {
	uint8_t router_bus;
	uint8_t router_devfn; /* PIIX3: 00:01.0 → 0x08 */
	uint16_t router_vendor;
	uint16_t router_device;
	uint16_t irq_mask;	 /* IRQs every link may use */
	uint16_t exclusive_irqs; /* IRQs reserved for PCI: 0 */
	const struct pir_device *devices;
	unsigned int device_count;
};

#define PIR_ERR_SPACE (-1)
#define PIR_ERR_INPUT (-2)

/* PIIX3 link value for INTx (pin 0 = INTA) of device dev on bus 0 (PIRQ swizzle). */
uint8_t pir_piix_link(uint8_t dev, uint8_t pin);
/* ICH9 link value for INTx of device dev on bus 0: QEMU wires slots 0-24 to PIRQ E-H
 * ((dev + pin) mod 4) and slots 25-31 to PIRQ A-D by pin. */
uint8_t pir_ich9_link(uint8_t dev, uint8_t pin);
/* Bytes the table for in takes. */
size_t pir_size(const struct pir_input *in);
/* Write the table to buf; return the bytes used or a negative PIR_ERR_*. */
int pir_build(const struct pir_input *in, void *buf, size_t size);

#endif
