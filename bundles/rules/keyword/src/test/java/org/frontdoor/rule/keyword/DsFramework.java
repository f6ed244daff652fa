package org.frontdoor.rule.keyword;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.JarFile;

import org.frontdoor.api.RoutingRule;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;

/**
 * A real OSGi framework (Felix, as in Karaf) running the DS runtime and Config Admin of Karaf 4.4.8's {@code scr}
 * feature. The contracts, Config Admin's API and slf4j come from the test's class path (exported by the system
 * bundle), so the test calls the bundle's services and creates configurations with the same classes.
 */
final class DsFramework implements AutoCloseable {

    private final Framework framework;
    private final ConfigurationAdmin configurationAdmin;

    DsFramework(Path storage) throws BundleException, IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put("felix.service.urlhandlers", "false");
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, String.join(",", exports(RoutingRule.class),
                exports(ConfigurationAdmin.class), exports(LoggerFactory.class)));
        framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(properties);
        framework.start();
        List<Bundle> runtime = new ArrayList<>();
        for (String member : List.of("org.osgi.util.function.Function", "org.osgi.util.promise.Promise",
                "org.osgi.service.component.ComponentConstants", "org.apache.felix.cm.impl.ConfigurationManager",
                "org.apache.felix.scr.impl.Activator")) {
            runtime.add(context().installBundle(jarOf(member).toUri().toString()));
        }
        for (Bundle bundle : runtime) {
            bundle.start();
        }
        configurationAdmin = await().until(() -> {
            var reference = context().getServiceReference(ConfigurationAdmin.class);
            return reference == null ? null : context().getService(reference);
        }, admin -> admin != null);
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    ConfigurationAdmin configurationAdmin() {
        return configurationAdmin;
    }

    /** Installs and starts a bundle from its jar. */
    Bundle start(Path jar) throws BundleException {
        Bundle bundle = context().installBundle(jar.toUri().toString());
        bundle.start();
        return bundle;
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(60_000);
    }

    /** The jar a class of the test's class path was loaded from. */
    static Path jarOf(String className) {
        try {
            Path location = Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation()
                    .toURI());
            if (!Files.isRegularFile(location)) {
                throw new IllegalStateException(className + " comes from " + location + ", not from a jar: run the "
                        + "test with mvn verify, after the package phase");
            }
            return location;
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The Export-Package clauses of the jar a class comes from, for its package and those under it (each package once,
     * the first version given).
     */
    private static String exports(Class<?> member) throws IOException {
        String prefix = member.getPackageName();
        List<String> clauses = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        try (JarFile jar = new JarFile(jarOf(member.getName()).toFile())) {
            String header = jar.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
            for (String clause : clauses(header)) {
                String pkg = clause.split(";", 2)[0].strip();
                if ((pkg.equals(prefix) || pkg.startsWith(prefix + ".")) && !seen.contains(pkg)) {
                    seen.add(pkg);
                    clauses.add(clause.strip());
                }
            }
        }
        if (clauses.isEmpty()) {
            throw new IllegalStateException("the jar of " + member + " exports no package " + prefix);
        }
        return String.join(",", clauses);
    }

    /** A manifest header's clauses: split at the commas outside quotes. */
    private static List<String> clauses(String header) {
        List<String> clauses = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                clauses.add(header.substring(start, i));
                start = i + 1;
            }
        }
        clauses.add(header.substring(start));
        return clauses;
    }
}
