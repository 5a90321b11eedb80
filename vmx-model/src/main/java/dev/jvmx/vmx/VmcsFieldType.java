package dev.jvmx.vmx;

/** Bits 11:10 of a VMCS field encoding (SDM Vol. 3C, "VMCS Field Encoding"), in encoding order. */
public enum VmcsFieldType {
    CONTROL, EXIT_INFORMATION, GUEST_STATE, HOST_STATE;

    static VmcsFieldType ofEncoding(int encoding) {
        return values()[(encoding >>> 10) & 3];
    }
}
