# bzprobe.bin: a minimal Linux bzImage (boot protocol 2.15) that reports what its loader gave
# it on port 0xE9 and powers off through ACPI (src/bzprobe/bzprobe.S). Included from the
# guest-images Makefile, or on its own from guest-images/: make -f src/bzprobe/bzprobe.mk
#
# bzprobe.expected and bzprobe-reboot.expected are NOT built by `all`: they are QEMU's
# debug-console output for the boot, and for the boot with "reboot" on the command line (reset
# once, then boot again), recorded by `make -f src/bzprobe/bzprobe.mk bzprobe-expected` (needs
# qemu-system-i386, Debian's seabios, QEMU's default BIOS, and QEMU's linuxboot option ROM).

OUT     ?= images
BUILD   ?= target/image-build
AS      ?= as
LD      ?= ld
OBJCOPY ?= objcopy
ASFLAGS ?= --32

BZPROBE_LDFLAGS := -m elf_i386 -nostdlib -static --build-id=none -z noexecstack \
                   --no-warn-rwx-segments

.PHONY: bzprobe bzprobe-expected

bzprobe: $(OUT)/bzprobe.bin $(OUT)/bzprobe-initrd.bin

$(BUILD)/bzprobe.o: src/bzprobe/bzprobe.S
	mkdir -p $(BUILD)
	$(AS) $(ASFLAGS) -o $@ $<

$(BUILD)/bzprobe.elf: src/bzprobe/bzprobe.ld $(BUILD)/bzprobe.o
	$(LD) $(BZPROBE_LDFLAGS) -T $< -o $@ $(BUILD)/bzprobe.o

$(OUT)/bzprobe.bin: $(BUILD)/bzprobe.elf
	mkdir -p $(OUT)
	$(OBJCOPY) -O binary $< $@

# A 12345-byte initrd of a fixed pattern (byte i = i * 7 mod 251), so its sum is known.
$(OUT)/bzprobe-initrd.bin:
	mkdir -p $(OUT)
	LC_ALL=C awk 'BEGIN { for (i = 0; i < 12345; i++) printf "%c", (i * 7) % 251 }' > $@
	test $$(wc -c < $@) -eq 12345

BZPROBE_CMDLINE := console=ttyS0 bzprobe=1

# $(call bzprobe_expected,CMDLINE,OUTPUT)
define bzprobe_expected
	{ printf 'image: bzprobe.bin\n'; \
	  printf 'load: --bios /usr/share/seabios/bios.bin --kernel bzprobe.bin --initrd bzprobe-initrd.bin --append "$(1)" -m 128\n'; \
	  printf 'output: debugcon (port 0xE9)\n'; \
	  printf 'end: ACPI soft off (QEMU exits 0)\n'; \
	  printf 'qemu-exit-status: 0\n'; \
	  printf 'oracle: qemu-system-i386 -accel tcg -display none -serial none -debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=4 -m 128 -kernel bzprobe.bin -initrd bzprobe-initrd.bin -append "$(1)"\n\n'; \
	  timeout 60 qemu-system-i386 -accel tcg -display none -serial none -debugcon stdio \
	    -device isa-debug-exit,iobase=0xf4,iosize=4 -m 128 \
	    -kernel $(OUT)/bzprobe.bin -initrd $(OUT)/bzprobe-initrd.bin -append "$(1)"; \
	  test $$? -eq 0; } > $(2)
endef

bzprobe-expected: $(OUT)/bzprobe.bin $(OUT)/bzprobe-initrd.bin
	$(call bzprobe_expected,$(BZPROBE_CMDLINE),$(OUT)/bzprobe.expected)
	$(call bzprobe_expected,$(BZPROBE_CMDLINE) reboot,$(OUT)/bzprobe-reboot.expected)
