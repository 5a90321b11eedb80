package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** QEMU's -smp spellings (qemu-system-i386 -help: "-smp [[cpus=]n][,maxcpus=maxcpus][,sockets=..."). */
class SmpOptionTest {
    @Test
    void theNumberAloneOrAsCpus() {
        assertEquals(1, SmpOption.parse("1"));
        assertEquals(2, SmpOption.parse("2"));
        assertEquals(3, SmpOption.parse("cpus=3"));
        assertEquals(16, SmpOption.parse("16"));
    }

    @Test
    void aTopologyOfOneProcessorPerSocket() {
        assertEquals(4, SmpOption.parse("4,sockets=4,cores=1,threads=1"));
        assertEquals(2, SmpOption.parse("sockets=2"), "the count from the topology, as QEMU computes it");
        assertEquals(2, SmpOption.parse("2,maxcpus=2"));
        assertEquals(1, SmpOption.parse("cpus=1,maxcpus=1,sockets=1,cores=1,threads=1,dies=1,clusters=1"));
    }

    @Test
    void whatJvmxCannotBeIsRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SmpOption.parse("0")).getMessage().contains("1 to 16"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SmpOption.parse("17")).getMessage().contains("1 to 16"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SmpOption.parse("2,threads=2")).getMessage()
                .contains("one core and one thread"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SmpOption.parse("2,maxcpus=4")).getMessage()
                .contains("hot-plug"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SmpOption.parse("4,sockets=2")).getMessage()
                .contains("its own socket"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SmpOption.parse("2,books=1")).getMessage()
                .contains("unknown property 'books'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SmpOption.parse("2,3")).getMessage()
                .contains("not KEY=VALUE"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SmpOption.parse("x")).getMessage()
                .contains("not a number"));
    }
}
