# bootdisk.img: a two-stage BIOS boot disk (src/bootdisk/bootdisk.S).
# Included from the guest-images Makefile (add $(OUT)/bootdisk.img to IMAGES),
# or run on its own from guest-images/: make -f src/bootdisk/bootdisk.mk
#
# bootdisk.expected is NOT built by `all`: it is QEMU's serial output, recorded
# by `make -f src/bootdisk/bootdisk.mk bootdisk-expected` (needs qemu-system-i386
# and Debian's seabios, QEMU's default BIOS).

OUT     ?= images
BUILD   ?= target/image-build
AS      ?= as
LD      ?= ld
OBJCOPY ?= objcopy
ASFLAGS ?= --32

BOOTDISK_LDFLAGS := -m elf_i386 -nostdlib -static --build-id=none -z noexecstack \
                    --no-warn-rwx-segments

.PHONY: bootdisk bootdisk-expected

bootdisk: $(OUT)/bootdisk.img

$(BUILD)/bootdisk.o: src/bootdisk/bootdisk.S
	mkdir -p $(BUILD)
	$(AS) $(ASFLAGS) -o $@ $<

$(BUILD)/bootdisk.elf: src/bootdisk/bootdisk.ld $(BUILD)/bootdisk.o
	$(LD) $(BOOTDISK_LDFLAGS) -T $< -o $@ $(BUILD)/bootdisk.o

# Three sectors: the boot sector (55 AA at 510) and the two of stage 2.
$(OUT)/bootdisk.img: $(BUILD)/bootdisk.elf
	mkdir -p $(OUT)
	$(OBJCOPY) -O binary $< $@
	test $$(wc -c < $@) -eq 1536

# The oracle: QEMU with SeaBIOS and no NIC (no iPXE ROM), the devices jvmx has
# (its ACPI tables included: they decide the top of RAM SeaBIOS reserves). The
# serial output after the header is what jvmx must print.
bootdisk-expected: $(OUT)/bootdisk.img
	{ printf 'image: bootdisk.img\n'; \
	  printf 'load: --bios /usr/share/seabios/bios.bin --drive file=bootdisk.img,format=raw (SeaBIOS boots it from the IDE disk)\n'; \
	  printf 'output: serial (16550 COM1, 0x3F8); the same text on the VGA screen through INT 10h\n'; \
	  printf 'end: debug-exit (port 0xF4)\n'; \
	  printf 'debug-exit-value: 16\n'; \
	  printf 'qemu-exit-status: 33\n'; \
	  printf 'oracle: qemu-system-i386 -accel tcg -display none -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=4 -drive file=bootdisk.img,format=raw -m 128 -nic none\n\n'; \
	  cp $(OUT)/bootdisk.img $(BUILD)/bootdisk-qemu.img; \
	  timeout 60 qemu-system-i386 -accel tcg -display none -serial stdio \
	    -device isa-debug-exit,iobase=0xf4,iosize=4 \
	    -drive file=$(BUILD)/bootdisk-qemu.img,format=raw -m 128 -nic none; \
	  test $$? -eq 33; } > $(OUT)/bootdisk.expected
