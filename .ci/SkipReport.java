import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * CI's reading of the Surefire reports after `mvn verify`: skipped tests counted by reason,
 * and the suites CI is meant to run checked: each must have run and not been skipped.
 * Run from .ci/run as `java .ci/SkipReport.java ROOT REQUIRED...`, REQUIRED as Class#method.
 * Exit 1 if a required test was skipped or is missing from the reports.
 */
public class SkipReport {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        List<Path> reports = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")
                    && p.getParent().getFileName().toString().equals("surefire-reports")).sorted().forEach(reports::add);
        }
        Map<String, Integer> byReason = new TreeMap<>();
        Map<String, String> skipped = new TreeMap<>();
        List<String> ran = new ArrayList<>();
        long passed = 0, failed = 0;
        for (Path r : reports) {
            NodeList cases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(r.toFile()).getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element c = (Element) cases.item(i);
                String id = c.getAttribute("classname") + "#" + c.getAttribute("name");
                NodeList sk = c.getElementsByTagName("skipped");
                if (sk.getLength() > 0) {
                    String why = reason((Element) sk.item(0));
                    byReason.merge(why, 1, Integer::sum);
                    skipped.put(id, why);
                } else if (c.getElementsByTagName("failure").getLength() + c.getElementsByTagName("error").getLength() > 0) {
                    failed++;
                    ran.add(id);
                } else {
                    passed++;
                    ran.add(id);
                }
            }
        }
        int total = skipped.size();
        System.out.println("ci: " + total + " skipped test(s)" + (total == 0 ? "" : ", by reason:"));
        byReason.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .forEach(e -> System.out.printf("ci: %5d  %s%n", e.getValue(), e.getKey()));
        int bad = 0;
        for (int i = 1; i < args.length; i++) {
            String req = args[i];
            if (skipped.containsKey(req)) {
                System.out.println("ci: FAILED: " + req + " was skipped, and CI is meant to run it: " + skipped.get(req));
                bad++;
            } else if (!ran.contains(req)) {
                System.out.println("ci: FAILED: " + req + " did not run (no Surefire report has it), and CI is meant to run it");
                bad++;
            } else {
                System.out.println("ci: required suite ran: " + req);
            }
        }
        System.out.println("tests: " + passed + " passed, " + failed + " failed, " + total + " skipped");
        System.exit(bad == 0 ? 0 : 1);
    }

    /** The message of a skip: an @Disabled reason, or the first line of an assumption failure. */
    static String reason(Element skipped) {
        String m = skipped.getAttribute("message");
        if (m.isEmpty()) {
            m = skipped.getTextContent().strip().split("\n")[0];
        }
        m = m.replaceFirst("^[\\w.$]+(Exception|Error): ", "");
        return m.replaceFirst("^Assumption failed: ", "").strip();
    }
}
