package org.frontdoor.web;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.BackingEngine;
import org.apache.karaf.jaas.modules.BackingEngineFactory;
import org.apache.karaf.jaas.modules.properties.PropertiesBackingEngineFactory;
import org.apache.karaf.jaas.modules.properties.PropertiesLoginModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The first-admin bootstrap against the real login accounts (H2), with Karaf's properties backing engine on a temp users file. */
class AdminBootstrapTest {

    @TempDir
    Path dir;

    private Logins logins;

    private Logins logins() throws Exception {
        if (logins == null) {
            logins = new Logins(dir);
        }
        return logins;
    }

    private Map<String, Object> options() throws Exception {
        return Map.of(ProxyLoginModule.PROPERTY_MODULE, PropertiesLoginModule.class.getName(),
                "users", logins().users.toString(), "encryption.enabled", "false");
    }

    private boolean legacyAdmin() {
        try {
            return logins().legacy.has("admin");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void createsTheAdminAccountWithTheGivenPasswordAndWhatAdmingroupGave() throws Exception {
        Path file = dir.resolve("data/frontdoor/admin-password");

        assertThat(AdminBootstrap.createAdmin(logins().accounts, this::legacyAdmin, "Given-Pässword 1", file))
                .isEqualTo(AdminBootstrap.Outcome.CREATED_WITH_GIVEN_PASSWORD);

        assertThat(logins.login("admin", "Given-Pässword 1"))
                .containsExactlyInAnyOrder("admin", "manager", "viewer", "systembundles", "ssh", "agent");
        assertThatThrownBy(() -> logins.login("admin", "wrong")).isInstanceOf(LoginException.class);
        assertThat(logins.hashOf("admin")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(file).doesNotExist();
        assertThat(Files.readString(logins.users)).isEqualTo(Logins.GROUPS);
    }

    @Test
    void generatesAPasswordIntoAnOwnerOnlyFileThatLogsIn() throws Exception {
        Path file = dir.resolve("data/frontdoor/admin-password");

        assertThat(AdminBootstrap.createAdmin(logins().accounts, this::legacyAdmin, "  ", file))
                .isEqualTo(AdminBootstrap.Outcome.CREATED_WITH_GENERATED_PASSWORD);

        String password = Files.readString(file).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(logins.login("admin", password)).contains("admin");
    }

    @Test
    void neverTouchesAnExistingAdminAccountNorOneStillInTheUsersFile() throws Exception {
        Path file = dir.resolve("data/frontdoor/admin-password");
        logins().accounts.create("admin", "chosen-by-hand".toCharArray(), Set.of("admin"));

        assertThat(AdminBootstrap.createAdmin(logins.accounts, this::legacyAdmin, "another", file))
                .isEqualTo(AdminBootstrap.Outcome.EXISTS);
        assertThat(AdminBootstrap.createAdmin(logins.accounts, this::legacyAdmin, null, file))
                .isEqualTo(AdminBootstrap.Outcome.EXISTS);
        assertThat(file).doesNotExist();
        assertThat(logins.login("admin", "chosen-by-hand")).contains("admin");

        Files.createDirectories(dir.resolve("upgraded"));
        Logins upgraded = new Logins(dir.resolve("upgraded"));
        Files.writeString(upgraded.users, Logins.GROUPS + "admin = chosen-before,_g_\\:admingroup\n");
        assertThat(AdminBootstrap.createAdmin(upgraded.accounts, () -> upgraded.legacy.has("admin"), "another", file))
                .as("the admin of the users file is moved at its first login").isEqualTo(AdminBootstrap.Outcome.EXISTS);
        assertThat(upgraded.accounts.list()).isEmpty();
        assertThat(upgraded.login("admin", "chosen-before")).contains("admin", "ssh");
    }

    @Test
    void twoNodesStartingAtOnceCreateOneAdmin() throws Exception {
        Path file = dir.resolve("data/frontdoor/admin-password");
        // the other node created it between this node's look and its insert
        AdminBootstrap.createAdmin(logins().accounts, this::legacyAdmin, "first-node-pw", file);
        org.frontdoor.api.accounts.Accounts racing = (org.frontdoor.api.accounts.Accounts) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {org.frontdoor.api.accounts.Accounts.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("find")) {
                        return java.util.Optional.empty();
                    }
                    try {
                        return method.invoke(logins.accounts, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        assertThat(AdminBootstrap.createAdmin(racing, this::legacyAdmin, null, file))
                .isEqualTo(AdminBootstrap.Outcome.EXISTS);
        assertThat(file).as("the generated password that was not used").doesNotExist();
        assertThat(logins.login("admin", "first-node-pw")).contains("admin");
    }

    @Test
    void findsThePropertiesEngineOfTheKarafRealmOnly() throws Exception {
        Map<String, Object> audit = Map.of(ProxyLoginModule.PROPERTY_MODULE,
                "org.apache.karaf.jaas.modules.audit.LogAuditLoginModule");
        JaasRealm karaf = realm("karaf", audit, options());
        JaasRealm other = realm("other", options());
        List<BackingEngineFactory> factories = List.of(new PropertiesBackingEngineFactory());

        assertThat(AdminBootstrap.propertiesEngine(List.of(other), factories)).isNull();
        assertThat(AdminBootstrap.propertiesEngine(List.of(other, karaf), List.of())).isNull();
        BackingEngine engine = AdminBootstrap.propertiesEngine(List.of(other, karaf), factories);
        assertThat(engine).isNotNull();
        assertThat(engine.listGroups()).extractingFromEntries(e -> e.getKey().getName())
                .contains("admingroup", "agentgroup");
    }

    @SafeVarargs
    private static JaasRealm realm(String name, Map<String, ?>... entries) {
        return new JaasRealm() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public int getRank() {
                return 0;
            }

            @Override
            public AppConfigurationEntry[] getEntries() {
                AppConfigurationEntry[] all = new AppConfigurationEntry[entries.length];
                for (int i = 0; i < entries.length; i++) {
                    // Karaf's realms name the proxy module and the real one in the options
                    all[i] = new AppConfigurationEntry(ProxyLoginModule.class.getName(),
                            LoginModuleControlFlag.OPTIONAL, entries[i]);
                }
                return all;
            }
        };
    }

    @Test
    void generatesLongUrlSafeDistinctPasswords() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String password = AdminBootstrap.generate();
            assertThat(password).hasSize(24).matches("[A-Za-z0-9_-]+");
            seen.add(password);
        }
        assertThat(seen).hasSize(100);
    }

    @Test
    void writesThePasswordFileForItsOwnerOnly() throws Exception {
        Path file = dir.resolve("frontdoor/admin-password");

        AdminBootstrap.writeOwnerOnly(file, "s3cret");
        AdminBootstrap.writeOwnerOnly(file, "s3cret-2");

        assertThat(Files.readString(file).strip()).isEqualTo("s3cret-2");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
