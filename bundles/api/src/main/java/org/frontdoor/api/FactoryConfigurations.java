package org.frontdoor.api;

import java.util.Map;
import java.util.Optional;

/**
 * What every plugin with one factory configuration per instance (a door, a rule, a department integration) reads
 * from its configuration's properties, as Karaf's Config Admin and file install give them.
 */
public final class FactoryConfigurations {

    private static final String CFG = ".cfg";

    private FactoryConfigurations() {
    }

    /**
     * The instance a factory configuration names: the part after '~' of its PID (a configuration created with a
     * name), else the part after {@code <factoryPid>-} of its file {@code <factoryPid>-<name>.cfg}; empty when neither
     * says (the name may be the empty string, for a file {@code <factoryPid>-.cfg}).
     */
    public static Optional<String> instanceName(String factoryPid, Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        if (pid instanceof String p && p.contains("~")) {
            return Optional.of(p.substring(p.indexOf('~') + 1));
        }
        Object file = properties.get("felix.fileinstall.filename");
        if (file instanceof String f) {
            String name = f.substring(f.lastIndexOf('/') + 1);
            String prefix = factoryPid + "-";
            if (name.startsWith(prefix) && name.endsWith(CFG) && name.length() >= prefix.length() + CFG.length()) {
                return Optional.of(name.substring(prefix.length(), name.length() - CFG.length()));
            }
        }
        return Optional.empty();
    }

    /**
     * The instance's name: {@code explicit} (its {@code instance} setting) when it is not blank, else the name the
     * configuration's PID or file gives.
     *
     * @param what what the instance is, for the refusal: "channel", "web chat"
     * @throws IllegalArgumentException when neither names it, saying how to name it
     */
    public static String instanceName(String explicit, String factoryPid, Map<String, ?> properties, String what) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit.trim();
        }
        return instanceName(factoryPid, properties).orElseThrow(() -> new IllegalArgumentException(
                "cannot tell the " + what + " instance's name from " + source(properties) + ": name the file "
                        + factoryPid + "-<instance>.cfg or set 'instance'"));
    }

    /** Where a configuration came from, for messages an admin acts on: its file, else its PID. */
    public static String source(Map<String, ?> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        return file != null ? file.toString() : "configuration " + properties.get("service.pid");
    }
}
