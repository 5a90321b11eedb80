package dev.jvmx.runtime.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The smallest Multiboot (v1) ELF32 kernel around a body of bytes: an ELF header, one PT_LOAD
 * program header that loads the whole file at 1 MiB, the Multiboot header (no flags) at offset
 * 84, and the body at {@link #BODY} (file offset 4096), which is also the entry point.
 */
public final class MultibootImage {
    /** Where the file is loaded. */
    public static final int LOAD = 0x100000;
    /** Where the body starts, and the entry point. */
    public static final int BODY = LOAD + 0x1000;

    private MultibootImage() { }

    public static byte[] of(byte[] body) {
        int size = 0x1000 + body.length;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1});
        b.putShort(16, (short) 2).putShort(18, (short) 3).putInt(20, 1);  // ET_EXEC, EM_386, EV_CURRENT
        b.putInt(24, BODY).putInt(28, 52);                                // e_entry, e_phoff
        b.putShort(40, (short) 52).putShort(42, (short) 32).putShort(44, (short) 1);
        b.putInt(52, 1).putInt(56, 0).putInt(60, LOAD).putInt(64, LOAD)  // PT_LOAD: the file at 1 MiB, RWX
                .putInt(68, size).putInt(72, size).putInt(76, 7).putInt(80, 0x1000);
        int magic = 0x1BADB002;
        b.putInt(84, magic).putInt(88, 0).putInt(92, -magic);
        b.put(0x1000, body);
        return b.array();
    }
}
