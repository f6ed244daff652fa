package org.frontdoor.core;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.frontdoor.api.Department;
import org.frontdoor.store.InboxStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DepartmentInstanceTest {

    private static final String FILE = "file:/opt/frontdoor/etc/org.frontdoor.department-billing.cfg";

    /**
     * A department as Config Admin and DS give it from a file: its properties as the file has them (text), and the
     * typed view, which fails only when a value that cannot be converted is asked for.
     */
    static DepartmentInstance instance(String file, Object... pairs) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", "org.frontdoor.department.8f2c");
        properties.put("felix.fileinstall.filename", file);
        for (int i = 0; i < pairs.length; i += 2) {
            properties.put((String) pairs[i], pairs[i + 1]);
        }
        DepartmentConfig config = (DepartmentConfig) Proxy.newProxyInstance(DepartmentConfig.class.getClassLoader(),
                new Class<?>[] {DepartmentConfig.class}, (proxy, method, args) -> {
                    Object value = properties.get(method.getName());
                    if (method.getName().equals("annotationType")) {
                        return DepartmentConfig.class;
                    }
                    if (value == null) {
                        return method.getDefaultValue();
                    }
                    if (method.getReturnType() == int.class) {
                        return Integer.parseInt(value.toString().strip());
                    }
                    if (method.getReturnType() == String[].class) {
                        return value instanceof String[] ? value : new String[] {value.toString()};
                    }
                    return value.toString();
                });
        return new DepartmentInstance(config, properties);
    }

    @Test
    void takesItsIdFromTheFileAndEverySettingFromIt() {
        Department d = instance(FILE, "name", "Billing", "timeZone", "Europe/Paris",
                "businessHours", "mon-fri 09:00-17:30, sat 10:00-14:00", "holidays", "2026-12-25, 2026-12-26",
                "defaultPriority", "2", "firstResponseMinutes", "30", "resolutionMinutes", "480",
                "readGroups", "billing-agents, supervisors", "assignment", "Round-Robin").department();

        assertThat(d.id()).isEqualTo("billing");
        assertThat(d.status()).isEqualTo(Department.Status.CONFIGURED);
        assertThat(d.name()).isEqualTo("Billing");
        assertThat(d.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(d.hours().holidays()).hasSize(2);
        assertThat(d.defaultPriority()).isEqualTo(2);
        assertThat(d.firstResponseMinutes()).isEqualTo(30);
        assertThat(d.resolutionMinutes()).isEqualTo(480);
        assertThat(d.readGroups()).containsExactlyInAnyOrder("billing-agents", "supervisors");
        assertThat(d.assignment()).isEqualTo(Department.Assignment.ROUND_ROBIN);
        assertThat(d.source()).isEqualTo(FILE);
        assertThat(d.isOpen(Instant.parse("2026-12-25T10:00:00Z"))).as("a holiday").isFalse();
        assertThat(d.isOpen(Instant.parse("2026-12-24T10:00:00Z"))).isTrue();
    }

    @Test
    void withNothingSetItTakesTheDefaults() {
        Department d = instance("file:/etc/org.frontdoor.department-support.cfg").department();

        assertThat(d.id()).isEqualTo("support");
        assertThat(d.name()).isEqualTo("support");
        assertThat(d.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(d.hours().toString()).isEqualTo("mon-fri 09:00-17:00");
        assertThat(d.firstResponseMinutes()).isEqualTo(240);
        assertThat(d.readGroups()).isEmpty();
        assertThat(d.assignment()).isEqualTo(Department.Assignment.MANUAL);
    }

    @Test
    void aBadFileGivesAnInvalidDepartmentNamingTheFileAndTheBadPart() {
        Department hours = instance(FILE, "businessHours", "mon-fri 09:00-17:00, sun 22:00-02:00").department();
        assertThat(hours.status()).isEqualTo(Department.Status.INVALID);
        assertThat(hours.id()).isEqualTo("billing");
        assertThat(hours.reason()).startsWith(FILE + ": ").contains("'sun 22:00-02:00'");

        Department zone = instance(FILE, "timeZone", "CEST").department();
        assertThat(zone.reason()).contains(FILE).contains("timeZone 'CEST'");

        Department priority = instance(FILE, "defaultPriority", "high").department();
        assertThat(priority.status()).isEqualTo(Department.Status.INVALID);
        assertThat(priority.reason()).contains("defaultPriority 'high' is not a whole number");

        Department sla = instance(FILE, "firstResponseMinutes", "-5").department();
        assertThat(sla.reason()).contains("firstResponseMinutes '-5'");

        Department assignment = instance(FILE, "assignment", "random").department();
        assertThat(assignment.reason()).contains("assignment 'random' is none of manual, round-robin, least-loaded");

        Department holiday = instance(FILE, "holidays", new String[] {"2026-12-25", "christmas"}).department();
        assertThat(holiday.reason()).contains("holiday 'christmas'");
    }

    @Test
    void aFileWithoutAUsableNameIsInvalidAndSaysHowToNameIt() {
        Department unnamed = instance("file:/etc/frontdoor-billing.cfg").department();
        assertThat(unnamed.status()).isEqualTo(Department.Status.INVALID);
        assertThat(unnamed.reason()).contains("org.frontdoor.department-<id>.cfg or set 'id'");

        Department bad = instance("file:/etc/org.frontdoor.department-bil ling.cfg").department();
        assertThat(bad.status()).isEqualTo(Department.Status.INVALID);
        assertThat(bad.reason()).contains("department id 'bil ling'");
    }

    @Test
    void listsConfiguredAndSeenDepartmentsAsTheyAreAddedChangedAndRemoved() {
        DepartmentService service = new DepartmentService();
        service.store = seen("sales", "support");
        DepartmentInstance billing = instance(FILE, "name", "Billing");
        DepartmentInstance support = instance("file:/etc/org.frontdoor.department-support.cfg", "name", "Support");

        service.addDepartment(billing);
        service.addDepartment(support);

        assertThat(service.list()).extracting(Department::id, Department::status, Department::seen).containsExactly(
                org.assertj.core.groups.Tuple.tuple("billing", Department.Status.CONFIGURED, false),
                org.assertj.core.groups.Tuple.tuple("sales", Department.Status.SEEN_ONLY, true),
                org.assertj.core.groups.Tuple.tuple("support", Department.Status.CONFIGURED, true));
        assertThat(service.get("support")).get().extracting(Department::name).isEqualTo("Support");
        assertThat(service.get("nope")).isEmpty();

        // a changed file: DS deactivates the old instance and activates a new one
        DepartmentInstance changed = instance(FILE, "name", "Billing and invoices", "timeZone", "Mars/Olympus");
        service.removeDepartment(billing);
        service.addDepartment(changed);
        assertThat(service.get("billing")).get().satisfies(d -> {
            assertThat(d.status()).isEqualTo(Department.Status.INVALID);
            assertThat(d.reason()).contains("Mars/Olympus");
        });

        service.removeDepartment(changed);
        assertThat(service.get("billing")).isEmpty();
        service.removeDepartment(support);
        assertThat(service.get("support")).get().extracting(Department::status).isEqualTo(Department.Status.SEEN_ONLY);
    }

    @Test
    void twoFilesForOneDepartmentAreRefusedNamingBoth() {
        DepartmentService service = new DepartmentService();
        service.addDepartment(instance(FILE));
        service.addDepartment(instance("file:/etc/org.frontdoor.department-other.cfg", "id", "billing"));

        Department d = service.get("billing").orElseThrow();
        assertThat(d.status()).isEqualTo(Department.Status.INVALID);
        assertThat(d.reason()).contains("configured twice").contains(FILE)
                .contains("org.frontdoor.department-other.cfg");
    }

    @Test
    void whileTheStoreCannotAnswerTheConfiguredOnesAreListed() {
        DepartmentService service = new DepartmentService();
        service.store = (InboxStore) Proxy.newProxyInstance(InboxStore.class.getClassLoader(),
                new Class<?>[] {InboxStore.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("database down");
                });
        service.addDepartment(instance(FILE));
        assertThat(service.list()).extracting(Department::id).containsExactly("billing");
    }

    private static InboxStore seen(String... ids) {
        return (InboxStore) Proxy.newProxyInstance(InboxStore.class.getClassLoader(),
                new Class<?>[] {InboxStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("departments")) {
                        return List.of(ids);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }


    @Test
    void readsSlaOverridesTheChainAndTheClosedReplyAndSaysWhatIsWrong() {
        Department d = instance(FILE, "firstResponseByPriority", "2:30, 3:10", "resolutionByPriority", "3:120",
                "warnAtPercent", "75", "escalation", "supervisor, department:sales, callback",
                "closedReply", "Closed; back {opening}.").department();

        assertThat(d.status()).isEqualTo(Department.Status.CONFIGURED);
        assertThat(d.firstResponseMinutes(3)).isEqualTo(10);
        assertThat(d.firstResponseMinutes(1)).isEqualTo(240);
        assertThat(d.resolutionMinutes(3)).isEqualTo(120);
        assertThat(d.sla().warnAtPercent()).isEqualTo(75);
        assertThat(d.sla().escalation()).hasSize(3);
        assertThat(d.sla().closedReply()).isEqualTo("Closed; back {opening}.");
        assertThat(instance(FILE).department().sla().closedReply())
                .isEqualTo(org.frontdoor.api.SlaPolicy.DEFAULT_CLOSED_REPLY);

        assertThat(instance(FILE, "warnAtPercent", "100").department().reason())
                .endsWith("warnAtPercent '100' is not 1 to 99");
        assertThat(instance(FILE, "warnAtPercent", "most").department().reason())
                .endsWith("warnAtPercent 'most' is not a whole number 0 or more");
        assertThat(instance(FILE, "escalation", "supervisor, boss").department().reason())
                .endsWith("escalation step 'boss' is not supervisor, department:<id> or callback");
        assertThat(instance(FILE, "escalation", "department:billing").department().reason())
                .contains("names the department itself");
        assertThat(instance(FILE, "firstResponseByPriority", "high:30").department().reason())
                .endsWith("firstResponseByPriority part 'high:30' is not '<priority>:<minutes>', such as '2:30'");
    }
}
