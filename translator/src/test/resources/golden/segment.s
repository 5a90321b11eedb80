# SEGMENT: in real mode, MOV to ES after a MOV of the selector: the base becomes selector*16;
# a segment load ends the block.
# mode: real16
mov ax, 0x2000
mov es, ax
