/* USB-like descriptors: byte-packed records with little-endian 16-bit fields at odd offsets,
 * declared both with `#pragma pack` and with the packed attribute. */
#ifndef STRUCTGEN_EXAMPLE_USB_DESC_H
#define STRUCTGEN_EXAMPLE_USB_DESC_H

#include <stdint.h>

typedef uint16_t __le16;
typedef uint32_t __le32;

#define USB_DT_DEVICE 0x01
#define USB_DT_CONFIG 0x02
#define USB_DT_STRING 0x03
#define USB_DT_INTERFACE 0x04
#define USB_DT_ENDPOINT 0x05

#define USB_DIR_IN 0x80
#define USB_ENDPOINT_XFER_MASK 0x03

enum usb_endpoint_xfer { USB_XFER_CONTROL = 0, USB_XFER_ISOC = 1, USB_XFER_BULK = 2, USB_XFER_INT = 3 };

#pragma pack(push, 1)
struct usb_device_desc {
  uint8_t bLength;
  uint8_t bDescriptorType;
  __le16 bcdUSB;
  uint8_t bDeviceClass;
  uint8_t bDeviceSubClass;
  uint8_t bDeviceProtocol;
  uint8_t bMaxPacketSize0;
  __le16 idVendor;
  __le16 idProduct;
  __le16 bcdDevice;
  uint8_t iManufacturer;
  uint8_t iProduct;
  uint8_t iSerialNumber;
  uint8_t bNumConfigurations;
};

struct usb_config_desc {
  uint8_t bLength;
  uint8_t bDescriptorType;
  __le16 wTotalLength;
  uint8_t bNumInterfaces;
  uint8_t bConfigurationValue;
  uint8_t iConfiguration;
  uint8_t bmAttributes;
  uint8_t bMaxPower;
};
#pragma pack(pop)

struct usb_endpoint_desc {
  uint8_t bLength;
  uint8_t bDescriptorType;
  uint8_t bEndpointAddress;
  uint8_t bmAttributes;
  __le16 wMaxPacketSize;
  uint8_t bInterval;
} __attribute__((packed));

struct usb_setup_packet {
  uint8_t bmRequestType;
  uint8_t bRequest;
  __le16 wValue;
  __le16 wIndex;
  __le16 wLength;
} __attribute__((packed));

struct usb_string_desc {
  uint8_t bLength;
  uint8_t bDescriptorType;
  __le16 wData[];
} __attribute__((packed));

#endif
