package dev.jvmx.devices.apic;

import dev.jvmx.devices.timer.VirtualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.jvmx.devices.apic.LocalApic.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interprocessor interrupts between local APICs, expected values from the SDM Vol. 3A: the ICR's
 * destination shorthands and modes (11.6.1, Figure 11-12), physical and logical destinations
 * (11.6.2), lowest-priority arbitration (11.6.2.4), INIT and start-up IPIs (11.6.1, 9.4.3) and the
 * APIC's state after INIT (11.4.7.3).
 */
class ApicBusTest {
    final VirtualClock clock = new VirtualClock();
    final LocalApic[] apics = new LocalApic[3];
    final ApicBus bus = new ApicBus();

    @BeforeEach
    void threeProcessors() {
        for (int i = 0; i < apics.length; i++) {
            apics[i] = new LocalApic(clock, new LocalApicTest.FakeTsc(), i, false);
            apics[i].setBootstrapProcessor(i == 0);
            apics[i].write(SVR, 0x1FF); // software-enabled, spurious vector FFh
            bus.attach(apics[i]);
        }
    }

    private static void icr(LocalApic from, int low, int destId) {
        from.write(ICR_HIGH, destId << 24);
        from.write(ICR_LOW, low);
    }

    @Test
    void aFixedIpiInPhysicalModeReachesTheApicWithThatId() {
        icr(apics[0], ICR_LEVEL_ASSERT | 0x40, 2);
        assertTrue(apics[2].requested(0x40));
        assertFalse(apics[1].requested(0x40));
        assertFalse(apics[0].requested(0x40));
        assertTrue(apics[2].intr());
        assertEquals(0x40, apics[2].acknowledge());
        assertEquals(0, apics[0].read(ICR_LOW) & DELIVERY_STATUS, "delivery status idle once sent");
    }

    @Test
    void shorthandsNameSelfAllOrOthers() {
        icr(apics[1], (SHORTHAND_SELF << ICR_SHORTHAND_SHIFT) | 0x50, 0);
        assertTrue(apics[1].requested(0x50));
        assertFalse(apics[0].requested(0x50) || apics[2].requested(0x50));

        icr(apics[1], (SHORTHAND_OTHERS << ICR_SHORTHAND_SHIFT) | 0x51, 0);
        assertTrue(apics[0].requested(0x51) && apics[2].requested(0x51));
        assertFalse(apics[1].requested(0x51));

        icr(apics[1], (SHORTHAND_ALL << ICR_SHORTHAND_SHIFT) | 0x52, 0);
        assertTrue(apics[0].requested(0x52) && apics[1].requested(0x52) && apics[2].requested(0x52));
    }

    @Test
    void physicalBroadcastFFhReachesEveryApic() {
        icr(apics[0], 0x60, 0xFF);
        assertTrue(apics[0].requested(0x60) && apics[1].requested(0x60) && apics[2].requested(0x60));
    }

    @Test
    void logicalFlatDestinationIsABitMaskOfLogicalIds() {
        // Flat model (DFR all 1s, the reset value): logical IDs 1, 2, 4 in LDR[31:24].
        for (int i = 0; i < apics.length; i++) {
            apics[i].write(LDR, (1 << i) << 24);
        }
        icr(apics[0], ICR_DEST_LOGICAL | 0x70, 0x06); // processors 1 and 2
        assertFalse(apics[0].requested(0x70));
        assertTrue(apics[1].requested(0x70) && apics[2].requested(0x70));
    }

    @Test
    void logicalClusterDestinationNamesAClusterAndAMask() {
        for (int i = 0; i < apics.length; i++) {
            apics[i].write(DFR, 0x0FFFFFFF); // cluster model
        }
        apics[0].write(LDR, 0x11 << 24); // cluster 1, member 1
        apics[1].write(LDR, 0x12 << 24); // cluster 1, member 2
        apics[2].write(LDR, 0x21 << 24); // cluster 2, member 1
        icr(apics[0], ICR_DEST_LOGICAL | 0x71, 0x13);
        assertTrue(apics[0].requested(0x71) && apics[1].requested(0x71));
        assertFalse(apics[2].requested(0x71));
    }

