# cdboot.bin: an El Torito no-emulation boot image (src/cdboot/cdboot.S), 2048 bytes.
# Included from the guest-images Makefile. The ISO around it is made by the test that
# uses it (xorriso, with a HELLO.TXT it writes), and checked against QEMU there.

$(BUILD)/cdboot.o: src/cdboot/cdboot.S | $(BUILD)
	$(AS) $(ASFLAGS) -o $@ $<

$(BUILD)/cdboot.elf: src/bootdisk/bootdisk.ld $(BUILD)/cdboot.o
	$(LD) -m elf_i386 -nostdlib -static --build-id=none -z noexecstack --no-warn-rwx-segments \
	    -T $< -o $@ $(BUILD)/cdboot.o

$(OUT)/cdboot.bin: $(BUILD)/cdboot.elf | $(OUT)
	$(OBJCOPY) -O binary $< $@
	test $$(wc -c < $@) -eq 2048
