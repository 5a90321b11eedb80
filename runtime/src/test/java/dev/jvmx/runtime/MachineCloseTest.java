package dev.jvmx.runtime;

import dev.jvmx.devices.chr.NullSink;
import dev.jvmx.translator.exec.StopReason;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A closed machine lets go of everything: its translation thread ends, and its RAM can be
 * collected. (In one JVM that runs machine after machine, as the fuzzers and the tests do, a
 * thread left waiting for translation jobs kept each machine's RAM alive until the heap ran out.)
 */
class MachineCloseTest {
    private static long translatorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("jvmx-translator")).count();
    }

    @Test
    void closingTheMachineEndsItsTranslationThreadAndFreesItsRam() throws Exception {
        long before = translatorThreads();
        MachineConfig cfg = new MachineConfig();
        cfg.bios = Path.of(System.getProperty("jvmx.home", "..")).resolve("guest-images/images/first-guest.rom");
        cfg.timeoutSeconds = 120;
        Machine m = new Machine(cfg, NullSink.INSTANCE, () -> -1, NullSink.INSTANCE, NullSink.INSTANCE);
        m.load();
        assertEquals(StopReason.Kind.HALTED, m.run().kind);
        WeakReference<byte[]> ram = new WeakReference<>(m.memory.array);
        m.close();
        m = null;
        for (int i = 0; i < 100 && translatorThreads() > before; i++) {
            Thread.sleep(50);
        }
        assertEquals(before, translatorThreads(), "the translation thread outlived its machine");
        for (int i = 0; i < 20 && ram.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertNull(ram.get(), "the machine's RAM is still reachable after close");
    }
}
