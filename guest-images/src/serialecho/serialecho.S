/*
 * serialecho: a Multiboot kernel that copies what arrives on COM1 to the debug console (port
 * 0xE9), byte for byte, control characters included, until it reads 'q'; then it prints
 * "echo: done" and writes 0x10 to isa-debug-exit (exit code 33). Tests type into it through
 * the serial back-end (a pipe on standard input, as QEMU's -serial stdio takes one).
 */
	.set MB_MAGIC, 0x1BADB002
	.set MB_FLAGS, 0
	.set COM1, 0x3f8

	.section .multiboot, "a"
	.p2align 2
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.text
	.globl _start
_start:
	cli
	/* 8N1, divisor 1 (115200 baud), DTR and RTS. The FIFO control register is left alone:
	 * changing its FIFO-enable bit would discard input that may already be waiting. */
	mov	$COM1 + 3, %dx ; mov $0x80, %al ; out %al, %dx
	mov	$COM1, %dx     ; mov $0x01, %al ; out %al, %dx
	mov	$COM1 + 1, %dx ; mov $0x00, %al ; out %al, %dx
	mov	$COM1 + 3, %dx ; mov $0x03, %al ; out %al, %dx
	mov	$COM1 + 4, %dx ; mov $0x03, %al ; out %al, %dx
	mov	$ready, %esi
	call	puts
1:	mov	$COM1 + 5, %dx		/* LSR: wait for Data Ready */
	in	%dx, %al
	test	$1, %al
	jz	1b
	mov	$COM1, %dx
	in	%dx, %al
	cmp	$'q', %al
	je	2f
	out	%al, $0xe9
	jmp	1b
2:	mov	$done, %esi
	call	puts
	mov	$0x10, %al
	out	%al, $0xf4
	cli
	hlt

puts:	lodsb
	test	%al, %al
	jz	1f
	out	%al, $0xe9
	jmp	puts
1:	ret

	.section .rodata
ready:	.asciz "echo: ready\n"
done:	.asciz "\necho: done\n"
