# SHIFT: SHL by an immediate, SAR by CL (a count of 0 leaves the flags), SHLD.
# mode: prot32 flat, cpl 0
shl eax, 3
sar edx, cl
shld eax, edx, 4
