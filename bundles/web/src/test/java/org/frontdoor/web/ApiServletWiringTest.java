package org.frontdoor.web;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every service ApiServlet keeps in a volatile field is a DS reference. A merge once dropped the annotations of
 * {@code agents} and {@code accounts}: the fields stayed null in the distribution, so every agent had an empty scope
 * and {@code /users} answered 503, while the unit tests, which set the fields by hand, passed. DS annotations are not
 * visible at run time, so this reads the compiled class as javap shows it (RuntimeInvisibleAnnotations).
 */
class ApiServletWiringTest {

    private static final Pattern FIELD = Pattern.compile("^  (?:[a-z]+ )*volatile (org\\.frontdoor\\.api\\.[\\w.]+) (\\w+);$");

    @Test
    void everyVolatileServiceFieldIsADsReference() throws URISyntaxException {
        Path classFile = Path.of(ApiServlet.class.getResource("ApiServlet.class").toURI());
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        StringWriter out = new StringWriter();
        int exit = javap.run(new PrintWriter(out), new PrintWriter(out), "-v", "-p", classFile.toString());
        assertThat(exit).as(out.toString()).isZero();

        List<String> fields = new ArrayList<>();
        List<String> unreferenced = new ArrayList<>();
        String[] lines = out.toString().split("\\R");
        for (int i = 0; i < lines.length; i++) {
            Matcher field = FIELD.matcher(lines[i]);
            if (!field.matches()) {
                continue;
            }
            fields.add(field.group(2));
            // the field's block runs to the next blank line
            boolean reference = false;
            for (int j = i + 1; j < lines.length && !lines[j].isBlank(); j++) {
                reference |= lines[j].contains("org.osgi.service.component.annotations.Reference");
            }
            if (!reference) {
                unreferenced.add(field.group(1) + " " + field.group(2));
            }
        }
        assertThat(fields).as("the volatile service fields javap shows").contains("inbox", "agents", "accounts");
        assertThat(unreferenced).as("volatile service fields without @Reference").isEmpty();
    }
}
