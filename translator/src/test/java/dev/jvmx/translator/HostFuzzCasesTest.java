package dev.jvmx.translator;

import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import dev.jvmx.translator.testing.HostCase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Cases of the host-CPU fuzzer (module cputest, {@code jvmx cpu-test --fuzz}) pinned as unit
 * tests: a mismatch prints its test in this form; paste it here when fixing the translator.
 * Each expected state is the one the host CPU left. The first case is not a bug: it shows the
 * printed form compiles and passes, and the second test that it can fail.
 */
class HostFuzzCasesTest {
    @BeforeEach
    void needsAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    /** Host fuzzer (jvmx cpu-test --fuzz N --seed 2026), case 8 on the 64-bit path; the expected state is the host CPU's. */
    @Test
    void hostFuzzSeed2026Case8() {
        GuestRunner r = HostCase.run(new int[] {0x00007fff, 0xfffffffd, 0x80000000, 0x80000000, 0x003001c0, 0x00300000, 0x00000000, 0x00000000}, 0x00000a43,
                "f39414bb02e1df509931cc387ff6f210447befb1801064bfb6fad00e88fc906d564d9262f23a77ae6734f4df65db2256b983834d6f2fe979a21df965648edf5b" +
                "f3d4e0b96264516d1722b66c3c06b48589288be36338c00ce7f643b31da568adc3fd816466c3b554d4b612e5b8b6eccdbb806cee1923fe6dd71d810bb7225e38" +
                "48808d146ebbc0d580c40add6e05d4c07bf7e01e5d03f388a76336c63fcc5445841303cf73c83199bb1a00ff30b31b5a54ad51ab32f7c2ab4a5d917674eb541f" +
                "9a9ca41eb2a938f26da24bd73fcc4cfc264127c4ad6c807514ee85b44c4991030c6da215bd68e8aa3cb5eaacc75bf8e0b318ed39df85f76d5d6c6d1445e82a70" +
                "49f9aeed193c652db0dcd9db540222abb221e1750367bf0df8dabd5ae2f780a9f099d9e6b2081baf91c538cc060ae77d1b39f414b771a6479d12a1e1f9f4cdcd" +
                "d4e449a81285fc208b891097d7edf720a2d46a80b59eae317fe3da650dd118592e2a7f1d00559d5eedf571da51a536d69a5286e05d66e4bfb76ddf853e16ae9f" +
                "4e4e11d7b7965f34235c5b392baf5f6c08487ca1d4ec31457787680b0e18ed672d6b7bb5cabade629bc0266de05f34dc90b6d4a3d622ac564c980f4e36227c2f" +
                "c745344b569289412edda1d99ce29e6afe8de4c02b205df47d94638592374791addf69735939110b15e7c2460b7ea4b2ef4e3716556d7e1d944dc69c95358064",
                "shll $14, 194(%ebp)",
                "leal 161(%ebp), %esi",
                "leal 29(%ebp), %edi",
                "movl $10, %ecx",
                "std",
                "rep lodsb",
                "cwtl");
        HostCase.expect(r, new int[] {0x00007fa7, 0x00000000, 0x80000000, 0x80000000, 0x003001c0, 0x00300000, 0x00300097, 0x0030001d}, 0x00000e86, 0x4c5,
                "f39414bb02e1df509931cc387ff6f210447befb1801064bfb6fad00e88fc906d564d9262f23a77ae6734f4df65db2256b983834d6f2fe979a21df965648edf5b" +
                "f3d4e0b96264516d1722b66c3c06b48589288be36338c00ce7f643b31da568adc3fd816466c3b554d4b612e5b8b6eccdbb806cee1923fe6dd71d810bb7225e38" +
                "48808d146ebbc0d580c40add6e05d4c07bf7e01e5d03f388a76336c63fcc5445841303cf73c83199bb1a00ff30b31b5a54ad51ab32f7c2ab4a5d917674eb541f" +
                "9a9c0000a98738f26da24bd73fcc4cfc264127c4ad6c807514ee85b44c4991030c6da215bd68e8aa3cb5eaacc75bf8e0b318ed39df85f76d5d6c6d1445e82a70" +
                "49f9aeed193c652db0dcd9db540222abb221e1750367bf0df8dabd5ae2f780a9f099d9e6b2081baf91c538cc060ae77d1b39f414b771a6479d12a1e1f9f4cdcd" +
                "d4e449a81285fc208b891097d7edf720a2d46a80b59eae317fe3da650dd118592e2a7f1d00559d5eedf571da51a536d69a5286e05d66e4bfb76ddf853e16ae9f" +
                "4e4e11d7b7965f34235c5b392baf5f6c08487ca1d4ec31457787680b0e18ed672d6b7bb5cabade629bc0266de05f34dc90b6d4a3d622ac564c980f4e36227c2f" +
                "c745344b569289412edda1d99ce29e6afe8de4c02b205df47d94638592374791addf69735939110b15e7c2460b7ea4b2ef4e3716556d7e1d944dc69c95358064");
    }

    /** The same case, expecting one bit of EAX other than the host left it. */
    @Test
    void aWrongExpectationFails() {
        GuestRunner r = HostCase.run(new int[] {0, 0, 0, 0, 0x003001c0, 0x00300000, 0, 0}, 0x00000202, "00".repeat(512),
                "movl $0x7fa7, %eax");
        assertThrows(AssertionFailedError.class, () -> HostCase.expect(r, new int[] {0x00007fa6, 0, 0, 0, 0x003001c0, 0x00300000, 0, 0},
                0x00000202, 0x8d5, "00".repeat(512)));
    }
}
