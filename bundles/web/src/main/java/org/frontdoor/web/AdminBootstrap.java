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
import java.util.Set;
import java.util.function.BooleanSupplier;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.BackingEngine;
import org.apache.karaf.jaas.modules.BackingEngineFactory;
import org.frontdoor.api.accounts.AccountExistsException;
import org.frontdoor.api.accounts.Accounts;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the first admin: login account {@code admin} with role {@code admin} (which brings what group
 * {@code admingroup} gave), with the password from {@code FRONTDOOR_ADMIN_PASSWORD} (or system property
 * {@code frontdoor.admin.password}), else a generated one written to {@code data/frontdoor/admin-password}, readable by
 * its owner only. The log names the file, never the password. An existing admin is left alone: an account, or a user
 * {@code admin} still in {@code etc/users.properties} (moved into the accounts at its first login). Two nodes starting
 * at once create one admin: the second is refused by the account's unique name and leaves it alone. Registered as a
 * service once done, so the realm backed by the accounts ({@link AccountRealm}) and with it the REST API start only
 * after the first admin exists: a client trying the admin's password meanwhile is not counted as failing.
 */
@Component(immediate = true, service = AdminBootstrap.class)
public class AdminBootstrap {

    static final String REALM = "karaf";
    static final String ADMIN = "admin";
    static final String ADMIN_ROLE = "admin";
    static final String PASSWORD_ENV = "FRONTDOOR_ADMIN_PASSWORD";
    static final String PASSWORD_PROPERTY = "frontdoor.admin.password";
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
    private static final String PROPERTIES_MODULE = "org.apache.karaf.jaas.modules.properties.PropertiesLoginModule";

    /** What activation did. */
    enum Outcome {
        /** User admin exists (an account, or a user of the users file not moved yet): nothing was changed. */
        EXISTS,
        /** Created with the password given by the environment or a system property. */
        CREATED_WITH_GIVEN_PASSWORD,
        /** Created with a generated password, written to the file. */
        CREATED_WITH_GENERATED_PASSWORD
    }

    @Activate
    public AdminBootstrap(@Reference Accounts accounts,
                          @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE,
                                     policyOption = ReferencePolicyOption.GREEDY,
                                     target = "(!(" + AccountRealm.MARKER + "=true))") List<JaasRealm> realms,
                          @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE,
                                     policyOption = ReferencePolicyOption.GREEDY) List<BackingEngineFactory> factories)
            throws IOException {
        String env = System.getenv(PASSWORD_ENV);
        String given = env != null && !env.isBlank() ? env : System.getProperty(PASSWORD_PROPERTY);
        Path file = Path.of(System.getProperty("karaf.data", "data"), "frontdoor", "admin-password");
        createAdmin(accounts, () -> {
            BackingEngine engine = propertiesEngine(realms, factories);
            return engine != null && engine.lookupUser(ADMIN) != null;
        }, given, file);
    }

    /**
     * @param legacyAdmin whether {@code etc/users.properties} still has a user admin
     * @param given       the password to use, or null/blank to generate one into {@code file}
     */
    static Outcome createAdmin(Accounts accounts, BooleanSupplier legacyAdmin, String given, Path file)
            throws IOException {
        if (accounts.find(ADMIN).isPresent() || legacyAdmin.getAsBoolean()) {
            return Outcome.EXISTS;
        }
        boolean generated = given == null || given.isBlank();
        String password = generated ? generate() : given;
        if (generated) {
            writeOwnerOnly(file, password);
        }
        try {
            // the given password is the operator's choice: not held to the length rule of new passwords
            accounts.adopt(ADMIN, password.toCharArray(), Set.of(ADMIN_ROLE));
        } catch (AccountExistsException e) {
            // another node created it a moment ago
            if (generated) {
                Files.deleteIfExists(file);
            }
            return Outcome.EXISTS;
        }
        if (!generated) {
            LOG.info("Created user {} with role {} with the password from {} or {}", ADMIN, ADMIN_ROLE, PASSWORD_ENV,
                    PASSWORD_PROPERTY);
            return Outcome.CREATED_WITH_GIVEN_PASSWORD;
        }
        LOG.warn("Created user {} with role {} with a generated password, written to {}; change it with "
                + "frontdoor:user-passwd and delete the file", ADMIN, ADMIN_ROLE, file.toAbsolutePath());
        // also on the terminal that started Karaf, where the first user looks
        System.out.println("Frontdoor: user " + ADMIN + " was created; its generated password is in "
                + file.toAbsolutePath());
        return Outcome.CREATED_WITH_GENERATED_PASSWORD;
    }

    /** The backing engine of the karaf realm's properties login module, as Karaf's jaas:* commands find it. */
    static BackingEngine propertiesEngine(List<JaasRealm> realms, List<BackingEngineFactory> factories) {
        for (JaasRealm realm : realms) {
            if (!REALM.equals(realm.getName())) {
                continue;
            }
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
