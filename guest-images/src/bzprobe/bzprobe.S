/*
 * bzprobe: a minimal kernel in the Linux bzImage format (Documentation/arch/x86/boot.rst) that
 * reports what its loader handed it, on the debug console (port 0xE9), then powers the machine
 * off through the ACPI tables it finds, as Linux would. Booted two ways:
 *  - with a BIOS (QEMU -kernel, jvmx --bios ... --kernel): the loader (QEMU's linuxboot option
 *    ROM) runs the real-mode setup below at 0x10200; it fills the e820 map with INT 15h E820,
 *    enters protected mode with the boot protocol's segments and jumps to code32_start with ESI
 *    at the setup (whose header is the zero page's) -- what Linux's own setup does, in short;
 *  - without one (jvmx --kernel): the loader enters code32_start itself, ESI at its zero page.
 * Everything after "probe:" is what the loader decided; the report is the same under QEMU and
 * jvmx with a BIOS, byte for byte, but for the firmware's memory map.
 */
	ZP = 0x1000			/* the zero page's offset in the setup segment */
	MARK = 0x800000			/* "rebooted once" (see want_reboot's caller) */
	.section .setup, "ax"
	.code16
	.globl _start
_start:
	.fill 0x1f1, 1, 0
	.byte 1				/* 0x1F1 setup_sects */
	.word 0				/* 0x1F2 root_flags */
	.long _syssize			/* 0x1F4 syssize: protected-mode code in 16-byte units */
	.word 0				/* 0x1F8 ram_size */
	.word 0xffff			/* 0x1FA vid_mode: normal */
	.word 0				/* 0x1FC root_dev */
	.word 0xaa55			/* 0x1FE boot_flag */
	.byte 0xeb, setup - 0x202	/* 0x200 jump; the header ends where it lands */
	.ascii "HdrS"			/* 0x202 header */
	.word 0x020f			/* 0x206 version 2.15 */
	.long 0				/* 0x208 realmode_swtch */
	.word 0x1000			/* 0x20C start_sys_seg */
	.word 0				/* 0x20E kernel_version */
	.byte 0				/* 0x210 type_of_loader */
	.byte 0x01			/* 0x211 loadflags: LOADED_HIGH */
	.word 0x8000			/* 0x212 setup_move_size */
	.long 0x100000			/* 0x214 code32_start */
	.long 0				/* 0x218 ramdisk_image */
	.long 0				/* 0x21C ramdisk_size */
	.long 0				/* 0x220 bootsect_kludge */
	.word 0				/* 0x224 heap_end_ptr */
	.byte 0				/* 0x226 ext_loader_ver */
	.byte 0				/* 0x227 ext_loader_type */
	.long 0				/* 0x228 cmd_line_ptr */
	.long 0x37ffffff		/* 0x22C initrd_addr_max */
	.long 0x200000			/* 0x230 kernel_alignment */
	.byte 0				/* 0x234 relocatable_kernel */
	.byte 0				/* 0x235 min_alignment */
	.word 0				/* 0x236 xloadflags */
	.long 255			/* 0x238 cmdline_size */
	.long 0				/* 0x23C hardware_subarch */
	.quad 0				/* 0x240 hardware_subarch_data */
	.long 0				/* 0x248 payload_offset */
	.long 0				/* 0x24C payload_length */
	.quad 0				/* 0x250 setup_data */
	.quad 0x100000			/* 0x258 pref_address */
	.long _init_size		/* 0x260 init_size */
	.long 0				/* 0x264 handover_offset */
	.long 0				/* 0x268 kernel_info_offset */
setup:					/* 0x26C: real mode, CS = setup segment + 0x20 */
	cli
	cld
	mov	%cs, %ax
	sub	$0x20, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$0xfff0, %sp
	/* The zero page at offset ZP of this segment: zeroed, then the setup header copied in. */
	mov	$ZP, %di
	xor	%ax, %ax
	mov	$2048, %cx
	rep stosw
	mov	$0x1f1, %si
	mov	$ZP + 0x1f1, %di
	mov	$setup - 0x1f1, %cx
	rep movsb
	/* The e820 map into it: entries at 0x2D0, their count at 0x1E8. */
	xor	%ebx, %ebx
	mov	$ZP + 0x2d0, %di
