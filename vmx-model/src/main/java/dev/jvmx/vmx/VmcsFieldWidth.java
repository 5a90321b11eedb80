package dev.jvmx.vmx;

/** Bits 14:13 of a VMCS field encoding (SDM Vol. 3C, "VMCS Field Encoding"), in encoding order. */
public enum VmcsFieldWidth {
    BITS_16, BITS_64, BITS_32, NATURAL;

    static VmcsFieldWidth ofEncoding(int encoding) {
        return values()[(encoding >>> 13) & 3];
    }
}
