package org.frontdoor.testkit;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.JarFile;

import org.frontdoor.api.Frontdoor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;

/**
 * A real OSGi framework (Felix, as in Karaf) running the DS runtime and Config Admin of Karaf 4.4.8's {@code scr}
 * feature, for a plugin bundle's test as it ships: its components come, change and go with configurations as they do
 * in Karaf, without booting the distribution. The Frontdoor api ({@code org.frontdoor.api.*}), Config Admin's API,
 * slf4j and the packages of any classes given come from the test's class path (exported by the system bundle), so the
 * test calls the bundle's services and creates configurations with the same classes.
 *
 * <pre>{@code
 * try (DsFramework osgi = new DsFramework(tempDir)) {
 *     osgi.start(DsFramework.bundleUnderTest());
 *     osgi.factoryConfiguration("com.acme.rule", "refunds", Map.of("department", "billing"));
 *     ServiceReference<RoutingRule> rule = osgi.awaitService(RoutingRule.class, "(service.pid=com.acme.rule~refunds)");
 * }
 * }</pre>
 * The bundle's jar exists after the package phase: run such tests with failsafe ({@code *IT}), handing the jar over
 * in the system property {@code frontdoor.it.bundle} ({@code ${project.build.directory}/${project.build.finalName}.jar}).
 */
public final class DsFramework implements AutoCloseable {

    /** Where Karaf's etc/ would be, for the {@code felix.fileinstall.filename} of configurations made here. */
    public static final String ETC = "file:/opt/frontdoor/etc/";

    private final Framework framework;
    private final ConfigurationAdmin configurationAdmin;

    /**
     * Starts a framework with its storage in {@code storage} (a JUnit {@code @TempDir}), DS and Config Admin.
     *
     * @param alsoExported classes whose packages (and those below, as their jar exports them) the system bundle
     *                     exports besides the api, Config Admin and slf4j: a third-party api the bundle imports, say
     */
    public DsFramework(Path storage, Class<?>... alsoExported) throws BundleException, IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put("felix.service.urlhandlers", "false");
        List<String> exports = new ArrayList<>(List.of(exports(Frontdoor.class), exports(ConfigurationAdmin.class),
                exports(LoggerFactory.class)));
        for (Class<?> member : alsoExported) {
            exports.add(exports(member));
        }
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, String.join(",", exports));
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

    /** The jar of the bundle under test, from the system property {@code frontdoor.it.bundle}. */
    public static Path bundleUnderTest() {
        String jar = System.getProperty("frontdoor.it.bundle");
        if (jar == null || jar.isBlank()) {
            throw new IllegalStateException("no -Dfrontdoor.it.bundle: set it in failsafe's systemPropertyVariables to "
                    + "${project.build.directory}/${project.build.finalName}.jar");
        }
        return Path.of(jar);
    }

    /** The system bundle's context: services, listeners, bundles. */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    /** Config Admin, as Karaf's file install uses it. */
    public ConfigurationAdmin configurationAdmin() {
        return configurationAdmin;
    }

    /** Installs and starts a bundle from its jar. */
    public Bundle start(Path jar) throws BundleException {
        Bundle bundle = context().installBundle(jar.toUri().toString());
        bundle.start();
        return bundle;
    }

    /**
     * Creates or updates factory configuration {@code <factoryPid>~<name>} as Karaf's file install does for
     * {@code etc/<factoryPid>-<name>.cfg}: the values (as given; a .cfg gives Strings) and the file's name.
     */
    public Configuration factoryConfiguration(String factoryPid, String name, Map<String, ?> values)
            throws IOException {
        Configuration configuration = configurationAdmin.getFactoryConfiguration(factoryPid, name, "?");
        configuration.update(properties(values, factoryPid + "-" + name));
        return configuration;
    }

    /** Creates or updates singleton configuration {@code pid} as file install does for {@code etc/<pid>.cfg}. */
    public Configuration configuration(String pid, Map<String, ?> values) throws IOException {
        Configuration configuration = configurationAdmin.getConfiguration(pid, "?");
        configuration.update(properties(values, pid));
        return configuration;
    }

    private static Hashtable<String, Object> properties(Map<String, ?> values, String file) {
        Hashtable<String, Object> properties = new Hashtable<>(values);
        properties.put("felix.fileinstall.filename", ETC + file + ".cfg");
        return properties;
    }

    /** The services of a type matching an LDAP filter ({@code null} for all), highest ranking first. */
    public <T> Collection<ServiceReference<T>> services(Class<T> type, String filter) throws InvalidSyntaxException {
        return context().getServiceReferences(type, filter);
    }

    /** Waits (up to 30 s) for a service of the type matching the filter ({@code null} for any) and returns it. */
    public <T> ServiceReference<T> awaitService(Class<T> type, String filter) {
        return await("a " + type.getSimpleName() + (filter == null ? "" : " " + filter)).atMost(Duration.ofSeconds(30))
                .until(() -> {
                    var references = services(type, filter);
                    return references.isEmpty() ? null : references.iterator().next();
                }, reference -> reference != null);
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(60_000);
    }

    /** The jar a class of the test's class path was loaded from. */
    public static Path jarOf(String className) {
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
            for (String clause : clauses(header == null ? "" : header)) {
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