1:	mov	$0xe820, %eax
	mov	$20, %ecx
	mov	$0x534d4150, %edx	/* "SMAP" */
	int	$0x15
	jc	2f
	cmp	$0x534d4150, %eax
	jne	2f
	incb	ZP + 0x1e8
	add	$20, %di
	cmpb	$128, ZP + 0x1e8
	jae	2f
	test	%ebx, %ebx
	jnz	1b
2:	/* The boot protocol's GDT (0x10 code, 0x18 data, both flat), then protected mode. */
	xor	%ebp, %ebp
	mov	%ds, %bp
	shl	$4, %ebp		/* EBP: this segment's base */
	lea	ZP(%ebp), %esi		/* ESI: the zero page */
	lea	gdt(%ebp), %eax
	mov	%eax, gdt_desc + 2
	lgdtl	gdt_desc
	mov	%cr0, %eax
	or	$1, %eax
	mov	%eax, %cr0
	mov	$0x18, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %fs
	mov	%ax, %gs
	lea	0xfff0(%ebp), %esp
	mov	%ax, %ss
	addr32 movl 0x214(%esi), %edx	/* code32_start */
	xor	%ebx, %ebx
	xor	%ebp, %ebp
	xor	%edi, %edi
	pushl	$0x10
	pushl	%edx
	lretl
	.balign 8
gdt:	.quad 0, 0
	.quad 0x00cf9b000000ffff	/* 0x10 __BOOT_CS */
	.quad 0x00cf93000000ffff	/* 0x18 __BOOT_DS */
gdt_desc:
	.word 31
	.long 0
	.org 0x400

/* ---- the protected-mode kernel, at 0x100000 ---------------------------------------------- */
	.text
	.code32
kernel_entry:
	/* The entry state first, before anything changes it. */
	mov	%esi, zp
	mov	%ebx, r_ebx
	mov	%ebp, r_ebp
	mov	%edi, r_edi
	pushfl
	popl	r_eflags
	mov	%cr0, %eax
	mov	%eax, r_cr0
	mov	$stack_top, %esp
	/* The kernel's own bytes as loaded (variables live in .bss, after them). */
	mov	$_kernel_start, %esi
	mov	$_kernel_end, %ecx
	call	sum
	mov	%eax, r_ksum

	lea	s_entry, %edi ; call puts
	xor	%eax, %eax ; mov %cs, %ax ; call puthex
	lea	s_ds, %edi ; call puts
	xor	%eax, %eax ; mov %ds, %ax ; call puthex
	lea	s_es, %edi ; call puts
	xor	%eax, %eax ; mov %es, %ax ; call puthex
	lea	s_ss, %edi ; call puts
	xor	%eax, %eax ; mov %ss, %ax ; call puthex
	lea	s_ebx, %edi ; call puts
	mov	r_ebx, %eax ; call puthex
	lea	s_ebp, %edi ; call puts
	mov	r_ebp, %eax ; call puthex
	lea	s_edi, %edi ; call puts
	mov	r_edi, %eax ; call puthex
	lea	s_if, %edi ; call puts
	mov	r_eflags, %eax ; and $0x200, %eax ; call puthex
	lea	s_cr0, %edi ; call puts
	mov	r_cr0, %eax ; and $0x80000001, %eax ; call puthex
	call	newline

	lea	s_zp, %edi ; call puts
	mov	zp, %eax ; call puthex
	call	newline

	mov	zp, %ebx
	lea	s_loader, %edi ; call puts
	movzbl	0x210(%ebx), %eax ; call puthex
	lea	s_loadflags, %edi ; call puts
	movzbl	0x211(%ebx), %eax ; call puthex
	lea	s_code32, %edi ; call puts
	mov	0x214(%ebx), %eax ; call puthex
	call	newline

	lea	s_cmdline, %edi ; call puts
	mov	0x228(%ebx), %eax ; call puthex
	mov	$' ', %al ; call putc
	mov	$'"', %al ; call putc
	mov	0x228(%ebx), %edi
	test	%edi, %edi
	jz	1f
	mov	$256, %ecx
2:	mov	(%edi), %al
	test	%al, %al
	jz	1f
	call	putc
	inc	%edi
	loop	2b
