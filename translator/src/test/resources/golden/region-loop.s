# A region of two blocks with a back edge: the loop head leaves at JAE (a forward exit), the
# second block's JNZ goes back to the head through the shared budget and interrupt check, so
# the guest loop is a JVM loop.
# mode: prot32 flat, cpl 0
# tier: region
top:
add eax, ecx
cmp eax, 1000
jae done
dec ecx
jnz top
done:
