package dev.jvmx.runtime.inspect;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Text symbols from a System.map or /proc/kallsyms, and blocks named by the symbol at or below them. */
class SymbolTableTest {
    private static final String KALLSYMS = String.join("\n",
            "Address  Type Name",                     // a header, skipped
            "c1000000 T startup_32",
            "c1000000 T _text",                       // an alias: the first name listed stays
            "c1000100 t early_idt_handler_common",
            "c1500000 D jiffies",                     // data: not a place code starts
            "c1200000 T memcpy",
            "c1300000 W weak_function",
            "c1400000 t helper\t[some_module]",
            "08048000 T user_start",                  // below the kernel, sorted as unsigned
            "not a symbol line",
            "");

    private static SymbolTable table() throws IOException {
        return SymbolTable.read(new StringReader(KALLSYMS));
    }

    @Test
    void readsOnlyTextSymbols() throws IOException {
        assertEquals(6, table().size());
    }

    @Test
    void namesAnAddressAfterTheSymbolAtOrBelowIt() throws IOException {
        SymbolTable t = table();
        assertEquals("startup_32", t.describe(0xC1000000));
        assertEquals("early_idt_handler_common+0x10", t.describe(0xC1000110));
        assertEquals("memcpy+0x1c", t.describe(0xC120001C));
        assertEquals("memcpy", t.function(0xC12FFFFF), "the data symbol between is not a function start");
        assertEquals("weak_function", t.function(0xC1300004));
        assertEquals("helper", t.function(0xC1400000), "a module's name after the symbol is not part of it");
        assertEquals("user_start+0x10", t.describe(0x08048010));
    }

    @Test
    void anAddressBelowEverySymbolHasNone() throws IOException {
        assertNull(table().describe(0x00001000));
        assertNull(table().function(0x08047FFF));
    }

    @Test
    void aFileWithoutTextSymbolsIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> SymbolTable.read(new StringReader("hello\nc1000000 D data\n")));
        assertTrue(e.getMessage().contains("no text symbols"), e.getMessage());
    }
}
