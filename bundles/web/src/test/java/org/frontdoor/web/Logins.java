package org.frontdoor.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.modules.BackingEngine;
import org.apache.karaf.jaas.modules.properties.PropertiesBackingEngineFactory;
import org.frontdoor.store.jpa.AccountStore;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The realm's password login as tests drive it: the real login accounts on a fresh H2 database, Karaf's properties
 * backing engine over a temp users file, and {@link AccountLoginModule} run by a JAAS {@link LoginContext}.
 */
final class Logins {

    /** The groups the assembly's etc/users.properties defines. */
    static final String GROUPS = """
            _g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh,agent
            _g_\\:agentgroup = group,agent
            """;

    final Path users;
    final AccountStore accounts;
    final LoginThrottle throttle;
    final Map<String, Object> propertiesOptions;
    final LegacyUsers legacy;
    final JdbcDataSource dataSource = new JdbcDataSource();

    Logins(Path dir) throws Exception {
        users = dir.resolve("users.properties");
        if (!Files.exists(users)) {
            Files.writeString(users, GROUPS);
        }
        dataSource.setURL("jdbc:h2:mem:accounts_" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1");
        accounts = new AccountStore(dataSource);
        throttle = new LoginThrottle(Clock.systemUTC(), new LoginThrottle.Settings(3, 5, Duration.ofMinutes(15),
                1000), "console");
        // as Karaf's realm gives them to its properties module (the encryption service is OSGi's: off here; the
        // legacy reader checks {CRYPT} digests itself)
        propertiesOptions = Map.of("users", users.toString(), "encryption.enabled", "false",
                "encryption.algorithm", "SHA-256", "encryption.encoding", "hexadecimal");
        legacy = new LegacyUsers(propertiesOptions, this::engine);
    }

    BackingEngine engine() {
        return new PropertiesBackingEngineFactory().build(propertiesOptions);
    }

    Configuration configuration() {
        Map<String, Object> options = new HashMap<>();
        options.put(AccountLoginModule.ACCOUNTS, accounts);
        options.put(AccountLoginModule.THROTTLE, throttle);
        options.put(AccountLoginModule.LEGACY, legacy);
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(AccountLoginModule.class.getName(),
                        AppConfigurationEntry.LoginModuleControlFlag.OPTIONAL, options)};
            }
        };
    }

    /** Logs in as SSH or JMX would, with these principals in the subject beforehand; returns the role names. */
    Set<String> login(String user, String password, Principal... client) throws LoginException {
        Subject subject = new Subject();
        subject.getPrincipals().addAll(Set.of(client));
        new LoginContext("karaf", subject, callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(user);
                } else if (callback instanceof PasswordCallback pw) {
                    pw.setPassword(password.toCharArray());
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        }, configuration()).login();
        return subject.getPrincipals(RolePrincipal.class).stream().map(Principal::getName).collect(Collectors.toSet());
    }

    /** Logs in as the REST API does. */
    Set<String> restLogin(String user, String password) throws LoginException {
        return Authenticator.jaas("karaf", configuration()).login(user, password.toCharArray());
    }

    String hashOf(String name) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.prepareStatement(
                "SELECT password_hash FROM login_account WHERE name = ?")) {
            s.setString(1, name);
            try (var rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
