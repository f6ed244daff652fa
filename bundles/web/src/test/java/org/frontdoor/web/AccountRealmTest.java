package org.frontdoor.web;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The realm karaf as Frontdoor runs it: Karaf's own, with the properties module replaced by the accounts' module. */
class AccountRealmTest {

    private static final String PUBLIC_KEY = "org.apache.karaf.jaas.modules.publickey.PublickeyLoginModule";
    private static final String AUDIT = "org.apache.karaf.jaas.modules.audit.EventAdminAuditLoginModule";

    @TempDir
    Path dir;

    @Test
    void replacesKarafsPropertiesModuleKeepsTheOthersAndOutranksIt() throws Exception {
        Logins logins = new Logins(dir);
        LoginThrottle throttle = new LoginThrottle(Clock.systemUTC(),
                new LoginThrottle.Settings(5, 20, Duration.ofMinutes(15), 100), "console");
        AccountRealm realm = new AccountRealm(logins.accounts, throttle, "42", null);
        JaasRealm karaf = karafRealm(Map.of(ProxyLoginModule.PROPERTY_MODULE, AccountRealm.PROPERTIES_MODULE,
                ProxyLoginModule.PROPERTY_BUNDLE, "7", "users", logins.users.toString(),
                "encryption.algorithm", "SHA-256"));
        realm.bindRealm(karaf);

        AppConfigurationEntry[] entries = realm.getEntries();

        assertThat(realm.getName()).isEqualTo("karaf");
        assertThat(realm.getRank()).isGreaterThan(karaf.getRank());
        assertThat(Arrays.stream(entries).map(e -> (Object) e.getOptions().get(ProxyLoginModule.PROPERTY_MODULE)))
                .containsExactly(AccountLoginModule.class.getName(), PUBLIC_KEY, AUDIT);
        Map<String, ?> options = entries[0].getOptions();
        assertThat(options.get(ProxyLoginModule.PROPERTY_BUNDLE)).isEqualTo("42");
        assertThat(options.get(AccountLoginModule.ACCOUNTS)).isSameAs(logins.accounts);
        assertThat(options.get(AccountLoginModule.THROTTLE)).isSameAs(throttle);
        assertThat(options.get(AccountLoginModule.LEGACY)).isInstanceOf(LegacyUsers.class);
        assertThat(options.get("encryption.algorithm")).isEqualTo("SHA-256");
        assertThat(entries[0].getControlFlag()).isEqualTo(LoginModuleControlFlag.OPTIONAL);
        assertThat(entries[1].getOptions().get(ProxyLoginModule.PROPERTY_BUNDLE)).isEqualTo("7");
    }

    @Test
    void withoutKarafsRealmItHasTheAccountsModuleAlone() throws Exception {
        AccountRealm realm = new AccountRealm(new Logins(dir).accounts, null, "42", null);

        assertThat(realm.getEntries()).singleElement().satisfies(entry -> assertThat(entry.getOptions()
                .get(ProxyLoginModule.PROPERTY_MODULE)).isEqualTo(AccountLoginModule.class.getName()));
        assertThat(realm.legacyUsers()).isNull();
    }

    private static JaasRealm karafRealm(Map<String, Object> properties) {
        return new JaasRealm() {
            @Override
            public String getName() {
                return "karaf";
            }

            @Override
            public int getRank() {
                return 0;
            }

            @Override
            public AppConfigurationEntry[] getEntries() {
                return List.of(properties, Map.of(ProxyLoginModule.PROPERTY_MODULE, PUBLIC_KEY,
                                ProxyLoginModule.PROPERTY_BUNDLE, "7"),
                        Map.of(ProxyLoginModule.PROPERTY_MODULE, AUDIT, ProxyLoginModule.PROPERTY_BUNDLE, "7"))
                        .stream().map(o -> new AppConfigurationEntry(ProxyLoginModule.class.getName(),
                                LoginModuleControlFlag.OPTIONAL, o))
                        .toArray(AppConfigurationEntry[]::new);
            }
        };
    }
}
