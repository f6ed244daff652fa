package org.frontdoor.web;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.BackingEngine;
import org.apache.karaf.jaas.modules.BackingEngineFactory;
import org.frontdoor.api.accounts.Accounts;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The realm {@code karaf} as Frontdoor runs it: Karaf's own realm of that name (rank 0) with its properties login
 * module replaced by {@link AccountLoginModule}; its public key and audit modules stay as Karaf configures them.
 * Ranked 1, so Karaf's JAAS configuration hands out this one to every login of the realm: the REST API, SSH, JMX.
 * Karaf's properties module options (the users file, {@code encryption.*}) go on to the account module, which reads
 * that file only to move its users into the accounts.
 */
@Component(service = JaasRealm.class, configurationPid = "org.frontdoor.web", immediate = true,
        property = AccountRealm.MARKER + "=true")
public class AccountRealm implements JaasRealm {

    static final String MARKER = "frontdoor.accounts.realm";
    static final String REALM = "karaf";
    static final String PROPERTIES_MODULE = "org.apache.karaf.jaas.modules.properties.PropertiesLoginModule";

    private final Accounts accounts;
    private final LoginThrottle throttle;
    private final String bundleId;
    private final BundleContext context;

    private final List<JaasRealm> realms = new CopyOnWriteArrayList<>();
    private final List<BackingEngineFactory> factories = new CopyOnWriteArrayList<>();

    /** The other realms: Karaf's realm karaf among them. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(!(" + MARKER + "=true))", unbind = "unbindRealm")
    void bindRealm(JaasRealm realm) {
        realms.add(realm);
    }

    void unbindRealm(JaasRealm realm) {
        realms.remove(realm);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "unbindFactory")
    void bindFactory(BackingEngineFactory factory) {
        factories.add(factory);
    }

    void unbindFactory(BackingEngineFactory factory) {
        factories.remove(factory);
    }

    /** @param firstAdmin unused: the realm starts once the first admin exists */
    @Activate
    public AccountRealm(@Reference Accounts accounts, @Reference AdminBootstrap firstAdmin, WebConfig config,
                        BundleContext context) {
        this(accounts, new LoginThrottle(Clock.systemUTC(), LoginThrottle.Settings.of(config), "console"),
                Long.toString(context.getBundle().getBundleId()), context);
    }

    AccountRealm(Accounts accounts, LoginThrottle throttle, String bundleId, BundleContext context) {
        this.accounts = accounts;
        this.throttle = throttle;
        this.bundleId = bundleId;
        this.context = context;
    }

    /** New throttle limits apply to the next login. */
    @Modified
    void modified(WebConfig config) {
        throttle.update(LoginThrottle.Settings.of(config));
    }

    @Override
    public String getName() {
        return REALM;
    }

    @Override
    public int getRank() {
        return 1;
    }

    @Override
    public AppConfigurationEntry[] getEntries() {
        JaasRealm karaf = null;
        for (JaasRealm realm : realms) {
            if (REALM.equals(realm.getName()) && realm.getRank() < getRank()
                    && (karaf == null || realm.getRank() > karaf.getRank())) {
                karaf = realm;
            }
        }
        List<AppConfigurationEntry> entries = new ArrayList<>();
        boolean replaced = false;
        if (karaf != null) {
            for (AppConfigurationEntry entry : karaf.getEntries()) {
                Object module = entry.getOptions().get(ProxyLoginModule.PROPERTY_MODULE);
                if (!replaced && PROPERTIES_MODULE.equals(module != null ? module.toString()
                        : entry.getLoginModuleName())) {
                    entries.add(accountEntry(entry.getOptions(), entry.getControlFlag(), karaf));
                    replaced = true;
                } else {
                    entries.add(entry);
                }
            }
        }
        if (!replaced) {
            entries.add(0, accountEntry(Map.of(), AppConfigurationEntry.LoginModuleControlFlag.OPTIONAL, null));
        }
        return entries.toArray(AppConfigurationEntry[]::new);
    }

    /** The realm's legacy users file, as Karaf's realm names it; null without Karaf's realm. */
    LegacyUsers legacyUsers() {
        for (AppConfigurationEntry entry : getEntries()) {
            Object legacy = entry.getOptions().get(AccountLoginModule.LEGACY);
            if (legacy instanceof LegacyUsers users) {
                return users;
            }
        }
        return null;
    }

    private AppConfigurationEntry accountEntry(Map<String, ?> propertiesOptions,
                                               AppConfigurationEntry.LoginModuleControlFlag flag, JaasRealm karaf) {
        Map<String, Object> options = new HashMap<>(propertiesOptions);
        options.put(ProxyLoginModule.PROPERTY_MODULE, AccountLoginModule.class.getName());
        options.put(ProxyLoginModule.PROPERTY_BUNDLE, bundleId);
        if (context != null) {
            options.put(BundleContext.class.getName(), context);
        }
        options.put(AccountLoginModule.ACCOUNTS, accounts);
        options.put(AccountLoginModule.THROTTLE, throttle);
        if (karaf != null && propertiesOptions.get("users") != null) {
            options.put(AccountLoginModule.LEGACY, new LegacyUsers(propertiesOptions,
                    () -> propertiesEngine(propertiesOptions)));
        }
        return new AppConfigurationEntry(ProxyLoginModule.class.getName(), flag, options);
    }

    private BackingEngine propertiesEngine(Map<String, ?> options) {
        for (BackingEngineFactory factory : factories) {
            if (PROPERTIES_MODULE.equals(factory.getModuleClass())) {
                return factory.build(options);
            }
        }
        return null;
    }
}
