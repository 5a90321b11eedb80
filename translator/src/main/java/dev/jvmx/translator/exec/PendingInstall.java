package dev.jvmx.translator.exec;

import java.lang.reflect.Method;

/**
 * A translation that waits for HotSpot to compile its method before it is put in place
 * ({@link HotSpotCompiles}): its block runs as before meanwhile (in the first tier, or its
 * translation alone when a region waits) and asks now and then whether {@code method} is
 * compiled. {@code install} puts it in place; {@code abandon} undoes what waiting holds when the
 * block is dropped first (a region's claim on its members). {@code since} is the block's
 * execution count when it began to wait.
 */
record PendingInstall(Method method, Runnable install, Runnable abandon, long since) {
    /**
     * Leaves {@code b} waiting for HotSpot to compile {@code compiling} (the method
     * {@link HotSpotCompiles#request} queued), with {@code install} and {@code abandon}. False
     * when nothing was queued (no request, or HotSpot did not take it): put it in place now.
     */
    static boolean await(Block b, Method compiling, Runnable install, Runnable abandon) {
        if (compiling == null) {
            return false;
        }
        b.pending = new PendingInstall(compiling, install, abandon, b.execCount);
        return true;
    }
}
