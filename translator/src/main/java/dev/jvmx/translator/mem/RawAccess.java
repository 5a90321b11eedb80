package dev.jvmx.translator.mem;

import java.lang.reflect.Field;
import java.nio.ByteOrder;

/**
 * sun.misc.Unsafe for the RAM array's 16- and 32-bit accesses ({@link PhysicalMemory#ram32} ...),
 * where it gives them: on a little-endian host (the guest's byte order), while the JDK lets it
 * access memory (JDK 24 on warn about it, which the launcher turns off; a later JDK may refuse
 * it), and unless {@code -Djvmx.noUnsafe=true}. Elsewhere the accesses use the VarHandle views.
 */
final class RawAccess {
    private RawAccess() { }

    /** The instance, or null where it is not to be used. */
    static sun.misc.Unsafe unsafe() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN || Boolean.getBoolean("jvmx.noUnsafe")) {
            return null;
        }
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
            // One access of each kind, checked: a JDK that refuses them throws here, not in a guest.
            byte[] probe = {0x11, 0x22, 0x33, 0x44};
            long base = u.arrayBaseOffset(byte[].class);
            u.putShort(probe, base, (short) 0x2211);
            u.putInt(probe, base, u.getInt(probe, base));
            return u.getInt(probe, base) == 0x44332211 && (u.getShort(probe, base + 2) & 0xFFFF) == 0x4433 ? u : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
