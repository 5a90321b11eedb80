package dev.jvmx.runtime.gdb;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The packet layer against the gdb manual's rules (Remote Protocol, "Overview"): checksums are
 * the modulo-256 sum of the payload as sent, '}' escapes the next byte XOR 0x20, '*' repeats
 * the previous byte (count - 29 more times), and acknowledgements and the interrupt byte stand
 * outside packets.
 */
class RspTest {
    private static List<RspReader.Event> feed(String bytes) {
        RspReader r = new RspReader();
        List<RspReader.Event> out = new ArrayList<>();
        for (byte b : bytes.getBytes(StandardCharsets.ISO_8859_1)) {
            RspReader.Event e = r.feed(b);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void framesWithTheModulo256Sum() {
        // "OK": 'O' (0x4f) + 'K' (0x4b) = 0x9a; the empty reply sums to 0.
        assertEquals("$OK#9a", new String(Rsp.frame("OK"), StandardCharsets.ISO_8859_1));
        assertEquals("$#00", new String(Rsp.frame(""), StandardCharsets.ISO_8859_1));
        // qSupported as gdb sends it: the sum of its bytes is 0x37 mod 256.
        int sum = 0;
        for (char c : "qSupported".toCharArray()) {
            sum += c;
        }
        assertEquals(String.format("$qSupported#%02x", sum & 0xFF), new String(Rsp.frame("qSupported"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void escapesTheFourSpecialBytes() {
        // '#' (0x23) -> '}' 0x03, '$' (0x24) -> '}' 0x04, '}' (0x7d) -> '}' ']', '*' (0x2a) -> '}' '\n'.
        String f = new String(Rsp.frame("a#$}*"), StandardCharsets.ISO_8859_1);
        String body = "a}\u0003}\u0004}]}\n";
        int sum = 0;
        for (char c : body.toCharArray()) {
            sum += c;
        }
        assertEquals("$" + body + "#" + String.format("%02x", sum & 0xFF), f);
        // And the reader undoes it.
        List<RspReader.Event> e = feed(f);
        assertEquals(1, e.size());
        assertEquals("a#$}*", e.get(0).payload());
    }

    @Test
    void readsPacketsAcksAndInterrupts() {
        List<RspReader.Event> e = feed("+$g#67-\u0003$m100,4#5e");
        assertEquals(List.of(RspReader.Kind.ACK, RspReader.Kind.PACKET, RspReader.Kind.NAK, RspReader.Kind.INTERRUPT,
                RspReader.Kind.PACKET), e.stream().map(RspReader.Event::kind).toList());
        assertEquals("g", e.get(1).payload());
        assertEquals("m100,4", e.get(4).payload());
    }

    @Test
    void aWrongChecksumIsABadPacket() {
        assertEquals(RspReader.Kind.BAD_PACKET, feed("$g#68").get(0).kind());
        assertEquals(RspReader.Kind.BAD_PACKET, feed("$g#zz").get(0).kind());
        // The checksum may be in upper case.
        assertEquals("OK", feed("$OK#9A").get(0).payload());
    }

    @Test
    void expandsRunLengthEncoding() {
        // "0* " is '0' then ' ' (32) - 29 = 3 more: "0000" (the manual's example).
        String body = "0* ";
        int sum = 0;
        for (char c : body.toCharArray()) {
            sum += c;
        }
        assertEquals("0000", feed("$" + body + "#" + String.format("%02x", sum & 0xFF)).get(0).payload());
    }

    @Test
    void bytesOutsidePacketsAreJunk() {
        List<RspReader.Event> e = feed("GET /\r\n$?#3f");
        assertEquals(RspReader.Kind.JUNK, e.get(0).kind());
        assertEquals(7, e.size() - 1);
        assertEquals("?", e.get(e.size() - 1).payload());
    }

    @Test
    void anOverlongPacketIsBad() {
        StringBuilder b = new StringBuilder("$");
        int sum = 0;
        for (int i = 0; i < RspReader.MAX_PAYLOAD + 10; i++) {
            b.append('a');
            sum += 'a';
        }
        b.append('#').append(String.format("%02x", sum & 0xFF));
        assertEquals(List.of(RspReader.Kind.BAD_PACKET), feed(b.toString()).stream().map(RspReader.Event::kind).toList());
    }

    @Test
    void hexFieldsAreLittleEndian() {
        assertEquals("78563412", Rsp.hexLe(0x12345678, 4));
        assertEquals(0x12345678L, Rsp.parseLe("78563412", 0, 4));
        assertEquals(0xFFFFFFFFL, Rsp.parseHex("ffffffff"));
        assertThrows(NumberFormatException.class, () -> Rsp.parseHex("xyz"));
        assertThrows(NumberFormatException.class, () -> Rsp.parseByte("g0", 0));
    }

    @Test
    void gdbAddressesAsQemuSpellsThem() {
        assertEquals(new GdbAddress(null, 1234, "tcp::1234"), GdbAddress.parse("tcp::1234"));
        assertEquals(new GdbAddress("127.0.0.1", 4321, "tcp:127.0.0.1:4321"), GdbAddress.parse("tcp:127.0.0.1:4321"));
        assertEquals("::1", GdbAddress.parse("tcp:[::1]:4321").host());
        for (String bad : new String[] {"1234", "tcp:1234x", "udp::1234", "tcp::", "tcp::0", "tcp::70000", "tcp::1234,server"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GdbAddress.parse(bad), bad);
            assertEquals(1, e.getMessage().lines().count());
        }
    }
}
