# MULDIV: the three-operand IMUL, the one-operand MUL (EDX:EAX), and DIV, which raises #DE
# on a zero divisor or a quotient that does not fit.
# mode: prot32 flat, cpl 0
imul eax, ecx, 10
mul ecx
div ebx
