package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher script names methods for HotSpot; a renamed method would leave its flag doing nothing, quietly. */
class LauncherTest {
    @Test
    void theMethodsTheLauncherKeepsOutOfLineExist() throws IOException, ClassNotFoundException {
        Path launcher = Path.of(System.getProperty("jvmx.home", "..")).toAbsolutePath().normalize().resolve("jvmx");
        String script = Files.readString(launcher);
        Matcher list = Pattern.compile("for m in ([^;]+); do\\s+DISPATCH=\"\\$DISPATCH -XX:CompileCommand=dontinline,([\\w.]+)\\$m\"")
                .matcher(script);
        assertTrue(list.find(), "the launcher's dontinline list");
        String[] methods = list.group(1).trim().split("\\s+");
        assertFalse(methods.length == 0);
        for (String m : methods) {
            String[] parts = m.split("::");
            Class<?> c = Class.forName(list.group(2) + parts[0]);
            assertTrue(Arrays.stream(c.getDeclaredMethods()).anyMatch(x -> x.getName().equals(parts[1])),
                    c.getName() + " has no method " + parts[1]);
        }
    }
}
