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
 * printed form compiles and passes, and the second test that it can fail; the same for an x87
 * case (its FPU state in and out as FRSTOR/FNSAVE images).
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

    /**
     * Host fuzzer with x87 (jvmx cpu-test --fuzz N --x87 --seed 2), case 0 on the 64-bit path; the expected state is
     * the host CPU's. Not a bug either: the printed form of an x87 case (FRSTOR image in, FNSAVE image out).
     */
    @Test
    void hostFuzzSeed2Case0() {
        GuestRunner r = HostCase.runX87(new int[] {0x80000000, 0xfffffffe, 0x582f1981, 0x31c05373, 0x003001c0, 0x00300000, 0x8283a8d7, 0xdbd2bd55}, 0x00000e12,
                "551252755c82297d867f7f2b1017cfc3644f9183a0e96634ac85445a2b8d1ad8d79e0b102b6001db0df12518928a03a96a2fca0dd9f1f5ed4c63d27bd66a4954" +
                "697240f5d4017cdd7b4f4cdbf1825e9300332392bc2eb86910d5e17db59ed24016635cb4ab9df0a272384d0f7a1d52ee4f45f372ee5269f12502e4a8de357d37" +
                "b0ba634906e87d0c29c51a11372d5805f7c69d591f7454d2c308d193750f636983a3da8161f97e41a14333b4a3413c3cdf31e5cb5d90196e2917852473faa94f" +
                "2a9292a75444eb84ce75819196704f13a87822300b93dc0737e91970a9157a59859beb5216c306cc371e690a6365eeecad793e76b1ec843e49ae3a7476d40e69" +
                "e1f2a1b1d7154677da524f4ff053b322b15e1aa76bd8dde3563351b6de8a26df777d36d473eb9820713cce235384d60314c7430062c552c905174f84ca6b199b" +
                "c10e9edd450326309896bb82588a44cf5676c8cbdc78a5f48f3c7ba1d9aedebf7b5d5c1d2d4079ed70f1bb1cab70f0551d8fa82949a3003efb18bbb837b255e2" +
                "0ed56a6caf677b2a43f1463e7f5e6d4672fca499b35c374259b28b8a141f8a8cfcbdd5ae5dabfc32c053858d8c39609ec064408cebcc89ee6fa6861d941502db" +
                "a867c30382e7cd5c8617c11e6abcbcf1514595eece4f05efdfc655052d0182df083c4072ff6625293711fa1b2a30ddc4e154c5b59d215fd8d2bc417480ff276a",
                "7f84ffff002afffffd43ffffaf34aecd20032e00c8c17f674660ffff0000000000da768183bf8ccd9384969a7596ff7f77b13c8128d621b500000000000002da" +
                "7681843f1f79f642b15dbd7fff7f1c648500122bb1c0f07f0000000000209998ea3f0000004000da768183bf",
                "fscale",
                "movzbw %al, %si",
                "movw $40959, 24(%ebp)",
                "fldcw 24(%ebp)",
                "fisubl 222(%ebp)",
                "fsqrt",
                "finit");
        HostCase.expectX87(r, new int[] {0x80000000, 0xfffffffe, 0x582f1981, 0x31c05373, 0x003001c0, 0x00300000, 0x82830000, 0xdbd2bd55}, 0x00000e12, 0x8d5,
                "551252755c82297d867f7f2b1017cfc3644f9183a0e96634ff9f445a2b8d1ad8d79e0b102b6001db0df12518928a03a96a2fca0dd9f1f5ed4c63d27bd66a4954" +
                "697240f5d4017cdd7b4f4cdbf1825e9300332392bc2eb86910d5e17db59ed24016635cb4ab9df0a272384d0f7a1d52ee4f45f372ee5269f12502e4a8de357d37" +
                "b0ba634906e87d0c29c51a11372d5805f7c69d591f7454d2c308d193750f636983a3da8161f97e41a14333b4a3413c3cdf31e5cb5d90196e2917852473faa94f" +
                "2a9292a75444eb84ce75819196704f13a87822300b93dc0737e91970a9157a59859beb5216c306cc371e690a6365eeecad793e76b1ec843e49ae3a7476d40e69" +
                "e1f2a1b1d7154677da524f4ff053b322b15e1aa76bd8dde3563351b6de8a26df777d36d473eb9820713cce235384d60314c7430062c552c905174f84ca6b199b" +
                "c10e9edd450326309896bb82588a44cf5676c8cbdc78a5f48f3c7ba1d9aedebf7b5d5c1d2d4079ed70f1bb1cab70f0551d8fa82949a3003efb18bbb837b255e2" +
                "0ed56a6caf677b2a43f1463e7f5e6d4672fca499b35c374259b28b8a141f8a8cfcbdd5ae5dabfc32c053858d8c39609ec064408cebcc89ee6fa6861d941502db" +
                "a867c30382e7cd5c8617c11e6abcbcf1514595eece4f05efdfc655052d0182df083c4072ff6625293711fa1b2a30ddc4e154c5b59d215fd8d2bc417480ff276a",
                "7f03ffff0000ffffffffffff0000000000000000000000000000ffff0000000002da7681843f1f79f642b15dbd7fff7f1c648500122bb1c0f07f000000000020" +
                "9998ea3f0000004000da768183bf8ccd9384969a75d6ff7f8ccd9384969a7596ff7f77b13c8128d621b50000");
    }

    /** The same case, expecting one bit of EAX other than the host left it. */
    @Test
    void aWrongExpectationFails() {
        GuestRunner r = HostCase.run(new int[] {0, 0, 0, 0, 0x003001c0, 0x00300000, 0, 0}, 0x00000202, "00".repeat(512),
                "movl $0x7fa7, %eax");
        assertThrows(AssertionFailedError.class, () -> HostCase.expect(r, new int[] {0x00007fa6, 0, 0, 0, 0x003001c0, 0x00300000, 0, 0},
                0x00000202, 0x8d5, "00".repeat(512)));
    }

    /** An x87 case expecting one bit of ST(0) other than the host left it. */
    @Test
    void aWrongFpuExpectationFails() {
        // FNINIT's state but ST(0) = 1.0: FCHS makes it -1.0 (its tag: valid, 00)
        String init = "7f03ffff0000fffffeffffff" + "00".repeat(16) + "0000000000000080ff3f" + "00".repeat(70);
        String done = "7f03ffff0000fffffcffffff" + "00".repeat(16);
        GuestRunner r = HostCase.runX87(new int[] {0, 0, 0, 0, 0x003001c0, 0x00300000, 0, 0}, 0x00000202, "00".repeat(512), init, "fchs");
        HostCase.expectX87(r, new int[] {0, 0, 0, 0, 0x003001c0, 0x00300000, 0, 0}, 0x00000202, 0x8d5, "00".repeat(512),
                done + "0000000000000080ffbf" + "00".repeat(70));
        assertThrows(AssertionFailedError.class, () -> HostCase.expectX87(r, new int[] {0, 0, 0, 0, 0x003001c0, 0x00300000, 0, 0},
                0x00000202, 0x8d5, "00".repeat(512), done + "0100000000000080ffbf" + "00".repeat(70)));
    }
}