1:	mov	$'"', %al ; call putc
	call	newline

	lea	s_initrd, %edi ; call puts
	mov	0x218(%ebx), %eax ; call puthex
	lea	s_size, %edi ; call puts
	mov	0x21c(%ebx), %eax ; call puthex
	lea	s_sum, %edi ; call puts
	mov	0x218(%ebx), %esi
	mov	%esi, %ecx
	add	0x21c(%ebx), %ecx
	call	sum
	call	puthex
	call	newline

	lea	s_ksum, %edi ; call puts
	mov	r_ksum, %eax ; call puthex
	call	newline

	/* e820 */
	movzbl	0x1e8(%ebx), %ecx
	lea	s_e820n, %edi ; call puts
	mov	%ecx, %eax ; call puthex
	call	newline
	lea	0x2d0(%ebx), %esi
	test	%ecx, %ecx
	jz	4f
3:	lea	s_e820, %edi ; call puts
	mov	4(%esi), %eax ; call puthex
	mov	(%esi), %eax ; call puthex
	mov	$' ', %al ; call putc
	mov	12(%esi), %eax ; call puthex
	mov	8(%esi), %eax ; call puthex
	mov	$' ', %al ; call putc
	mov	16(%esi), %eax ; call puthex
	call	newline
	add	$20, %esi
	loop	3b
4:
	/* ACPI: the RSDP on a 16-byte boundary in 0xE0000-0xFFFFF, its RSDT, the FADT in it. */
	mov	$0xe0000, %esi
5:	cmpl	$0x20445352, (%esi)	/* "RSD " */
	jne	6f
	cmpl	$0x20525450, 4(%esi)	/* "PTR " */
	je	7f
6:	add	$16, %esi
	cmp	$0x100000, %esi
	jb	5b
	lea	s_noacpi, %edi ; call puts
	jmp	halt_exit
7:	mov	16(%esi), %esi		/* RSDT */
	mov	4(%esi), %ecx
	sub	$36, %ecx
	shr	$2, %ecx
	lea	36(%esi), %edx
8:	mov	(%edx), %eax
	cmpl	$0x50434146, (%eax)	/* "FACP" */
	je	9f
	add	$4, %edx
	loop	8b
	lea	s_nofadt, %edi ; call puts
	jmp	halt_exit
9:	mov	%eax, %esi
	lea	s_fadt, %edi ; call puts
	movzwl	46(%esi), %eax ; call puthex	/* SCI_INT */
	lea	s_pm1a, %edi ; call puts
	mov	64(%esi), %eax ; call puthex	/* PM1a_CNT_BLK */
	call	newline
	/* "reboot" on the command line: the first boot resets the machine, the second goes on. The
	 * mark is at 8 MiB, which neither loader nor firmware uses; a reset keeps RAM. */
	call	want_reboot
	jz	10f
	cmpl	$0x52425a42, MARK
	je	11f
	movl	$0x52425a42, MARK
	lea	s_reset, %edi ; call puts
	/* The FADT's reset register where it has one (revision 2+, RESET_REG_SUP, system I/O),
	 * else the PIIX's reset control register: a hard reset either way. */
	cmpl	$129, 4(%esi)
	jb	12f
	testl	$0x400, 112(%esi)
	jz	12f
	cmpb	$1, 116(%esi)
	jne	12f
	mov	120(%esi), %edx
	movb	128(%esi), %al
	outb	%al, %dx
	jmp	13f
12:	mov	$0xcf9, %dx
	mov	$6, %al
	outb	%al, %dx
13:	mov	%esi, %ebp
	call	wait_1s
	lea	s_noreset, %edi ; call puts
	jmp	halt_exit
11:	lea	s_again, %edi ; call puts
10:
	lea	s_off, %edi ; call puts
	mov	64(%esi), %edx
	mov	$0x2000, %ax			/* SLP_EN, SLP_TYP 0: the PIIX4's soft off (\_S5) */
	outw	%ax, %dx
	/* A machine may take a moment to act on it (QEMU's request is asynchronous). */
	mov	%esi, %ebp
	call	wait_1s
	lea	s_still, %edi ; call puts
halt_exit:
	mov	$0x31, %al
	outb	%al, $0xf4
	cli
	hlt

