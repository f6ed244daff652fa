package org.frontdoor.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.frontdoor.api.BusinessHours;
import org.frontdoor.api.Department;
import org.frontdoor.api.FactoryConfigurations;
import org.frontdoor.api.SlaPolicy;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured department (a factory configuration, {@code etc/org.frontdoor.department-<id>.cfg}). A file that
 * cannot be used still gives a department, {@link Department.Status#INVALID} with the file and what is wrong in it,
 * so that {@code frontdoor:department-list} shows what to fix. A change in the file replaces the instance.
 */
@Component(configurationPid = DepartmentInstance.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = DepartmentInstance.class, immediate = true)
@Designate(ocd = DepartmentConfig.class, factory = true)
public class DepartmentInstance {

    static final String FACTORY_PID = "org.frontdoor.department";
    private static final Logger LOG = LoggerFactory.getLogger(DepartmentInstance.class);

    private final Department department;

    @Activate
    public DepartmentInstance(DepartmentConfig config, Map<String, Object> properties) {
        this.department = read(config, properties);
        if (department.status() == Department.Status.INVALID) {
            LOG.error("department {} cannot be used: {}", department.id(), department.reason());
        } else {
            LOG.info("department {} configured from {}", department.id(), department.source());
        }
    }

    @Deactivate
    void deactivate() {
        LOG.info("department {} removed ({})", department.id(), department.source());
    }

    Department department() {
        return department;
    }

    /** The department a configuration describes; INVALID with the reason when it cannot be used. */
    static Department read(DepartmentConfig config, Map<String, Object> properties) {
        String source = FactoryConfigurations.source(properties);
        String id = config.id().isBlank() ? FactoryConfigurations.instanceName(FACTORY_PID, properties).orElse(null)
                : config.id().strip();
        if (id == null) {
            return invalid(String.valueOf(properties.get("service.pid")), source, "cannot tell the department's id: "
                    + "name the file " + FACTORY_PID + "-<id>.cfg or set 'id'");
        }
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            return invalid(id.isEmpty() ? String.valueOf(properties.get("service.pid")) : id, source,
                    "department id '" + id + "' must be 1 to 64 letters, digits, '.', '_' or '-', from a letter or "
                            + "digit");
        }
        try {
            BusinessHours hours = BusinessHours.parse(config.businessHours(), BusinessHours.zone(config.timeZone()),
                    Arrays.asList(config.holidays()));
            int priority = number(properties, "defaultPriority", config::defaultPriority);
            int firstResponse = number(properties, "firstResponseMinutes", config::firstResponseMinutes);
            int resolution = number(properties, "resolutionMinutes", config::resolutionMinutes);
            int warnAt = number(properties, "warnAtPercent", config::warnAtPercent);
            if (warnAt < 1 || warnAt > 99) {
                throw new IllegalArgumentException("warnAtPercent '" + warnAt + "' is not 1 to 99");
            }
            List<SlaPolicy.Escalation> chain = SlaPolicy.parseEscalation(config.escalation());
            for (SlaPolicy.Escalation step : chain) {
                if (id.equals(step.department())) {
                    throw new IllegalArgumentException("escalation step '" + step + "' names the department itself: "
                            + "a transfer escalates to another one");
                }
            }
            Object closedReply = properties.get("closedReply");
            SlaPolicy sla = new SlaPolicy(
                    SlaPolicy.parseTargets("firstResponseByPriority", config.firstResponseByPriority()),
                    SlaPolicy.parseTargets("resolutionByPriority", config.resolutionByPriority()), warnAt, chain,
                    closedReply == null ? null : closedReply.toString());
            if (sla.closedReply().length() > 1000) {
                throw new IllegalArgumentException("closedReply is longer than 1000 characters");
            }
            return new Department(id, config.name().strip(), Department.Status.CONFIGURED, null, source, hours,
                    priority, firstResponse, resolution, groups(config.readGroups()), false, sla,
                    Department.Assignment.fromId(config.assignment()));
        } catch (RuntimeException e) {
            return invalid(id, source, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static Department invalid(String id, String source, String reason) {
        return new Department(id, id, Department.Status.INVALID, source + ": " + reason, source, null, 0, 0, 0,
                Set.of(), false);
    }

    /**
     * A whole number 0 or more, read from the file itself: a value that is no number must say which one it is rather
     * than fail the component.
     */
    private static int number(Map<String, Object> properties, String key, Supplier<Integer> typed) {
        Object raw = properties.get(key);
        if (raw instanceof Number n) {
            return check(key, String.valueOf(n), n.longValue());
        }
        if (raw == null) {
            return typed.get();
        }
        String text = raw.toString().strip();
        if (!text.matches("\\d{1,9}")) {
            throw new IllegalArgumentException(key + " '" + text + "' is not a whole number 0 or more");
        }
        return check(key, text, Long.parseLong(text));
    }

    private static int check(String key, String text, long value) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " '" + text + "' is not a whole number 0 or more");
        }
        return (int) value;
    }

    private static Set<String> groups(String[] values) {
        List<String> groups = new ArrayList<>();
        for (String value : values) {
            for (String group : value.split(",")) {
                if (!group.isBlank()) {
                    groups.add(group.strip());
                }
            }
        }
        return new LinkedHashSet<>(groups);
    }
}
