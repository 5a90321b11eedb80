# BCD: DAA after an ADD of packed BCD digits, and AAM (an immediate base; #DE when it is 0).
# mode: prot32 flat, cpl 0
add al, bl
daa
aam 10
