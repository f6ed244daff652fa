package org.frontdoor.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.frontdoor.api.Department;
import org.frontdoor.api.Departments;
import org.frontdoor.store.InboxStore;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The departments: the configured ones ({@link DepartmentInstance}, as they come and go) and those only the store
 * knows (routing or a transfer sent conversations there). While the store cannot answer, the configured ones are
 * listed alone.
 */
@Component(service = Departments.class)
public class DepartmentService implements Departments {

    private static final Logger LOG = LoggerFactory.getLogger(DepartmentService.class);

    private final Map<DepartmentInstance, Department> configured = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile InboxStore store;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDepartment(DepartmentInstance instance) {
        configured.put(instance, instance.department());
    }

    void removeDepartment(DepartmentInstance instance) {
        configured.remove(instance);
    }

    @Override
    public List<Department> list() {
        Map<String, Department> byId = new TreeMap<>();
        List<Department> files = new ArrayList<>(configured.values());
        files.sort((a, b) -> String.valueOf(a.source()).compareTo(String.valueOf(b.source())));
        for (Department d : files) {
            Department other = byId.get(d.id());
            byId.put(d.id(), other == null ? d : twice(other, d));
        }
        Set<String> seen = new HashSet<>(seen());
        for (String id : seen) {
            byId.merge(id, Department.seenOnly(id), (c, s) -> c.withSeen(true));
        }
        return List.copyOf(byId.values());
    }

    @Override
    public Optional<Department> get(String id) {
        return list().stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /** Two files name one department: neither is taken, and the reason names both. */
    private static Department twice(Department first, Department second) {
        return new Department(first.id(), first.id(), Department.Status.INVALID, "department " + first.id()
                + " is configured twice, in " + first.source() + " and in " + second.source() + ": remove one",
                first.source(), null, 0, 0, 0, Set.of(), false);
    }

    private List<String> seen() {
        InboxStore s = store;
        if (s == null) {
            return List.of();
        }
        try {
            return s.departments();
        } catch (RuntimeException e) {
            LOG.warn("the departments seen in the store cannot be read now: {}", e.getMessage());
            return List.of();
        }
    }
}
