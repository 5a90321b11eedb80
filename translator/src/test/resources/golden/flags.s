# FLAGS: STC and CMC (CF only), LAHF (reads SF ZF AF PF CF from the lazy flags), CLD (DF).
# mode: prot32 flat, cpl 0
stc
cmc
lahf
cld
