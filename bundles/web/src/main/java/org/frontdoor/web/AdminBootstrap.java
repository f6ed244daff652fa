package org.frontdoor.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.BackingEngine;
import org.apache.karaf.jaas.modules.BackingEngineFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the first admin: user {@code admin} in group {@code admingroup} of the Karaf realm, with the password
 * from {@code FRONTDOOR_ADMIN_PASSWORD} (or system property {@code frontdoor.admin.password}), else a generated
 * one written to {@code data/frontdoor/admin-password}, readable by its owner only. The log names the file,
 * never the password. An existing admin is left alone. It goes through Karaf's backing engine, so the realm's
 * password encryption applies.
 */
@Component(immediate = true)
public class AdminBootstrap {

    static final String REALM = "karaf";
    static final String ADMIN = "admin";
    static final String ADMIN_GROUP = "admingroup";
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
    private static final String PROPERTIES_MODULE = "org.apache.karaf.jaas.modules.properties.PropertiesLoginModule";

    @Activate
    public AdminBootstrap(@Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE,
                                     policyOption = ReferencePolicyOption.GREEDY) List<JaasRealm> realms,
                          @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE,
                                     policyOption = ReferencePolicyOption.GREEDY) List<BackingEngineFactory> factories)
            throws IOException {
        // activated again whenever a realm or a factory comes, so it acts once both are there
        BackingEngine engine = realms.stream().filter(r -> REALM.equals(r.getName())).findFirst()
                .map(realm -> engine(realm, factories)).orElse(null);
        if (engine == null) {
            LOG.debug("Waiting for the karaf realm's properties backing engine");
            return;
        }
        if (engine.lookupUser(ADMIN) != null) {
            return;
        }
        String given = System.getenv("FRONTDOOR_ADMIN_PASSWORD");
        if (given == null || given.isBlank()) {
            given = System.getProperty("frontdoor.admin.password");
        }
        String password;
        if (given != null && !given.isBlank()) {
            password = given;
            engine.addUser(ADMIN, password);
            engine.addGroup(ADMIN, ADMIN_GROUP);
            LOG.info("Created user {} with the password from FRONTDOOR_ADMIN_PASSWORD", ADMIN);
        } else {
            password = generate();
            Path file = Path.of(System.getProperty("karaf.data", "data"), "frontdoor", "admin-password");
            writeOwnerOnly(file, password);
            engine.addUser(ADMIN, password);
            engine.addGroup(ADMIN, ADMIN_GROUP);
            LOG.warn("Created user {} with a generated password, written to {}; change it with jaas:* commands "
                    + "and delete the file", ADMIN, file.toAbsolutePath());
            // also on the terminal that started Karaf, where the first user looks
            System.out.println("Frontdoor: user " + ADMIN + " was created; its generated password is in "
                    + file.toAbsolutePath());
        }
    }

    private static BackingEngine engine(JaasRealm realm, List<BackingEngineFactory> factories) {
        for (AppConfigurationEntry entry : realm.getEntries()) {
            Object module = entry.getOptions().get(ProxyLoginModule.PROPERTY_MODULE);
            String moduleClass = module != null ? module.toString() : entry.getLoginModuleName();
            if (!PROPERTIES_MODULE.equals(moduleClass)) {
                continue;
            }
            for (BackingEngineFactory factory : factories) {
                if (moduleClass.equals(factory.getModuleClass())) {
                    @SuppressWarnings("unchecked")
                    Map<String, ?> options = (Map<String, ?>) entry.getOptions();
                    return factory.build(options);
                }
            }
        }
        return null;
    }

    /** A random password of 24 URL-safe characters (144 bits). */
    static String generate() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, content + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.WRITE);
    }
}
