package dev.jvmx.devices.pci;

import dev.jvmx.devices.MachineControl;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RST#: every function's configuration returns to its power-on values (82441FX datasheet: PAM0-6
 * reset to 00h; 82371AB: PMBA to 00000001h, PMREGMISC to 00h), and the functions act on it: the
 * host bridge maps the BIOS area back to the ROM, the PM function stops decoding its registers.
 */
class PciResetTest {
    @Test
    void resetRestoresPowerOnConfigurationAndItsEffects() {
        List<String> pam = new ArrayList<>();
        List<Integer> pmBases = new ArrayList<>();
        I440fxHostBridge host = new I440fxHostBridge((region, re, we) -> pam.add(region + ":" + re + we));
        Piix3Pm pm = new Piix3Pm();
        pm.setIoListener(pmBases::add);
        PciBus bus = new PciBus(new ResetControl(MachineControl.NONE));
        bus.attach(0, 0, host);
        bus.attach(1, 3, pm);
        host.configWrite(I440fxHostBridge.PAM0, 1, 0x30);
        pm.configWrite(Piix3Pm.PMBA, 4, 0x601);
        pm.configWrite(Piix3Pm.PMREGMISC, 1, 1);
        assertEquals(List.of("0:truetrue"), pam);
        assertEquals(0x600, pmBases.get(pmBases.size() - 1));

        bus.reset();
        assertEquals(0, host.configRead(I440fxHostBridge.PAM0, 1));
        assertEquals("0:falsefalse", pam.get(pam.size() - 1), "0xF0000 back to the ROM");
        assertEquals(1, pm.configRead(Piix3Pm.PMBA, 4));
        assertEquals(0, pm.configRead(Piix3Pm.PMREGMISC, 1));
        assertEquals(-1, pmBases.get(pmBases.size() - 1), "PM registers no longer decoded");
    }
}
