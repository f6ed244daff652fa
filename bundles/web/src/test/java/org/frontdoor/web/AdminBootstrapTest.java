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

/** The first-admin bootstrap against Karaf's own properties backing engine and login module, on a temp users file. */
class AdminBootstrapTest {

    // the groups etc/users.properties of the assembly defines, and no user
    private static final String USERS = """
            _g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh,agent
            _g_\\:agentgroup = group,agent
            """;

    @TempDir
    Path dir;

    private Path users() throws Exception {
        Path file = dir.resolve("users.properties");
        if (!Files.exists(file)) {
            Files.writeString(file, USERS);
        }
        return file;
    }

    private Map<String, Object> options() throws Exception {
        // as Karaf's KarafRealm passes them to the properties module (encryption off: it needs the OSGi service)
        return Map.of(ProxyLoginModule.PROPERTY_MODULE, PropertiesLoginModule.class.getName(),
                "users", users().toString(), "encryption.enabled", "false");
    }

    private BackingEngine engine() {
        try {
            return new PropertiesBackingEngineFactory().build(options());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Logs in through JAAS with Karaf's properties login module over the same users file. */
    private Set<String> login(String user, String password) throws Exception {
        Map<String, Object> options = options();
        Configuration configuration = new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(PropertiesLoginModule.class.getName(),
                        LoginModuleControlFlag.REQUIRED, options)};
            }
        };
        return Authenticator.jaas("karaf", configuration).login(user, password.toCharArray());
    }

    @Test
    void createsAdminInAdmingroupWithTheGivenPassword() throws Exception {
        Path file = dir.resolve("data/frontdoor/admin-password");

        assertThat(AdminBootstrap.createAdmin(this::engine, "Given-Pässword 1", file))
                .isEqualTo(AdminBootstrap.Outcome.CREATED_WITH_GIVEN_PASSWORD);

        assertThat(login("admin", "Given-Pässword 1")).contains("admin", "agent", "ssh");
        assertThatThrownBy(() -> login("admin", "wrong")).isInstanceOf(LoginException.class);
        assertThat(file).doesNotExist();
        assertThat(Files.readString(users())).contains("_g_\\:agentgroup = group,agent");
    }

    @Test
    void generatesAPasswordIntoAnOwnerOnlyFileThatLogsIn() throws Exception {
        Path file = dir.resolve("data/frontdoor/admin-password");

        assertThat(AdminBootstrap.createAdmin(this::engine, "  ", file))
                .isEqualTo(AdminBootstrap.Outcome.CREATED_WITH_GENERATED_PASSWORD);

        String password = Files.readString(file).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(login("admin", password)).contains("admin");
    }

    @Test
    void neverTouchesAnExistingAdmin() throws Exception {
        Files.writeString(users(), USERS + "admin = chosen-by-hand,_g_\\:agentgroup\n");
        String before = Files.readString(users());
        Path file = dir.resolve("data/frontdoor/admin-password");

        assertThat(AdminBootstrap.createAdmin(this::engine, "another", file)).isEqualTo(AdminBootstrap.Outcome.EXISTS);
        assertThat(AdminBootstrap.createAdmin(this::engine, null, file)).isEqualTo(AdminBootstrap.Outcome.EXISTS);

        assertThat(Files.readString(users())).isEqualTo(before);
        assertThat(file).doesNotExist();
        assertThat(login("admin", "chosen-by-hand")).containsExactlyInAnyOrder("agent");
    }

    @Test
    void waitsWithoutAnEngineAndRemovesTheFileWhenTheUserWasNotSaved() throws Exception {
        Path file = dir.resolve("data/frontdoor/admin-password");
        // an engine whose saves are lost, as PropertiesBackingEngine behaves when it cannot write the file
        BackingEngine forgetful = (BackingEngine) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BackingEngine.class}, (proxy, method, args) -> null);

        assertThat(AdminBootstrap.createAdmin(() -> null, null, file)).isEqualTo(AdminBootstrap.Outcome.NO_ENGINE);
        assertThat(AdminBootstrap.createAdmin(() -> forgetful, null, file)).isEqualTo(AdminBootstrap.Outcome.NOT_SAVED);
        assertThat(file).doesNotExist();
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