    @Test
    void lowestPriorityGoesToOneProcessorTheLeastBusy() {
        for (int i = 0; i < apics.length; i++) {
            apics[i].write(LDR, (1 << i) << 24);
        }
        apics[0].write(TPR, 0x30);
        apics[1].write(TPR, 0x20);
        apics[2].write(TPR, 0x20);
        icr(apics[0], ICR_DEST_LOGICAL | (LOWEST_PRIORITY << DELIVERY_MODE_SHIFT) | 0x80, 0x07);
        // PPR 20h on processors 1 and 2, 30h on 0: the lower APIC ID of the two takes it.
        assertTrue(apics[1].requested(0x80));
        assertFalse(apics[0].requested(0x80) || apics[2].requested(0x80));
    }

    @Test
    void initPutsAnApplicationProcessorInWaitForSipiAndResetsItsApicButNotItsId() {
        apics[1].write(TPR, 0x40);
        apics[1].write(ID, 0x07000000);
        icr(apics[0], ICR_LEVEL_ASSERT | (INIT << DELIVERY_MODE_SHIFT), 7);
        assertTrue(apics[1].startupEventPending());
        assertTrue(apics[1].takeInit());
        assertFalse(apics[1].takeInit(), "taken once");
        assertEquals(0, apics[1].read(TPR), "registers as after RESET");
        assertEquals(0xFF, apics[1].read(SVR), "software-disabled again");
        assertEquals(0x07000000, apics[1].read(ID), "the APIC ID stays (11.4.7.3)");
        assertEquals(DEFAULT_BASE | BASE_EN, apics[1].readBaseMsr(), "IA32_APIC_BASE stays, BSP clear");
    }

    @Test
    void initLevelDeassertReachesNoProcessor() {
        icr(apics[0], TRIGGER_LEVEL | (INIT << DELIVERY_MODE_SHIFT) | (SHORTHAND_OTHERS << ICR_SHORTHAND_SHIFT), 0);
        assertFalse(apics[1].startupEventPending());
        assertFalse(apics[2].startupEventPending());
    }

    @Test
    void theBootstrapProcessorIgnoresInitAndStartup() {
        icr(apics[1], ICR_LEVEL_ASSERT | (INIT << DELIVERY_MODE_SHIFT), 0);
        icr(apics[1], (STARTUP << DELIVERY_MODE_SHIFT) | 0x12, 0);
        assertFalse(apics[0].startupEventPending());
        assertEquals(DEFAULT_BASE | BASE_EN | BASE_BSP, apics[0].readBaseMsr());
    }

    @Test
    void aStartupIpiCarriesItsVectorToEveryNamedProcessor() {
        icr(apics[0], ICR_LEVEL_ASSERT | (INIT << DELIVERY_MODE_SHIFT) | (SHORTHAND_OTHERS << ICR_SHORTHAND_SHIFT), 0);
        icr(apics[0], (STARTUP << DELIVERY_MODE_SHIFT) | (SHORTHAND_OTHERS << ICR_SHORTHAND_SHIFT) | 0x9A, 0);
        for (int i = 1; i < 3; i++) {
            assertTrue(apics[i].takeInit());
            assertEquals(0x9A, apics[i].takeStartup());
            assertEquals(-1, apics[i].takeStartup());
        }
    }

    @Test
    void aFixedIpiWithAnIllegalVectorIsASendErrorAndGoesNowhere() {
        icr(apics[0], 0x05, 1);
        assertFalse(apics[1].requested(0x05));
        apics[0].write(ESR, 0);
        assertEquals(ESR_SEND_ILLEGAL_VECTOR, apics[0].read(ESR));
    }

    @Test
    void theIoApicDeliversOverTheBusToTheApicItsEntryNames() {
        IoApic io = new IoApic(apics[0]);
        io.routeTo(bus);
        io.write(IoApic.IOREGSEL, 4, 0x10 + 2 * 5); // redirection entry 5, low dword
        io.write(IoApic.IOWIN, 4, 0x45);            // vector 45h, fixed, physical, edge, unmasked
        io.write(IoApic.IOREGSEL, 4, 0x10 + 2 * 5 + 1);
        io.write(IoApic.IOWIN, 4, 2 << 24);         // destination APIC ID 2
        io.pin(5).set(true);
        assertTrue(apics[2].requested(0x45));
        assertFalse(apics[0].requested(0x45));
    }
}