/* Waits 1 s of the PM timer of the FADT at EBP (3579545 ticks of a 24-bit counter). */
wait_1s:
	mov	76(%ebp), %edx		/* PM_TMR_BLK */
	in	%dx, %eax
	and	$0xffffff, %eax
	mov	%eax, %ebx
	xor	%ecx, %ecx
1:	in	%dx, %eax
	and	$0xffffff, %eax
	mov	%eax, %edi
	sub	%ebx, %edi
	and	$0xffffff, %edi		/* ticks since the last read */
	add	%edi, %ecx
	mov	%eax, %ebx
	cmp	$3579545, %ecx
	jb	1b
	ret

/* ZF clear if the command line holds "reboot" */
want_reboot:
	push	%esi
	mov	zp, %esi
	mov	0x228(%esi), %esi
	test	%esi, %esi
	jz	3f
1:	cmpb	$0, (%esi)
	je	3f
	lea	s_reboot, %edi
	mov	%esi, %edx
2:	mov	(%edi), %al
	test	%al, %al
	jz	4f			/* the whole word matched */
	cmp	(%edx), %al
	jne	5f
	inc	%edi
	inc	%edx
	jmp	2b
5:	inc	%esi
	jmp	1b
4:	pop	%esi
	or	$1, %eax		/* ZF clear */
	ret
3:	pop	%esi
	xor	%eax, %eax		/* ZF set */
	ret

/* EAX := byte sum of [ESI, ECX) */
sum:	xor	%eax, %eax
	xor	%edx, %edx
1:	cmp	%ecx, %esi
	jae	2f
	movzbl	(%esi), %edx
	add	%edx, %eax
	inc	%esi
	jmp	1b
2:	ret

putc:	outb	%al, $0xe9
	ret

newline:
	mov	$'\n', %al
	jmp	putc

/* the NUL-terminated string at EDI */
puts:	push	%eax
1:	mov	(%edi), %al
	test	%al, %al
	jz	2f
	call	putc
	inc	%edi
	jmp	1b
2:	pop	%eax
	ret

/* EAX as 8 hex digits */
puthex:	push	%ecx
	push	%eax
	mov	$8, %ecx
1:	rol	$4, %eax
	push	%eax
	and	$0xf, %eax
	mov	hexdigits(%eax), %al
	call	putc
	pop	%eax
	loop	1b
	pop	%eax
	pop	%ecx
	ret

	.section .rodata
hexdigits:	.ascii "0123456789abcdef"
s_entry:	.asciz "probe: entry cs="
s_ds:		.asciz " ds="
s_es:		.asciz " es="
s_ss:		.asciz " ss="
s_ebx:		.asciz " ebx="
s_ebp:		.asciz " ebp="
s_edi:		.asciz " edi="
s_if:		.asciz " if="
s_cr0:		.asciz " cr0.pg|pe="
s_zp:		.asciz "probe: zero page "
s_loader:	.asciz "probe: type_of_loader="
s_loadflags:	.asciz " loadflags="
s_code32:	.asciz " code32_start="
s_cmdline:	.asciz "probe: cmdline "
s_initrd:	.asciz "probe: initrd "
s_size:		.asciz " size="
s_sum:		.asciz " sum="
s_ksum:		.asciz "probe: kernel sum="
s_e820n:	.asciz "probe: e820 entries "
s_e820:		.asciz "probe: e820 "
s_noacpi:	.asciz "probe: no RSDP\n"
s_nofadt:	.asciz "probe: no FADT\n"
s_fadt:		.asciz "probe: fadt sci="
s_pm1a:		.asciz " pm1a_cnt="
s_off:		.asciz "probe: powering off\n"
s_still:	.asciz "probe: still running after S5\n"
s_reboot:	.asciz "reboot"
s_reset:	.asciz "probe: resetting\n"
s_noreset:	.asciz "probe: still running after the reset\n"
s_again:	.asciz "probe: booted again after the reset\n"

	.bss
	.balign 16
zp:		.long 0
r_ebx:		.long 0
r_ebp:		.long 0
r_edi:		.long 0
r_eflags:	.long 0
r_cr0:		.long 0
r_ksum:		.long 0
	.balign 16
	.fill 4096, 1, 0
stack_top:
